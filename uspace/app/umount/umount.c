/*
 * umount: unmounts the file system mounted at MOUNTPOINT.
 */
#include <getopt.h>
#include <vfs.h>

#define USAGE "MOUNTPOINT"

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	if (argc - optind != 1)
		return cmd_usage_error(argv[0], USAGE);
	errno_t rc = vfs_unmount(argv[optind]);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(argv[0], argv[optind], rc);
}
