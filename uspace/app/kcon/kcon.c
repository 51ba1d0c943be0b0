/*
 * kcon: enter the kernel console (SYS_KCONSOLE, needs PERM_TASK). The whole
 * system stops while it runs; its `continue` command returns here and the
 * system goes on.
 *
 * Exit status: 0 back from the console, 1 not permitted or failed, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <syscall.h>

#define USAGE ""

int main(int argc, char *argv[])
{
	int status;
	if (cmd_no_operands(argc, argv, USAGE, &status))
		return status;
	printf("kcon: entering the kernel console ('continue' comes back)\n");
	fflush(stdout);
	errno_t rc = (errno_t) syscall0(SYS_KCONSOLE);
	if (rc != EOK)
		return cmd_fail(argv[0], "kernel console", rc);
	printf("kcon: back from the kernel console\n");
	return CMD_EXIT_OK;
}
