/*
 * POSIX directory reading over the VFS.
 */
#ifndef LIBC_DIRENT_H
#define LIBC_DIRENT_H

#include <abi/vfs.h>

struct dirent {
	char d_name[VFS_NAME_MAX + 1];
};

typedef struct dir DIR;

DIR *opendir(const char *path);
/** The next entry (valid until the next call), or NULL at the end or on
 *  an error (then errno says which). */
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif
