/*
 * mount: mounts a file system of type TYPE at MOUNTPOINT with OPTIONS
 * (-r: read-only, -w: wait for the type to register). The VFS has no call
 * that lists its mounts, so without arguments this says so.
 */
#include <getopt.h>
#include <stdio.h>
#include <vfs.h>

#define USAGE "[-r] [-w] [TYPE MOUNTPOINT [OPTIONS]]"

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
	if (left == 0) {
		fprintf(stderr,
		    "%s: the VFS cannot list its mounts; "
		    "`df PATH` shows the one holding PATH\n",
		    cmd_name(argv[0]));
		return CMD_EXIT_ERROR;
	}
	if (left != 2 && left != 3)
		return cmd_usage_error(argv[0], USAGE);
	const char *opts = left == 3 ? argv[optind + 2] : "";
	errno_t rc = vfs_mount(argv[optind + 1], argv[optind], opts, flags);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(argv[0], argv[optind + 1], rc);
}
