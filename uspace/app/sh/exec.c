/*
 * Running one command line: parse, open the redirections, then a builtin
 * (which writes to the `>` file if there is one) or a program.
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

void sh_execute(sh_t *sh, const char *text)
{
	if (sh_parse(text, sh->status, &command) != EOK) {
		sh_error(sh, "%s", command.error);
		sh->status = SH_STATUS_SYNTAX;
		return;
	}
	if (command.argc > 0)
		sh->status = execute_command(sh, &command);
}
