/*
 * Running programs: finding them ($PATH), spawning them with the
 * redirected files and the environment, handing them the terminal (cooked
 * mode, foreground: Ctrl-C kills them) while the shell waits, and turning
 * how they ended into $?. A program runs with no permissions; `priv
 * COMMAND ...` runs COMMAND with the shell's own (docs/security.md).
 */
#include "sh.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <term.h>
#include <unistd.h>

/** Whether @a path names a file that is not a directory. */
static bool is_program(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/** The file to run for command @a name (@a path has VFS_PATH_MAX + 1
 *  bytes): the path itself when it has a '/' (task_spawn takes a relative
 *  one from our working directory), else the first DIR/NAME of $PATH's
 *  DIRs (SH_APP_DIR when PATH is not set) that exists; ENOENT if none
 *  does. */
static errno_t program_path(sh_t *sh, const char *name, char *path)
{
	if (strchr(name, '/') != NULL) {
		snprintf(path, VFS_PATH_MAX + 1, "%s", name);
		return EOK;
	}
	const char *dirs = vars_get(&sh->vars, "PATH");
	if (dirs == NULL)
		dirs = SH_APP_DIR;
	for (const char *d = dirs;; d++) {
		size_t len = strcspn(d, ":");
		/* An empty entry is the working directory, as in sh. */
		int n = snprintf(path, VFS_PATH_MAX + 1, "%.*s/%s",
		    (int) (len > 0 ? len : 1), len > 0 ? d : ".", name);
		if (n > 0 && n <= VFS_PATH_MAX && is_program(path))
			return EOK;
		d += len;
		if (*d == '\0')
			return ENOENT;
	}
}

void run_foreground(sh_t *sh, task_id_t id)
{
	if (sh->term == NULL)
		return;
	/* Failures leave Ctrl-C without effect; the program still runs. */
	DISCARD(best_effort,
	    term_set_mode(sh->term, id != 0 ? TERM_MODE_COOKED : TERM_MODE_RAW));
	DISCARD(best_effort, term_set_foreground(sh->term, id));
}

void run_terminal_cooked(sh_t *sh)
{
	if (sh->term != NULL)
		DISCARD(best_effort, term_set_mode(sh->term, TERM_MODE_COOKED));
}

bool run_foreground_pipeline(sh_t *sh, const sh_pipe_run_t *run)
{
	bool first = true;
	for (int i = 0; i < run->nstages; i++) {
		if (!run->started[i])
			continue;
		if (first)
			run_foreground(sh, run->ids[i]);
		else if (sh->term != NULL)
			DISCARD(best_effort, term_add_foreground(sh->term, run->ids[i]));
		first = false;
	}
	return !first;
}

/** task_spawn's created hook (@a arg: a foreground program's sh_fg_t, NULL
 *  for a background one): the shell becomes its exception handler, and a
 *  foreground task joins the terminal's foreground before it is even loaded,
 *  so a Ctrl-C typed right after Enter reaches it. */
static void foreground_created(task_id_t id, void *arg)
{
	sh_fg_t *fg = arg;
	crash_watch(id);
	if (fg == NULL || fg->sh->term == NULL)
		return;
	if (fg->first)
		DISCARD(best_effort, term_set_foreground(fg->sh->term, id));
	else
		DISCARD(best_effort, term_add_foreground(fg->sh->term, id));
	fg->first = false;
	fg->joined = true;
}

/** Reports a failed spawn of @a name and returns its $?. */
static int spawn_failed(sh_t *sh, const char *name, errno_t rc, bool joined)
{
	if (joined && (rc == EHANGUP || rc == ENOENT)) {
		/* The task existed and joined the foreground, then went while
		 * being set up: Ctrl-C killed it. The loader's hang-up gives
		 * EHANGUP; a later set-up step naming the gone task (its
		 * permissions, quotas, files or wait) gives ENOENT. */
		sh_printf(sh, -1, "killed\n");
		return SH_STATUS_KILLED;
	}
	if (rc == ENOENT) {
		sh_error(sh, "%s: not found", name);
		return SH_STATUS_NOT_FOUND;
	}
	if (rc == ENOEXEC)
		sh_error(sh, "%s: not an executable", name);
	else
		sh_error(sh, "%s: %s", name, strerror(rc));
	return SH_STATUS_NOT_EXEC;
}

/** $? for a task that ended as @a texit says; reports kills. */
static int exit_status(sh_t *sh, const task_exit_t *texit)
{
	if (texit->how == TASK_EXIT_NORMAL)
		return texit->status;
	char why[64];
	sh_printf(sh, -1, "%s\n", task_exit_describe(texit, why, sizeof(why)));
	return texit->how == TASK_EXIT_FAULT ? SH_STATUS_FAULT : SH_STATUS_KILLED;
}

/** Spawns @a path with @a a's arguments from @a first on and @a a's
 *  environment, holding @a perms; in the foreground unless @a fg is NULL. */
static errno_t spawn_with_env(sh_t *sh, const char *path, const sh_argv_t *a, int first,
    unsigned perms, const int files[3], sh_fg_t *fg, task_id_t *id, task_wait_t *wait)
{
	char **env;
	errno_t rc = vars_environ(&sh->vars, a->assign, (size_t) a->nassign, &env);
	if (rc != EOK)
		return rc;
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.env = env;
	/* Every program gets the shell as its exception handler (crash.c); a
	 * foreground one also joins the terminal's foreground. */
	opts.created = foreground_created;
	opts.created_arg = fg;
	for (int i = 0; i < 3; i++)
		opts.files[i] = files[i];
	opts.perms = perms;
	rc = task_spawn_opts(
	    id, wait, path, (const char *const *) a->argv + first, &opts);
	vars_environ_free(env);
	return rc;
}

int run_program_word(const sh_argv_t *a)
{
	return strcmp(a->argv[0], SH_PRIV_WORD) == 0 ? 1 : 0;
}

/** Checks the word after a `priv` prefix in @a a: EINVAL (reported, with
 *  *@a status) when there is none or it names a builtin. */
static errno_t priv_check(sh_t *sh, const sh_argv_t *a, int *status)
{
	if (a->argc < 2) {
		sh_error(sh,
		    "usage: priv COMMAND [ARGUMENTS...]: COMMAND runs with "
		    "the shell's permissions");
	} else if (builtin_find(a->argv[1]) != NULL) {
		sh_error(sh, "priv: %s is a builtin: it runs in the shell", a->argv[1]);
	} else {
		return EOK;
	}
	*status = SH_STATUS_SYNTAX;
	return EINVAL;
}

errno_t run_spawn(sh_t *sh, const sh_argv_t *a, const int files[3], sh_fg_t *fg,
    task_id_t *id, task_wait_t *wait, int *status)
{
	char path[VFS_PATH_MAX + 1];
	if (fg != NULL)
		fg->joined = false; /* this program's own */
	int first = run_program_word(a);
	/* Only a program asked for with `priv` gets the shell's permissions. */
	unsigned perms = first > 0 ? perm_get() : 0;
	if (first > 0 && priv_check(sh, a, status) != EOK)
		return EINVAL;
	errno_t rc = program_path(sh, a->argv[first], path);
	if (rc == EOK)
		rc = spawn_with_env(sh, path, a, first, perms, files, fg, id, wait);
	if (rc != EOK)
		*status = spawn_failed(sh, a->argv[first], rc, fg != NULL && fg->joined);
	return rc;
}

/** Waits for the task of @a wait (@a name in messages); returns its $?. */
static int run_wait(sh_t *sh, const char *name, task_wait_t *wait)
{
	task_exit_t texit;
	int retval;
	errno_t rc = task_wait(wait, &texit, &retval);
	if (rc != EOK) {
		sh_error(sh, "%s: waiting failed: %s", name, strerror(rc));
		return SH_STATUS_NOT_EXEC;
	}
	return exit_status(sh, &texit);
}

int run_wait_pipeline(sh_t *sh, sh_pipe_run_t *run)
{
	for (int i = 0; i < run->nstages; i++) {
		if (run->started[i]) {
			run->status[i] = run_wait(sh, run->names[i], &run->waits[i]);
			run->started[i] = false;
		}
	}
	return run->status[run->nstages - 1];
}
