/*
 * pipefs: registers with the VFS as the file-system type "pipefs" and
 * serves the VFS's calls (libc's fsrv.h; ops.c). See pipefs.h.
 */
#include "pipefs.h"
#include <fsrv.h>

int main(int argc, char *argv[])
{
	return fsrv_main("pipefs", pipefs_call_handle);
}
