/*
 * Path normalisation as abi/vfs.h defines it, shared by the VFS server
 * (which trusts nothing else) and libc (which resolves relative paths
 * against the working directory). Pure code: host-tested
 * (test/host/vfs_path_test.c).
 */
#ifndef LIBC_VFS_PATH_H
#define LIBC_VFS_PATH_H

#include "discard.h" /* by path: host tests include this header too */

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>

/** Normalises the absolute path @a in of @a len bytes into @a out (at least
 *  VFS_PATH_MAX + 1 bytes, NUL-terminated): no "//", ".", ".." or trailing
 *  "/"; ".." of "/" is "/". EINVAL unless it starts with "/" or if it holds
 *  a NUL byte; ENAMETOOLONG if @a len exceeds VFS_PATH_MAX or a component
 *  VFS_NAME_MAX. */
_NODISCARD errno_t vfs_path_normalize(const char *in, size_t len, char *out);

/** Whether the normalised @a path is @a prefix or lies below it (both
 *  normalised; "/" is a prefix of every path). */
bool vfs_path_is_below(const char *path, const char *prefix);

/** The next component of the relative path *@a path (a file system's
 *  share of a normalised path) into @a name (VFS_NAME_MAX + 1 bytes,
 *  NUL-terminated); *@a path moves past it, *@a last tells whether it was
 *  the final one. EINVAL for an empty component, ENAMETOOLONG past
 *  VFS_NAME_MAX bytes. */
_NODISCARD errno_t vfs_path_next(const char **path, char *name, bool *last);

/** The part of the normalised @a path below its normalised prefix
 *  @a prefix, without a leading "/" ("" when they are equal). */
const char *vfs_path_rest(const char *path, const char *prefix);

#endif
