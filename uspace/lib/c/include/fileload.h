/*
 * Whole files into memory, for programs and configuration: from the file
 * system, or before there is one, from the boot modules.
 */
#ifndef LIBC_FILELOAD_H
#define LIBC_FILELOAD_H

#include <discard.h>

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>

/** The file at @a path in a new NUL-terminated buffer (free() it), its size
 *  in *@a size (unless NULL). EISDIR for a directory, ENOMEM. */
_NODISCARD errno_t file_load(const char *path, char **data, size_t *size);
/** Same from the VFS if it runs and has the file, else from the boot module
 *  named by the path's last component ("/app/hello": module "hello"). Never
 *  waits for the VFS to appear. */
_NODISCARD errno_t file_load_any(const char *path, char **data, size_t *size);
/** file_load_any() into an area of its own (file_unload(*data, true) it):
 *  a big file read once and dropped leaves nothing resident in the heap
 *  (the loader's program images). */
_NODISCARD errno_t file_load_any_area(const char *path, char **data, size_t *size);
/** file_load_any_area() of a program, except that a file its file system
 *  can share (vfs_share_file: a tmpfs file still in the boot archive) or a
 *  boot module that is an ELF file is mapped read-only instead of read
 *  (the archive's or the module's own frames, no copy, and the kernel then
 *  knows its read-only segments by those frames); such an image may have
 *  other bytes than a NUL after it. file_unload(*data, true) it. */
_NODISCARD errno_t file_map_any(const char *path, char **data, size_t *size);
/** Frees what file_load*() gave: @a area says whether it was
 *  file_load_any_area() or file_map_any(). NULL is nothing. */
void file_unload(char *data, bool area);

#endif
