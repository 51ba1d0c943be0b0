/*
 * The shell: state shared by its parts and the calls between them.
 *
 *   parse.c     a line into words and redirections (pure)
 *   edit.c      line buffer, history, key decoding (pure)
 *   input.c     reading a line from the terminal in raw mode, with editing
 *   complete.c  Tab completion of commands and paths
 *   exec.c      running one parsed line: redirections, builtin or program,
 *               or a pipeline of programs
 *   builtins.c  cd, pwd, exit, help, history
 *   run.c       spawning a program and waiting for it
 *   output.c    the shell's own output (terminal, stdout or a file)
 *   sh.c        main: interactive or `sh FILE`
 */
#ifndef SH_SH_H
#define SH_SH_H

#include "edit.h"
#include <async.h>
#include <stdbool.h>

/* $? of a program the shell could not find, or could not start. */
#define SH_STATUS_NOT_FOUND 127
#define SH_STATUS_NOT_EXEC  126
/* $? of a program killed by another task (Ctrl-C: 128 + SIGINT's 2)... */
#define SH_STATUS_KILLED 130
/* ... or by the kernel after a fault (128 + SIGSEGV's 11). */
#define SH_STATUS_FAULT 139
/* $? after a line that did not parse, or whose redirection failed. */
#define SH_STATUS_SYNTAX   2
#define SH_STATUS_REDIRECT 1

/* The directory programs are found in by name. */
#define SH_APP_DIR "/app"

typedef struct {
	/* The terminal; NULL when running a script (output then goes to
	 * stdout and programs get no foreground). */
	async_sess_t *term;
	/* The terminal as files (TERMINAL_PATH) for programs' stdin, stdout
	 * and stderr where they are not redirected; -1: none (their output
	 * then goes to the kernel console). */
	int term_files[3];
	int status; /* $?: the last command's exit status */
	bool quit;  /* `exit` was run */
	sh_history_t history;
} sh_t;

/* output.c: @a fd < 0 means the shell's own output (the terminal,
 * or stdout in a script). */
void sh_write(sh_t *sh, int fd, const char *buf, size_t size);
void sh_printf(sh_t *sh, int fd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** "sh: " followed by the message and a new line, on the shell's output. */
void sh_error(sh_t *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Writes the prompt: the working directory and " # ". */
void sh_prompt(sh_t *sh);

/* input.c */
/** Reads one edited line into @a line; EHANGUP on Ctrl-D at an empty line
 *  or when the terminal fails. */
errno_t input_read_line(sh_t *sh, sh_line_t *line);

/* complete.c */
/** Completes the word before the cursor; with @a list (a second Tab) shows
 *  all candidates below the line when there are several (the caller then
 *  redraws the prompt and the line). */
void complete_word(sh_t *sh, sh_line_t *line, bool list);

/* exec.c */
/** Runs @a text as a command line; sets sh->status (and sh->quit). */
void sh_execute(sh_t *sh, const char *text);

/* builtins.c */
typedef int (*sh_builtin_fn_t)(sh_t *sh, int argc, char **argv, int out);
/** The builtin named @a name, or NULL. */
sh_builtin_fn_t builtin_find(const char *name);
/** The name of builtin @a i, or NULL past the last. */
const char *builtin_name(size_t i);

/* run.c */
/** Runs program @a argv[0] (from /app, or a path if it has a '/') with
 *  stdin/stdout/stderr @a files (-1: none) and waits; returns its $?. */
int run_program(sh_t *sh, char *const argv[], const int files[3]);
/** Starts program @a argv[0] as run_program() does, without waiting; on
 *  failure reports it and sets *@a status to the $? it means. */
errno_t run_spawn(sh_t *sh, char *const argv[], const int files[3], task_id_t *id,
    task_wait_t *wait, int *status);
/** Gives the terminal to task @a id (0: takes it back, raw mode again). */
void run_foreground(sh_t *sh, task_id_t id);
/** Same, or with !@a first adds @a id to the tasks Ctrl-C kills. */
void run_foreground_add(sh_t *sh, task_id_t id, bool first);
/** Waits for the task of @a wait (@a name in messages); returns its $?. */
int run_wait(sh_t *sh, const char *name, task_wait_t *wait);

#endif
