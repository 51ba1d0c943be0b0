/*
 * Command lines of the core programs: getopt() for short options (POSIX
 * semantics: clustered flags, option arguments attached or separate, "--"
 * ends the options, the first non-option ends them too) and the conventions
 * the programs share: `--help` prints the usage line and exits 0, a bad
 * option prints "NAME: unknown option -x" and the usage line and exits 2, a
 * failed operation prints "NAME: PATH: ENAME: text" (strerror) and exits 1.
 * Every program in /app and /srv keeps them, servers and test programs too
 * (cmd_check_words), so that `--help` never starts anything.
 */
#ifndef LIBC_GETOPT_H
#define LIBC_GETOPT_H

#include <abi/errno.h>
#include <stdbool.h>

/* Exit statuses of the core programs. */
#define CMD_EXIT_OK    0
#define CMD_EXIT_ERROR 1 /* an operation failed */
#define CMD_EXIT_USAGE 2 /* a bad option or a missing operand */

extern char *optarg; /* the current option's argument */
extern int optind;   /* the next argument to look at (from 1) */
extern int opterr;   /* nonzero: getopt reports bad options on stderr */
extern int optopt;   /* the option character getopt rejected */

/** The next option character of @a argv listed in @a optstring (a letter
 *  followed by ':' takes an argument), '?' for an unknown option or a
 *  missing argument (reported as "NAME: unknown option -x", followed by
 *  the usage line cmd_help() was given, unless opterr is 0), -1 after the
 *  last option. A word "--name" is an unknown option as a whole. */
int getopt(int argc, char *const argv[], const char *optstring);

/** The last component of @a path (a program's name from its argv[0]). */
const char *cmd_name(const char *path);
/** If argv[1] is "--help", prints "usage: NAME @a usage" to stdout and
 *  returns true (the program then exits 0). Keeps @a usage (a literal)
 *  for getopt's report of a bad option. */
bool cmd_help(int argc, char *const argv[], const char *usage);
/** Prints "usage: NAME @a usage" to stderr; returns CMD_EXIT_USAGE. */
int cmd_usage_error(const char *argv0, const char *usage);
/** Prints "NAME: @a what: strerror(@a rc)" to stderr; returns CMD_EXIT_ERROR. */
int cmd_error(const char *argv0, const char *what, errno_t rc);
/** The start of main() of a program with neither options nor operands:
 *  true when it is to exit at once with *@a status (`--help`, a bad option
 *  or an operand). */
bool cmd_no_operands(int argc, char *argv[], const char *usage, int *status);
/** Reports a failed system operation @a what: "NAME: not permitted" for
 *  EPERM (naming `priv NAME` when the task holds no permission at all),
 *  else as cmd_error(); returns CMD_EXIT_ERROR. */
int cmd_fail(const char *argv0, const char *what, errno_t rc);
/** main() of a program without options that does @a op to each of its one
 *  or more operands (`--help`, usage errors and failures as above); the
 *  exit status. */
int cmd_each(
    int argc, char *argv[], const char *usage, errno_t (*op)(const char *operand));
/** The start of main() of a program whose words are its own (servers, test
 *  programs and their child modes): true when it is to exit at once with
 *  *@a status: `--help` (usage on stdout, 0) or a first argument starting
 *  with '-' that is not one of the NULL-terminated @a words (NULL: none; the
 *  usage on stderr, CMD_EXIT_USAGE). The words after the first are the
 *  program's to check. */
bool cmd_check_words(int argc, char *const argv[], const char *usage,
    const char *const words[], int *status);

#endif
