/*
 * POSIX stat over the VFS: struct stat is built from vfs_stat_t.
 */
#ifndef LIBC_SYS_STAT_H
#define LIBC_SYS_STAT_H

#include <stdint.h>
#include <sys/types.h>

#define S_IFMT	0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000

#define S_ISDIR(m) (((m) &S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) &S_IFMT) == S_IFREG)

struct stat {
	uint64_t st_dev; /* the mount */
	uint64_t st_ino; /* the node in its file system */
	mode_t st_mode;	 /* S_IFREG or S_IFDIR */
	unsigned st_nlink;
	off_t st_size;
	uint64_t st_mtime_ns;
};

int stat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int mkdir(const char *path, mode_t mode);

#endif
