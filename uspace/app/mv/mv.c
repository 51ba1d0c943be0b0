/*
 * mv: renames SRC to DST (inside DST when it is a directory). Across file
 * systems (EXDEV) it runs `cp -r SRC DST` and then `rm -r SRC`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <task.h>
#include <vfs.h>

#define USAGE "SRC DST"

/** Runs /app/@a name with @a args; EOK if it exited 0. */
static errno_t run(const char *name, const char *const args[])
{
	char path[64];
	snprintf(path, sizeof(path), "/app/%s", name);
	task_wait_t wait;
	errno_t rc = task_spawnv(NULL, &wait, path, args);
	if (rc != EOK)
		return rc;
	task_exit_t exit;
	int retval;
	rc = task_wait(&wait, &exit, &retval);
	if (rc != EOK)
		return rc;
	return exit.how == TASK_EXIT_NORMAL && exit.status == 0 ? EOK : EIO;
}

/** Moves between file systems: a copy, then the source removed. */
static errno_t move_across(const char *src, const char *dst)
{
	const char *const cp_args[] = {"cp", "-r", src, dst, NULL};
	const char *const rm_args[] = {"rm", "-r", src, NULL};
	errno_t rc = run("cp", cp_args);
	return rc == EOK ? run("rm", rm_args) : rc;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	if (argc - optind != 2)
		return cmd_usage_error(argv[0], USAGE);
	const char *src = argv[optind];
	char dst[VFS_PATH_MAX + 1];
	struct stat st;
	bool into = stat(argv[optind + 1], &st) == 0 && S_ISDIR(st.st_mode);
	int n = snprintf(
	    dst, sizeof(dst), into ? "%s/%s" : "%s", argv[optind + 1], cmd_name(src));
	if (n >= (int) sizeof(dst))
		return cmd_error(argv[0], argv[optind + 1], ENAMETOOLONG);
	errno_t rc = rename(src, dst) == 0 ? EOK : errno;
	if (rc == EXDEV)
		rc = move_across(src, dst);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(argv[0], src, rc);
}
