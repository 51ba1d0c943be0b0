/*
 * mv: renames SRC to DST (inside DST when it is a directory). Across file
 * systems (EXDEV) it runs `cp -r SRC DST` and then `rm -r SRC`, after
 * checking that SRC can be removed, so that it either moves or changes
 * nothing (a failed copy is removed again).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <task.h>
#include <vfs.h>

#define USAGE "SRC DST"

static const char *prog;

/** Runs /app/@a name with @a args (it reports its own errors on our
 *  stderr); *@a failed when it did not exit 0. Fails only if it could not
 *  be run or waited for. */
static errno_t run(const char *name, const char *const args[], bool *failed)
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
	*failed = exit.how != TASK_EXIT_NORMAL || exit.status != 0;
	return EOK;
}

/** EOK when @a src lies on a file system that lets it be removed. */
static errno_t removable(const char *src)
{
	vfs_statfs_t sf;
	errno_t rc = vfs_statfs(src, &sf);
	if (rc != EOK)
		return rc;
	return sf.flags & VFS_MOUNT_RDONLY ? EROFS : EOK;
}

/** Moves between file systems: a copy, then the source removed. */
static int move_across(const char *src, const char *dst)
{
	errno_t rc = removable(src);
	if (rc != EOK)
		return cmd_error(prog, src, rc);
	struct stat st;
	bool existed = stat(dst, &st) == 0;
	const char *const cp_args[] = {"cp", "-r", src, dst, NULL};
	bool failed = false;
	rc = run("cp", cp_args, &failed);
	if (rc != EOK)
		return cmd_error(prog, "/app/cp", rc);
	if (failed) {
		/* cp named the cause; take back what it made (only a new name). */
		const char *const undo_args[] = {"rm", "-r", dst, NULL};
		if (!existed && stat(dst, &st) == 0)
			(void) run("rm", undo_args, &failed);
		fprintf(
		    stderr, "%s: %s: not moved (the copy failed)\n", cmd_name(prog), src);
		return CMD_EXIT_ERROR;
	}
	const char *const rm_args[] = {"rm", "-r", src, NULL};
	rc = run("rm", rm_args, &failed);
	if (rc != EOK)
		return cmd_error(prog, "/app/rm", rc);
	if (failed) {
		fprintf(stderr, "%s: %s: copied to %s but not removed\n", cmd_name(prog),
		    src, dst);
		return CMD_EXIT_ERROR;
	}
	return CMD_EXIT_OK;
}

int main(int argc, char *argv[])
{
	prog = argv[0];
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
		return move_across(src, dst);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(argv[0], src, rc);
}
