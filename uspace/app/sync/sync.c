/*
 * sync: writes back what every mounted file system holds in memory (the
 * block caches of disk file systems) to its device.
 *
 * Exit status: 1 if a file system failed to, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <vfs.h>

#define USAGE ""

int main(int argc, char *argv[])
{
	int status;
	if (cmd_no_operands(argc, argv, USAGE, &status))
		return status;
	errno_t rc = vfs_sync_all();
	return rc == EOK ? CMD_EXIT_OK : cmd_fail(argv[0], "sync", rc);
}
