/*
 * touch: creates each named file that does not exist yet (the VFS keeps no
 * settable times, so an existing file is left as it is).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <unistd.h>

#define USAGE "FILE..."

static errno_t touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT);
	if (fd < 0)
		return errno;
	return close(fd) == 0 ? EOK : errno;
}

int main(int argc, char *argv[])
{
	return cmd_each(argc, argv, USAGE, touch);
}
