/*
 * Expanding a parsed command (parse.h) into the strings it runs with, just
 * before it runs:
 *
 *   ~ or ~/...    at the start of a word, unquoted: $HOME
 *   $NAME ${NAME} a variable's value (empty if unset); $? the last status
 *   '...'         literal; "..." literal but for $ and the escapes \" \\ \$
 *   \c            c, literally
 *   * ? [...]     unquoted: the paths that match (sorted); the word as it
 *                 is when none does
 *
 * A variable's value is one word as it stands: it is not split at blanks
 * and not globbed. A word that expands to nothing and had no quotes goes
 * away. Leading NAME=VALUE words are assignments. The shell's variables
 * and paths come through callbacks: no IPC here, host-tested.
 */
#ifndef SH_EXPAND_H
#define SH_EXPAND_H

#include "parse.h"

#define SH_ARGS_MAX    256	   /* arguments of one command after globbing */
#define SH_EXPAND_SIZE (16 * 1024) /* bytes of all its strings */

typedef struct sh_argv sh_argv_t;

typedef struct {
	/** The value of variable @a name, or NULL if it is not set. */
	const char *(*getvar)(void *ctx, const char *name);
	/** Adds the paths matching @a pattern (escapes as fnmatch's) to @a out
	 *  with sh_argv_add(); ENOENT if none does, else its result. */
	errno_t (*glob)(void *ctx, const char *pattern, sh_argv_t *out);
	void *ctx;
	int status; /* $? */
} sh_expander_t;

/** A command ready to run. */
struct sh_argv {
	char *argv[SH_ARGS_MAX + 1]; /* argv[argc] is NULL */
	int argc;
	char *assign[SH_WORDS_MAX]; /* the leading NAME=VALUE words */
	int nassign;
	char *targets[SH_REDIRS_MAX]; /* each redirection's file (NULL: 2>&1) */
	char buf[SH_EXPAND_SIZE];
	size_t used;
	const char *error; /* why expansion failed */
};

/** Expands @a cmd into @a out. ELIMIT past SH_ARGS_MAX or SH_EXPAND_SIZE,
 *  or the glob callback's error; out->error then says why. */
errno_t sh_expand(const sh_simple_t *cmd, const sh_expander_t *ex, sh_argv_t *out);

/** Adds a copy of @a s as the next argument of @a out (ELIMIT). */
errno_t sh_argv_add(sh_argv_t *out, const char *s);

#endif
