/*
 * The shell's command-line parser: one line into words and redirections.
 * Words are split at unquoted blanks; '...' is literal, "..." takes the
 * escapes \" \\ \$ and expands $?, a backslash outside quotes takes the next
 * character literally, $? (outside single quotes) becomes the last exit
 * status, and # at the start of a word begins a comment. `> F`, `>> F` and
 * `< F` redirect; `|` separates the commands (stages) of a pipeline, `<`
 * only on its first and `>`/`>>` only on its last. No IPC: host-tested.
 */
#ifndef SH_PARSE_H
#define SH_PARSE_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>

#define SH_LINE_MAX   256
#define SH_ARGS_MAX   32 /* words of a line, all stages together */
#define SH_STAGES_MAX 8	 /* commands of a pipeline */
/* Room for every word of a line with each "$?" grown to a full int. */
#define SH_WORDS_SIZE (SH_LINE_MAX * 6)

/** One command of a pipeline: argv[argc] is NULL. */
typedef struct {
	char **argv; /* into sh_command_t's argv */
	int argc;
} sh_stage_t;

typedef struct {
	/* argv[0..argc-1] point into words, each stage's words followed by a
	 * NULL (so for a single command argc is its number of words);
	 * argv[argc] is NULL. */
	char *argv[SH_ARGS_MAX + SH_STAGES_MAX];
	int argc;
	sh_stage_t stages[SH_STAGES_MAX];
	int nstages;	/* at least 1; the only one has argc 0 on an empty line */
	char *in_path;	/* `< FILE`, or NULL */
	char *out_path; /* `> FILE` or `>> FILE`, or NULL */
	bool append;	/* out_path came with `>>` */
	/* Why parsing failed (a message without the "sh: " prefix). */
	const char *error;
	char words[SH_WORDS_SIZE];
} sh_command_t;

/** Parses @a line with @a last_status as the value of $? into @a cmd.
 *  EINVAL (unterminated quote, redirection without a file, a pipeline
 *  stage without a command, `<` or `>` inside a pipeline), ELIMIT (too
 *  many or too long words, too many stages); cmd->error then says why. */
errno_t sh_parse(const char *line, int last_status, sh_command_t *cmd);

#endif
