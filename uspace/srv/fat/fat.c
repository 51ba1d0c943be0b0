/*
 * fat: a file-system server for FAT12/16/32 volumes with long names on
 * block devices. Mount options name the device: its service name
 * ("devices/\hw\pci0\00:01.1\disk0") or its file under /loc. The volume
 * code (fat_fs.c, fat_dir.c) has no IPC and is host-tested; ops.c serves
 * the VFS's calls.
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
	fat_serve_start();
	return fsrv_main("fat", fat_call_handle);
}
