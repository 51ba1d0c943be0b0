/*
 * Running one command line: parse it, then its pipelines in turn as their
 * separators say (; && || &). Each pipeline's commands are expanded just
 * before they start (so `cd d; ls *` globs in d). A lone command that is a
 * builtin runs in the shell, one of only assignments sets variables; the
 * rest start as programs at once, each one's stdout the next one's stdin
 * through a pipe (unistd.h's pipe()), then each command's redirections
 * apply in the order typed. The shell closes its ends of pipes and files
 * as soon as the programs have theirs, so a reader sees the end of the
 * file when its writer ends (also when a stage failed to start). A
 * foreground pipeline gets the terminal (Ctrl-C kills its programs) and
 * $? is its last command's; a background one becomes a job (jobs.c).
 */
#include "sh.h"
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* One line at a time: the shell runs lines one after another. */
static sh_list_t list;
/* The command being started, expanded; `expanded_from` is the command it
 * came from (NULL: none yet), so a lone program that run_in_shell()
 * expanded is not expanded (and globbed) again. */
static sh_argv_t expanded;
static const sh_simple_t *expanded_from;

static const char *shell_getvar(void *ctx, const char *name)
{
	return vars_get(&((sh_t *) ctx)->vars, name);
}

static errno_t shell_glob(void *ctx, const char *pattern, sh_argv_t *out)
{
	glob_t g;
	int rc = glob(pattern, 0, NULL, &g);
	errno_t erc = rc == 0	 ? EOK
	    : rc == GLOB_NOMATCH ? ENOENT
	    : rc == GLOB_NOSPACE ? ENOMEM
				 : EIO;
	for (size_t i = 0; erc == EOK && i < g.gl_pathc; i++)
		erc = sh_argv_add(out, g.gl_pathv[i]);
	globfree(&g);
	return erc;
}

/** Expands @a cmd into `expanded`; reports a failure. */
static errno_t expand_command(sh_t *sh, const sh_simple_t *cmd)
{
	sh_expander_t ex = {shell_getvar, shell_glob, sh, sh->status};
	errno_t rc = sh_expand(cmd, &ex, &expanded);
	expanded_from = rc == EOK ? cmd : NULL;
	if (rc != EOK)
		sh_error(sh, "%s", expanded.error);
	return rc;
}

/** The descriptors a command's redirections opened, closed after use. */
typedef struct {
	int fds[SH_REDIRS_MAX];
	int n;
} sh_opened_t;

static void opened_close(sh_opened_t *o)
{
	for (int i = 0; i < o->n; i++)
		close(o->fds[i]);
	o->n = 0;
}

/** Applies redirection @a r to @a target (the expanded file name). */
static errno_t redirect_one(
    sh_t *sh, const sh_redir_t *r, const char *target, int files[3], sh_opened_t *o)
{
	static const int flags[] = {
	    [SH_REDIR_IN] = O_RDONLY,
	    [SH_REDIR_OUT] = O_WRONLY | O_CREAT | O_TRUNC,
	    [SH_REDIR_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
	    [SH_REDIR_ERR] = O_WRONLY | O_CREAT | O_TRUNC,
	    [SH_REDIR_ERR_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
	};
	static const int which[] = {0, 1, 1, 2, 2, 2};
	if (r->kind == SH_REDIR_ERR_TO_OUT) {
		files[2] = files[1];
		return EOK;
	}
	int fd = open(target, flags[r->kind]);
	if (fd < 0) {
		errno_t rc = errno; /* before the message's IPC */
		sh_error(sh, "%s: %s", target, strerror(rc));
		return rc;
	}
	o->fds[o->n++] = fd;
	files[which[r->kind]] = fd;
	return EOK;
}

/** Applies the redirections of @a cmd (expanded in `expanded`) on top of
 *  @a files; the files opened in @a o. */
static errno_t redirect(sh_t *sh, const sh_simple_t *cmd, int files[3], sh_opened_t *o)
{
	for (int r = 0; r < cmd->nredirs; r++) {
		errno_t rc = redirect_one(
		    sh, &cmd->redirs[r], expanded.targets[r], files, o);
		if (rc != EOK) {
			opened_close(o);
			return rc;
		}
	}
	return EOK;
}

/** Sets the variables of `expanded`'s assignments; its $?. */
static int assign_variables(sh_t *sh)
{
	for (int i = 0; i < expanded.nassign; i++) {
		errno_t rc = vars_assign(&sh->vars, expanded.assign[i], false);
		if (rc != EOK) {
			sh_error(sh, "%s: %s", expanded.assign[i], strerror(rc));
			return 1;
		}
	}
	return 0;
}

/** Runs the lone command @a cmd in the shell if it is a builtin or only
 *  assignments (or only redirections); false if it is a program. */
static bool run_in_shell(sh_t *sh, const sh_simple_t *cmd, int *status)
{
	if (expand_command(sh, cmd) != EOK) {
		*status = SH_STATUS_SYNTAX;
		return true;
	}
	sh_builtin_fn_t builtin = expanded.argc > 0 ? builtin_find(expanded.argv[0])
						    : NULL;
	if (expanded.argc > 0 && builtin == NULL)
		return false;
	int files[3] = {-1, -1, -1};
	sh_opened_t o = {.n = 0};
	if (redirect(sh, cmd, files, &o) != EOK) {
		*status = SH_STATUS_REDIRECT;
		return true;
	}
	if (builtin != NULL)
		*status = builtin(sh, expanded.argc, expanded.argv, files[1]);
	else
		*status = assign_variables(sh);
	opened_close(&o);
	expanded_from = NULL; /* a builtin may have changed what it means */
	return true;
}

/** Starts command @a i of pipeline @a p (of `list`) with stdin @a in (-1:
 *  the default); its stdout is a new pipe whose read end goes to
 *  *@a next_in, or the default for the last command. Closes @a in and the
 *  pipe's write end. False if no pipe could be made (the later stages are
 *  not started then). */
static bool stage_start(sh_t *sh, const sh_pipeline_t *p, int i, sh_fg_t *fg, int in,
    int *next_in, sh_pipe_run_t *run)
{
	bool bg = fg == NULL;
	const sh_simple_t *cmd = &list.stages[p->first + i];
	int ends[2] = {-1, -1};
	bool last = i == p->nstages - 1;
	bool piped = last || pipe(ends) == 0;
	if (!piped)
		sh_error(sh, "pipe: %s", strerror(errno));
	sh_term_files_open(sh);
	/* A background job does not read the terminal, which is the shell's. */
	int files[3] = {in >= 0 ? in
		: bg		? -1
				: sh->term_files[0],
	    last ? sh->term_files[1] : ends[1], sh->term_files[2]};
	sh_opened_t o = {.n = 0};
	bool ready = piped && (expanded_from == cmd || expand_command(sh, cmd) == EOK);
	expanded_from = NULL; /* the next line reuses this memory */
	if (ready && redirect(sh, cmd, files, &o) == EOK) {
		if (expanded.argc == 0) {
			sh_error(sh, "a command of a pipeline has no words");
		} else if (builtin_find(expanded.argv[0]) != NULL) {
			sh_error(sh, "%s: a builtin cannot run in a pipeline",
			    expanded.argv[0]);
			run->status[i] = SH_STATUS_NOT_EXEC;
		} else {
			int w = expanded.argc > 1 ? run_program_word(&expanded) : 0;
			snprintf(
			    run->names[i], sizeof(run->names[i]), "%s", expanded.argv[w]);
			run->started[i] = run_spawn(sh, &expanded, files, fg,
					      &run->ids[i], &run->waits[i],
					      &run->status[i]) == EOK;
		}
		opened_close(&o);
	}
	if (in >= 0)
		close(in);
	if (ends[1] >= 0)
		close(ends[1]);
	*next_in = ends[0];
	return piped;
}

/** Starts every command of pipeline @a p into @a run, in the foreground
 *  through @a fg (NULL: in the background). */
static void pipeline_start(
    sh_t *sh, const sh_pipeline_t *p, sh_fg_t *fg, sh_pipe_run_t *run)
{
	run->nstages = p->nstages;
	int in = -1; /* closed by the stage that takes it */
	bool go_on = true;
	for (int i = 0; i < p->nstages; i++) {
		run->started[i] = false;
		run->status[i] = SH_STATUS_REDIRECT;
		if (go_on)
			go_on = stage_start(sh, p, i, fg, in, &in, run);
	}
	if (in >= 0)
		close(in);
}

/** The text pipeline @a p was typed as, from its first word to its last
 *  (redirections included): *@a len bytes at the result. */
static const char *pipeline_text(const sh_pipeline_t *p, size_t *len)
{
	const char *start = NULL, *end = NULL;
	for (int i = p->first; i < p->first + p->nstages; i++) {
		const sh_simple_t *s = &list.stages[i];
		for (int w = 0; w < s->nwords; w++) {
			const sh_raw_t *r = &s->words[w];
			start = start == NULL || r->text < start ? r->text : start;
			end = end == NULL || r->text + r->len > end ? r->text + r->len
								    : end;
		}
		for (int w = 0; w < s->nredirs; w++) {
			const sh_raw_t *r = &s->redirs[w].target;
			end = end == NULL || r->text + r->len > end ? r->text + r->len
								    : end;
		}
	}
	*len = start != NULL && end > start ? (size_t) (end - start) : 0;
	return start != NULL ? start : "";
}

/** Runs pipeline @a p in the background; its $? (0 once started). */
static int execute_background(sh_t *sh, const sh_pipeline_t *p)
{
	int status;
	if (p->nstages == 1 && run_in_shell(sh, &list.stages[p->first], &status))
		return status;
	sh_job_t *job = jobs_reserve(sh);
	if (job == NULL) {
		sh_error(sh, "too many jobs (at most %d): not started", SH_JOBS_MAX);
		return 1;
	}
	pipeline_start(sh, p, NULL, &job->run);
	bool any = false;
	for (int i = 0; i < job->run.nstages; i++)
		any = any || job->run.started[i];
	if (!any)
		return job->run.status[job->run.nstages - 1];
	size_t len;
	const char *text = pipeline_text(p, &len);
	if (!jobs_start(sh, job, text, len)) {
		sh_error(sh, "no memory for a job: waiting for it");
		run_foreground_pipeline(sh, &job->run);
		status = run_wait_pipeline(sh, &job->run);
		run_foreground(sh, 0);
		return status;
	}
	return 0;
}

/** Runs pipeline @a p and waits for it; its $?. */
static int execute_foreground(sh_t *sh, const sh_pipeline_t *p)
{
	static sh_pipe_run_t run;
	int status;
	if (p->nstages == 1 && run_in_shell(sh, &list.stages[p->first], &status))
		return status;
	/* Cooked before the programs start, and each the foreground as soon
	 * as its task exists: what is typed from now on is theirs, a line at
	 * a time, and a Ctrl-C typed at once kills them. */
	run_terminal_cooked(sh);
	sh_fg_t fg = {sh, true, false};
	pipeline_start(sh, p, &fg, &run);
	status = run_wait_pipeline(sh, &run);
	run_foreground(sh, 0);
	return status;
}

/** Whether pipeline @a i runs, after the one before it ended with $?. */
static bool item_runs(int i, int status)
{
	if (i == 0)
		return true;
	sh_sep_t before = list.items[i - 1].sep;
	return before == SH_SEP_AND ? status == 0
	    : before == SH_SEP_OR   ? status != 0
				    : true;
}

void sh_execute(sh_t *sh, const char *text)
{
	expanded_from = NULL; /* `list` is about to change */
	if (sh_parse(text, &list) != EOK) {
		sh_error(sh, "%s", list.error);
		sh->status = SH_STATUS_SYNTAX;
		return;
	}
	for (int i = 0; i < list.nitems && !sh->quit; i++) {
		if (!item_runs(i, sh->status))
			continue;
		const sh_pipeline_t *p = &list.items[i];
		sh->status = p->sep == SH_SEP_BG ? execute_background(sh, p)
						 : execute_foreground(sh, p);
	}
}
