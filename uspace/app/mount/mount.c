/*
 * mount: mounts a file system of type TYPE at MOUNTPOINT with OPTIONS
 * (-r: read-only, -w: wait for the type to register); without operands it
 * lists the mount table (mount point, type, ro/rw, server task).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <vfs.h>

#define USAGE "[-r] [-w] [TYPE MOUNTPOINT [OPTIONS]]"

static void list_one(const vfs_mount_info_t *info, void *arg)
{
	(void) arg;
	printf("%s on %s (%s, task %llu)\n", info->fs_type, info->point,
	    info->flags & VFS_MOUNT_RDONLY ? "ro" : "rw",
	    (unsigned long long) info->server_task);
}

static int list_mounts(const char *argv0)
{
	errno_t rc = vfs_mount_each(list_one, NULL);
	if (rc != EOK)
		return cmd_error(argv0, "the mount table", rc);
	return CMD_EXIT_OK;
}

/** Reports a failed mount of @a type at @a point: the VFS answers ENOENT
 *  both for a missing mount point and for a type no server registered, so
 *  an existing directory means the type is what is missing. */
static int mount_error(const char *argv0, const char *type, const char *point, errno_t rc)
{
	struct stat st;
	if (rc == ENOENT && stat(point, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: no file system of this type is registered\n",
		    cmd_name(argv0), type);
		return CMD_EXIT_ERROR;
	}
	return cmd_error(argv0, point, rc);
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	unsigned flags = 0;
	int opt;
	while ((opt = getopt(argc, argv, "rw")) != -1) {
		if (opt == '?')
			return CMD_EXIT_USAGE;
		flags |= opt == 'r' ? VFS_MOUNT_RDONLY : VFS_MOUNT_WAIT;
	}
	int left = argc - optind;
	if (left == 0)
		return list_mounts(argv[0]);
	if (left != 2 && left != 3)
		return cmd_usage_error(argv[0], USAGE);
	const char *type = argv[optind];
	const char *point = argv[optind + 1];
	const char *opts = left == 3 ? argv[optind + 2] : "";
	errno_t rc = vfs_mount(point, type, opts, flags);
	return rc == EOK ? CMD_EXIT_OK : mount_error(argv[0], type, point, rc);
}
