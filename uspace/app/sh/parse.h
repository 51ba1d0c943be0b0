/*
 * The shell's command-line parser: one line into words and redirections.
 * Words are split at unquoted blanks; '...' is literal, "..." takes the
 * escapes \" \\ \$ and expands $?, a backslash outside quotes takes the next
 * character literally, $? (outside single quotes) becomes the last exit
 * status, and # at the start of a word begins a comment. `> F`, `>> F` and
 * `< F` redirect; `|` is refused (no pipes yet). No IPC: host-tested.
 */
#ifndef SH_PARSE_H
#define SH_PARSE_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>

#define SH_LINE_MAX 256
#define SH_ARGS_MAX 32
/* Room for every word of a line with each "$?" grown to a full int. */
#define SH_WORDS_SIZE (SH_LINE_MAX * 6)

typedef struct {
	/* argv[0..argc-1] point into words; argv[argc] is NULL. */
	char *argv[SH_ARGS_MAX + 1];
	int argc;
	char *in_path;	/* `< FILE`, or NULL */
	char *out_path; /* `> FILE` or `>> FILE`, or NULL */
	bool append;	/* out_path came with `>>` */
	/* Why parsing failed (a message without the "sh: " prefix). */
	const char *error;
	char words[SH_WORDS_SIZE];
} sh_command_t;

/** Parses @a line with @a last_status as the value of $? into @a cmd.
 *  EINVAL (unterminated quote, redirection without a file), ENOTSUP (a
 *  pipe), ELIMIT (too many or too long words); cmd->error then says why. */
errno_t sh_parse(const char *line, int last_status, sh_command_t *cmd);

#endif
