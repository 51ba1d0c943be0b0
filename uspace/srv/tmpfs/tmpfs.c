/*
 * tmpfs: a file-system server keeping its files in memory. It registers
 * with the VFS and serves the VFS's calls on the callback connection it
 * offers and the further ones the VFS makes through it (libc's fsrv.h; one
 * call at a time per connection, tmpfs_lock between them; ops.c), and
 * clients' direct read connections to its files.
 */
#include "server.h"
#include <fsrv.h>
#include <getopt.h>

#define USAGE "(a server; init starts it, as /cfg/init.conf says)"

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	fsrv_direct_enable(&tmpfs_direct);
	return fsrv_main("tmpfs", tmpfs_call_handle);
}
