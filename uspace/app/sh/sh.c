/*
 * sh: the shell. Without arguments it reads commands from the terminal
 * (the console, raw mode, its own line editing); `sh FILE` runs the lines
 * of FILE as if typed and exits with the last command's status. Programs
 * run from the terminal get it as their stdin, stdout and stderr (the file
 * TERMINAL_PATH) unless redirected.
 */
#include "sh.h"
#include <benchmark.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <log.h>
#include <term.h>
#include <stdlib.h>
#include <unistd.h>
#include <getopt.h>

#define USAGE "[SCRIPT]"

static sh_t shell = {.term_files = {-1, -1, -1}};

/** Opens the terminal's file for programs: reading apart from writing, so
 *  a program waiting for input never holds up another's output. Without
 *  it programs write to the kernel console. Done when the first program
 *  starts, not before the first prompt: the file lies in /loc, which is
 *  mounted (its server started) at its first use. Tried once. */
void sh_term_files_open(sh_t *sh)
{
	if (sh->term == NULL || sh->term_files_tried)
		return;
	sh->term_files_tried = true;
	sh->term_files[0] = open(TERMINAL_PATH, O_RDONLY);
	sh->term_files[1] = open(TERMINAL_PATH, O_WRONLY);
	sh->term_files[2] = sh->term_files[1];
	if (sh->term_files[0] < 0 || sh->term_files[1] < 0)
		fprintf(stderr, "sh: %s: %s; programs write to the kernel console\n",
		    TERMINAL_PATH, strerror(errno));
}

/** Skips the rest of a line too long for the buffer. */
static void skip_line(FILE *f)
{
	int c;
	while ((c = fgetc(f)) != EOF && c != '\n')
		;
}

/** Runs the lines of @a path; returns the last command's status. A line
 *  longer than SH_LINE_MAX is not run (and not split): an error, $? 2. */
static int run_script(sh_t *sh, const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		sh_error(sh, "%s: %s", path, strerror(errno));
		return SH_STATUS_NOT_FOUND;
	}
	static char text[SH_LINE_MAX + 2];
	for (unsigned n = 1; !sh->quit && fgets(text, sizeof(text), f) != NULL; n++) {
		size_t len = strlen(text);
		if (len == sizeof(text) - 1 && text[len - 1] != '\n') {
			skip_line(f);
			sh_error(sh, "%s: line %u: longer than %d characters: not run",
			    path, n, SH_LINE_MAX);
			sh->status = SH_STATUS_SYNTAX;
			continue;
		}
		text[strcspn(text, "\r\n")] = '\0';
		sh_execute(sh, text);
		jobs_report_done(sh);
	}
	fclose(f);
	return sh->status;
}

/** The variables: the environment the shell got, exported; HOME and PATH
 *  get defaults when it did not have them. */
static void vars_init(sh_t *sh)
{
	for (char **e = environ; *e != NULL; e++)
		(void) vars_assign(&sh->vars, *e, true);
	/* Out of memory this early: the shell goes on without them. */
	if (vars_get(&sh->vars, "HOME") == NULL)
		(void) vars_set(&sh->vars, "HOME", "/", true);
	if (vars_get(&sh->vars, "PATH") == NULL)
		(void) vars_set(&sh->vars, "PATH", SH_APP_DIR, true);
}

/** Puts the time of the first prompt (TSC ticks since power-on: guest
 *  instructions under make bench) and the memory in use then into the
 *  system log, for tools/bench.py. Without a log service there is nobody
 *  to tell, so its failure is not the shell's. */
static void log_first_prompt(void)
{
	unsigned long long tsc = bench_tsc();
	kernel_stats_t st;
	char text[LOGGER_LINE_MAX + 1];
	if (kernel_stats_get(&st) == EOK)
		snprintf(text, sizeof(text),
		    "first prompt at %llu TSC ticks since power-on, %llu KiB in use", tsc,
		    (unsigned long long) (st.frames_total - st.frames_free) * 4);
	else
		snprintf(text, sizeof(text),
		    "first prompt at %llu TSC ticks since power-on", tsc);
	DISCARD(best_effort, log_write(text));
}

/** Reads and runs lines until `exit`, Ctrl-D or a terminal failure. */
static int run_interactive(sh_t *sh)
{
	static sh_line_t line;
	sh_write(sh, -1, "Type 'help' for commands.\n", 26);
	log_first_prompt();
	while (!sh->quit) {
		jobs_report_done(sh);
		errno_t rc = input_read_line(sh, &line);
		if (rc != EOK)
			break;
		if (line.overflow) {
			sh_error(
			    sh, "line longer than %d characters: not run", SH_LINE_MAX);
			sh->status = SH_STATUS_SYNTAX;
			continue;
		}
		history_add(&sh->history, line.text);
		sh_execute(sh, line.text);
	}
	return sh->status;
}

int main(int argc, char *argv[])
{
	int early;
	if (cmd_check_words(argc, argv, USAGE, NULL, &early))
		return early;
	fibril_mutex_initialize(&shell.jobs_lock);
	fibril_condvar_initialize(&shell.jobs_cv);
	vars_init(&shell);
	if (argc > 1)
		return run_script(&shell, argv[1]);
	errno_t rc = term_open(&shell.term);
	if (rc != EOK) {
		fprintf(stderr, "sh: no terminal: %s\n", strerror(rc));
		return 1;
	}
	rc = term_set_mode(shell.term, TERM_MODE_RAW);
	if (rc != EOK) {
		fprintf(stderr, "sh: raw mode: %s\n", strerror(rc));
		return 1;
	}
	crash_reports_start(&shell);
	int status = run_interactive(&shell);
	sh_write(&shell, -1, "\n", 1);
	DISCARD(best_effort, term_set_mode(shell.term, TERM_MODE_COOKED));
	return status;
}
