/*
 * pipefs: registers with the VFS as the file-system type "pipefs" and
 * serves the VFS's calls (libc's fsrv.h; ops.c). See pipefs.h.
 */
#include "pipefs.h"
#include <fsrv.h>
#include <getopt.h>

#define USAGE "(a server; init starts it, as /cfg/init.conf says)"

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	return fsrv_main("pipefs", pipefs_call_handle);
}
