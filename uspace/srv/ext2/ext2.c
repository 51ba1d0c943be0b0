/*
 * ext2: a file-system server for ext2 volumes (revision 0 and 1, 1, 2 and
 * 4 KiB blocks) on block devices. Mount options name the device: its
 * service name ("volumes/\hw\pci0\00:01.1\disk0p2") or its file under
 * /loc. The volume code (ext2_fs.c, ext2_dir.c) has no IPC and is
 * host-tested; ops.c serves the VFS's calls.
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
	ext2_serve_start();
	return fsrv_main("ext2", ext2_call_handle);
}
