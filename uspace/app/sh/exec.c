/*
 * Running one command line: parse, open the redirections, then a builtin
 * (which writes to the `>` file if there is one) or a program; or a
 * pipeline: all its programs at once, each one's stdout the next one's
 * stdin through a pipe (unistd.h's pipe()), the `<` file the first one's
 * stdin and the `>` file the last one's stdout. The shell closes its pipe
 * ends as soon as the stages have theirs, so a reader sees the end of the
 * file when its writer ends (also when a stage failed to start). The last
 * stage gets the terminal (Ctrl-C kills it); $? is the last stage's.
 */
#include "sh.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* One parsed line at a time: the shell runs lines one after another. */
static sh_command_t command;

/** Opens @a path with @a flags into *@a fd; reports a failure. */
static errno_t open_redirection(sh_t *sh, const char *path, int flags, int *fd)
{
	*fd = open(path, flags);
	if (*fd < 0) {
		sh_error(sh, "%s: %s", path, str_error(errno));
		return errno;
	}
	return EOK;
}

static void close_files(int files[3])
{
	for (int i = 0; i < 3; i++) {
		if (files[i] >= 0)
			close(files[i]);
		files[i] = -1;
	}
}

/** Opens @a cmd's `<` and `>`/`>>` files as files[0] and files[1]. */
static errno_t open_redirections(sh_t *sh, const sh_command_t *cmd, int files[3])
{
	errno_t rc = EOK;
	if (cmd->in_path != NULL)
		rc = open_redirection(sh, cmd->in_path, O_RDONLY, &files[0]);
	if (rc == EOK && cmd->out_path != NULL) {
		int flags = O_WRONLY | O_CREAT | (cmd->append ? O_APPEND : O_TRUNC);
		rc = open_redirection(sh, cmd->out_path, flags, &files[1]);
	}
	if (rc != EOK)
		close_files(files);
	return rc;
}

/** Runs the parsed @a cmd (at least one word) and returns its $?. */
static int execute_command(sh_t *sh, sh_command_t *cmd)
{
	int files[3] = {-1, -1, -1};
	if (open_redirections(sh, cmd, files) != EOK)
		return SH_STATUS_REDIRECT;
	sh_builtin_fn_t builtin = builtin_find(cmd->argv[0]);
	int status = builtin != NULL ? builtin(sh, cmd->argc, cmd->argv, files[1])
				     : run_program(sh, cmd->argv, files);
	close_files(files);
	return status;
}

/** The state of one stage of a running pipeline. */
typedef struct {
	task_wait_t wait;
	task_id_t id;
	bool started;
	int status; /* when it did not start */
} stage_run_t;

/** Whether no stage of @a cmd is a builtin (they cannot run in one);
 *  reports the first that is. */
static bool pipeline_check(sh_t *sh, const sh_command_t *cmd)
{
	for (int i = 0; i < cmd->nstages; i++) {
		const char *name = cmd->stages[i].argv[0];
		if (builtin_find(name) != NULL) {
			sh_error(sh, "%s: a builtin cannot run in a pipeline", name);
			return false;
		}
	}
	return true;
}

/** Starts stage @a i of @a cmd with stdin @a in; its stdout is the write
 *  end of a new pipe whose read end goes to *@a next_in, or for the last
 *  stage the `>` file @a out. Closes @a in and the write end. False if
 *  no pipe could be made (the later stages are not started then). */
static bool stage_start(
    sh_t *sh, sh_command_t *cmd, int i, int in, int out, int *next_in, stage_run_t *run)
{
	int ends[2] = {-1, -1};
	bool last = i == cmd->nstages - 1;
	run->started = false;
	run->status = SH_STATUS_REDIRECT;
	bool piped = last || pipe(ends) == 0;
	if (!piped) {
		sh_error(sh, "pipe: %s", str_error(errno));
	} else {
		const int files[3] = {in, last ? out : ends[1], -1};
		run->started = run_spawn(sh, cmd->stages[i].argv, files, &run->id,
				   &run->wait, &run->status) == EOK;
	}
	if (in >= 0)
		close(in);
	if (ends[1] >= 0)
		close(ends[1]);
	*next_in = ends[0];
	return piped;
}

/** Runs the pipeline @a cmd and returns its $?. */
static int execute_pipeline(sh_t *sh, sh_command_t *cmd)
{
	int files[3] = {-1, -1, -1};
	if (!pipeline_check(sh, cmd))
		return SH_STATUS_NOT_EXEC;
	if (open_redirections(sh, cmd, files) != EOK)
		return SH_STATUS_REDIRECT;
	stage_run_t runs[SH_STAGES_MAX];
	int in = files[0]; /* closed by the stage that takes it */
	bool go_on = true;
	for (int i = 0; i < cmd->nstages; i++) {
		runs[i] = (stage_run_t){.started = false, .status = SH_STATUS_REDIRECT};
		if (go_on)
			go_on = stage_start(sh, cmd, i, in, files[1], &in, &runs[i]);
	}
	if (files[1] >= 0)
		close(files[1]);
	/* Ctrl-C stops every stage. */
	bool first = true;
	for (int i = 0; i < cmd->nstages; i++) {
		if (runs[i].started) {
			run_foreground_add(sh, runs[i].id, first);
			first = false;
		}
	}
	for (int i = 0; i < cmd->nstages; i++) {
		if (runs[i].started)
			runs[i].status = run_wait(
			    sh, cmd->stages[i].argv[0], &runs[i].wait);
	}
	run_foreground(sh, 0);
	return runs[cmd->nstages - 1].status;
}

void sh_execute(sh_t *sh, const char *text)
{
	if (sh_parse(text, sh->status, &command) != EOK) {
		sh_error(sh, "%s", command.error);
		sh->status = SH_STATUS_SYNTAX;
		return;
	}
	if (command.nstages > 1)
		sh->status = execute_pipeline(sh, &command);
	else if (command.argc > 0)
		sh->status = execute_command(sh, &command);
}
