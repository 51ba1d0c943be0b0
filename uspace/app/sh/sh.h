/*
 * The shell: state shared by its parts and the calls between them.
 *
 *   parse.c     a line into lists, pipelines, words, redirections (pure)
 *   expand.c    words into arguments: quotes, $VAR, ~, globbing (pure)
 *   vars.c      the shell's variables and the environment built from them
 *               (pure)
 *   edit.c      line buffer, history, key decoding, wrapping (pure)
 *   input.c     reading a line from the terminal in raw mode, with editing
 *   complete.c  Tab completion of commands and paths
 *   exec.c      running one parsed line: ; && || &, redirections, builtin
 *               or program, or a pipeline of programs
 *   jobs.c      background jobs: jobs, wait, fg
 *   builtins.c  cd, pwd, exit, help, history, export, unset, clear, ...
 *   run.c       finding ($PATH), spawning and waiting for programs
 *   output.c    the shell's own output (terminal, stdout or a file)
 *   sh.c        main: interactive or `sh FILE`
 */
#ifndef SH_SH_H
#define SH_SH_H

#include "edit.h"
#include "expand.h"
#include "vars.h"
#include <async.h>
#include <fibril_synch.h>
#include <stdbool.h>
#include <task.h>

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

/* Where programs are found by name when $PATH is not set, and the
 * directory `help` lists. */
#define SH_APP_DIR "/app"
/* The terminal's width: the console does not tell it; both the screen and
 * a serial terminal are 80 columns unless told otherwise. */
#define SH_TERM_COLUMNS 80

/** The programs of one pipeline once started. */
typedef struct {
	int nstages;
	task_id_t ids[SH_STAGES_MAX];
	task_wait_t waits[SH_STAGES_MAX];
	bool started[SH_STAGES_MAX];
	int status[SH_STAGES_MAX];     /* of a stage that did not start */
	char names[SH_STAGES_MAX][32]; /* argv[0] of each, for messages */
} sh_pipe_run_t;

#define SH_JOBS_MAX	8
#define SH_JOB_TEXT_MAX 64

/** A background job (jobs.c); its waiter fibril sets done and status. */
typedef struct {
	bool used;
	bool done;
	int number; /* [N] and %N */
	int status; /* its last command's $?, once done */
	char text[SH_JOB_TEXT_MAX + 1];
	sh_pipe_run_t run;
} sh_job_t;

typedef struct {
	/* The terminal; NULL when running a script (output then goes to
	 * stdout and programs get no foreground). */
	async_sess_t *term;
	/* The terminal as files (TERMINAL_PATH) for programs' stdin, stdout
	 * and stderr where they are not redirected; -1: none (their output
	 * then goes to the kernel console). Opened by sh_term_files_open. */
	int term_files[3];
	bool term_files_tried;
	int status; /* $?: the last command's exit status */
	bool quit;  /* `exit` was run */
	sh_history_t history;
	sh_vars_t vars;
	/* Jobs: changed by the main fibril and their waiter fibrils, under
	 * jobs_lock; jobs_cv is broadcast when one is done. */
	sh_job_t jobs[SH_JOBS_MAX];
	fibril_mutex_t jobs_lock;
	fibril_condvar_t jobs_cv;
	size_t edit_row; /* input.c: the cursor's row below the prompt's */
} sh_t;

/* output.c: @a fd < 0 means the shell's own output (the terminal,
 * or stdout in a script). */
void sh_write(sh_t *sh, int fd, const char *buf, size_t size);
void sh_printf(sh_t *sh, int fd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** "sh: " followed by the message and a new line, on the shell's output. */
void sh_error(sh_t *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* sh.c: opens term_files for the first program (once; none in a script). */
void sh_term_files_open(sh_t *sh);

/* crash.c: the shell reports the faults of the programs it starts. */
void crash_reports_start(sh_t *sh);
/** Makes the shell the exception handler of its new program @a id. */
void crash_watch(task_id_t id);

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

/* jobs.c */
/** A free job slot to start a pipeline into (its run must stay where
 *  it is: the naming service answers waits into it); NULL if all are
 *  taken. Not taken until jobs_start(). */
sh_job_t *jobs_reserve(sh_t *sh);
/** Makes the pipeline started in @a job->run (typed as the @a len bytes
 *  at @a text) a background job and prints "[N] ID"; false (nothing
 *  changed) when no waiter fibril could be made. */
bool jobs_start(sh_t *sh, sh_job_t *job, const char *text, size_t len);
/** Prints "[N] Done ..." for each job done and forgets it. */
void jobs_report_done(sh_t *sh);
int jobs_builtin_jobs(sh_t *sh, int argc, char **argv, int out);
int jobs_builtin_wait(sh_t *sh, int argc, char **argv, int out);
int jobs_builtin_fg(sh_t *sh, int argc, char **argv, int out);

/* builtins.c */
typedef int (*sh_builtin_fn_t)(sh_t *sh, int argc, char **argv, int out);
/** The builtin named @a name, or NULL. */
sh_builtin_fn_t builtin_find(const char *name);
/** The name of builtin @a i, or NULL past the last. */
const char *builtin_name(size_t i);

/* run.c */
/** How the programs of a foreground pipeline join the terminal's
 *  foreground as each is created: the first replaces what was there. */
typedef struct {
	sh_t *sh;
	bool first;  /* no program of the pipeline has joined yet */
	bool joined; /* the program being spawned has */
} sh_fg_t;

/* `priv COMMAND ...`: the only way a program gets the shell's permissions. */
#define SH_PRIV_WORD "priv"

/** Index in @a a->argv of the program's name: 1 after `priv`, else 0. */
int run_program_word(const sh_argv_t *a);
/** Starts program @a a->argv[0] (found in $PATH, or a path if it has a
 *  '/') with stdin/stdout/stderr @a files (-1: none), the exported
 *  variables and @a a's assignments as its environment, without waiting
 *  and with no permissions; after `priv` it starts @a a->argv[1] with the
 *  shell's permissions. It joins the terminal's foreground through @a fg (NULL: background)
 *  as soon as its task exists. On failure reports it and sets *@a status
 *  to the $? it means. */
errno_t run_spawn(sh_t *sh, const sh_argv_t *a, const int files[3], sh_fg_t *fg,
    task_id_t *id, task_wait_t *wait, int *status);
/** Waits for every started stage of @a run; the last stage's $?. */
int run_wait_pipeline(sh_t *sh, sh_pipe_run_t *run);
/** Puts the terminal in cooked mode (programs about to start read it). */
void run_terminal_cooked(sh_t *sh);
/** Gives the terminal to every started stage of @a run (Ctrl-C kills
 *  them); false if none started. */
bool run_foreground_pipeline(sh_t *sh, const sh_pipe_run_t *run);
/** Gives the terminal to task @a id (0: takes it back, raw mode again). */
void run_foreground(sh_t *sh, task_id_t id);

#endif
