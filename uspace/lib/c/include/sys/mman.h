/*
 * Memory mappings (POSIX's subset): files mapped through the VFS, which
 * pages them in on first touch (pager.h, VFS_MMAP), and anonymous memory.
 *
 * - MAP_PRIVATE: reads see the file's bytes as they were when each page was
 *   first touched; writes (PROT_WRITE) stay in the mapping (copy-on-write),
 *   never reaching the file.
 * - MAP_SHARED: read-only only (PROT_WRITE gives ENOTSUP: the VFS writes
 *   nothing back); like MAP_PRIVATE, a page keeps the bytes it was first
 *   read with.
 * - Past the end of the file: the last page's bytes beyond it read as zeros;
 *   touching a page that begins at or past the end kills the task (logged
 *   "pager: refused, ERANGE"), as a bus error would.
 * - Rights: PROT_READ is required; PROT_WRITE and PROT_EXEC exclude each
 *   other (areas are never writable and executable).
 * - munmap takes a whole mapping (its address and any length within it);
 *   part of one: EINVAL.
 * Errors set errno: EINVAL (flags, rights, length 0, offset not a multiple
 * of the page size, negative), EBADF (fd not open, or opened write-only:
 * POSIX's EACCES), ENOTSUP, ENOMEM, EEXIST (MAP_FIXED over a mapping).
 */
#ifndef LIBC_SYS_MMAN_H
#define LIBC_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20

#define MAP_FAILED ((void *) -1)

/** Maps @a len bytes of @a fd from @a off (or zeroed memory with
 *  MAP_ANONYMOUS, fd -1), at @a addr with MAP_FIXED, else where the system
 *  chooses; MAP_FAILED with errno on failure. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
/** Removes the mapping at @a addr; -1 with errno EINVAL if none begins
 *  there or @a len reaches past it. */
int munmap(void *addr, size_t len);

#endif
