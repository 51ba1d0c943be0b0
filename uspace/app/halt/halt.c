/*
 * halt: power the machine off (where it cannot be, the CPU halts) through
 * SYS_SYSTEM_POWER, which needs PERM_TASK (the shell passes its own on).
 * The kernel names the asking task on the console first.
 *
 * Exit status (only when the machine stays up): 1 not permitted or
 * failed, 2 usage.
 */
#include <abi/power.h>
#include <getopt.h>
#include <stdio.h>
#include <syscall.h>
#include <string.h>
#include <vfs.h>

#define USAGE ""

int main(int argc, char *argv[])
{
	int status;
	if (cmd_no_operands(argc, argv, USAGE, &status))
		return status;
	/* File systems write back what they hold first. */
	errno_t rc = vfs_sync_all();
	if (rc != EOK)
		fprintf(stderr, "%s: syncing the file systems: %s\n", cmd_name(argv[0]),
		    strerror(rc));
	fflush(stdout);
	rc = (errno_t) syscall1(SYS_SYSTEM_POWER, POWER_HALT);
	return cmd_fail(argv[0], "power off", rc);
}
