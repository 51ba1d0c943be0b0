/*
 * Running a program: finding it, spawning it with the redirected files,
 * handing it the terminal (cooked mode, foreground: Ctrl-C kills it) while
 * the shell waits, and turning how it ended into $?. A pipeline uses the
 * parts (spawn, foreground, wait) for each of its stages. A program holds
 * the shell's own permissions.
 */
#include "sh.h"
#include <stdio.h>
#include <string.h>
#include <task.h>
#include <term.h>
#include <unistd.h>

/** The file to run for command @a name: SH_APP_DIR/NAME, or the path
 *  itself when it has a '/' (made absolute against the working dir). */
static void program_path(const char *name, char *path, size_t size)
{
	if (strchr(name, '/') == NULL) {
		snprintf(path, size, "%s/%s", SH_APP_DIR, name);
		return;
	}
	if (name[0] == '/') {
		snprintf(path, size, "%s", name);
		return;
	}
	char cwd[VFS_PATH_MAX + 1];
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		snprintf(cwd, sizeof(cwd), "/");
	snprintf(path, size, "%s/%s", cwd, name);
}

void run_foreground(sh_t *sh, task_id_t id)
{
	run_foreground_add(sh, id, true);
}

void run_foreground_add(sh_t *sh, task_id_t id, bool first)
{
	if (sh->term == NULL)
		return;
	/* Failures leave Ctrl-C without effect; the program still runs. */
	if (first) {
		DISCARD(best_effort,
		    term_set_mode(sh->term, id != 0 ? TERM_MODE_COOKED : TERM_MODE_RAW));
		DISCARD(best_effort, term_set_foreground(sh->term, id));
	} else {
		DISCARD(best_effort, term_add_foreground(sh->term, id));
	}
}

/** Reports a failed spawn of @a name and returns its $?. */
static int spawn_failed(sh_t *sh, const char *name, errno_t rc)
{
	if (rc == ENOENT) {
		sh_error(sh, "%s: not found", name);
		return SH_STATUS_NOT_FOUND;
	}
	if (rc == ENOEXEC)
		sh_error(sh, "%s: not an executable", name);
	else
		sh_error(sh, "%s: %s", name, str_error(rc));
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

errno_t run_spawn(sh_t *sh, char *const argv[], const int files[3], task_id_t *id,
    task_wait_t *wait, int *status)
{
	char path[VFS_PATH_MAX + 1];
	program_path(argv[0], path, sizeof(path));
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	for (int i = 0; i < 3; i++)
		opts.files[i] = files[i] >= 0 ? files[i] : sh->term_files[i];
	/* Programs get what the shell holds (init.conf gives it task and
	 * ipclog), so kcon, halt or ipclog work from the prompt. */
	opts.perms = perm_get();
	errno_t rc = task_spawn_opts(id, wait, path, (const char *const *) argv, &opts);
	if (rc != EOK)
		*status = spawn_failed(sh, argv[0], rc);
	return rc;
}

int run_wait(sh_t *sh, const char *name, task_wait_t *wait)
{
	task_exit_t texit;
	int retval;
	errno_t rc = task_wait(wait, &texit, &retval);
	if (rc != EOK) {
		sh_error(sh, "%s: waiting failed: %s", name, str_error(rc));
		return SH_STATUS_NOT_EXEC;
	}
	return exit_status(sh, &texit);
}

int run_program(sh_t *sh, char *const argv[], const int files[3])
{
	task_id_t id;
	task_wait_t wait;
	int status;
	if (run_spawn(sh, argv, files, &id, &wait, &status) != EOK)
		return status;
	run_foreground(sh, id);
	status = run_wait(sh, argv[0], &wait);
	run_foreground(sh, 0);
	return status;
}
