/*
 * tmpfs: a file-system server keeping its files in memory. It registers
 * with the VFS and serves the VFS's calls on the callback connection it
 * offers (libc's fsrv.h; one call at a time; ops.c).
 */
#include "server.h"
#include <fsrv.h>

int main(int argc, char *argv[])
{
	return fsrv_main("tmpfs", tmpfs_call_handle);
}
