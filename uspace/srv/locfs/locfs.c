/*
 * locfs: registers with the VFS as the file-system type "locfs" and serves
 * the VFS's calls on the callback connection it offers and the further
 * ones the VFS makes through it (libc's fsrv.h; one call at a time per
 * connection; ops.c). The tree it shows is locsrv's (locfs.h).
 */
#include "locfs.h"
#include <fsrv.h>
#include <getopt.h>

#define USAGE "(a server; init starts it, as /cfg/init.conf says)"

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	return fsrv_main("locfs", locfs_call_handle);
}
