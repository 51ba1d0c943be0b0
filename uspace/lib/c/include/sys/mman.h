/*
 * Memory mappings (POSIX's subset): files mapped through the VFS, which
 * pages them in on first touch (pager.h, VFS_MMAP), and anonymous memory.
 *
 * - MAP_PRIVATE: reads see the file's bytes as they were when each page was
 *   first touched; writes (PROT_WRITE) stay in the mapping (copy-on-write),
 *   never reaching the file.
 * - MAP_SHARED: a page keeps the bytes it was first read with (like
 *   MAP_PRIVATE). With PROT_WRITE the file must be open read-write (EPERM),
 *   on a writable mount (EROFS), a regular file (ENOTSUP): the pages the
 *   task writes go back to the file on msync, munmap (of those pages) and
 *   the task's end, cut at the file's end (a mapping never grows its file).
 *   msync and munmap return once the file has the bytes; at the task's end
 *   they are sent without waiting. Each mapping has its own pages: another
 *   task's mapping, or a read(), sees the writes once they were written
 *   back, and a page this mapping has already read does not see later
 *   changes to the file.
 * - Past the end of the file: the last page's bytes beyond it read as zeros;
 *   touching a page that begins at or past the end kills the task (logged
 *   "pager: refused, ERANGE"), as a bus error would.
 * - Rights: PROT_READ is required; PROT_WRITE and PROT_EXEC exclude each
 *   other (areas are never writable and executable).
 * - munmap takes any page range of one mapping; what is left stays mapped.
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

/* msync flags: every msync writes back and waits (MS_ASYNC too). */
#define MS_ASYNC      0x1
#define MS_SYNC	      0x4
#define MS_INVALIDATE 0x2

/** Maps @a len bytes of @a fd from @a off (or zeroed memory with
 *  MAP_ANONYMOUS, fd -1), at @a addr with MAP_FIXED, else where the system
 *  chooses; MAP_FAILED with errno on failure. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
/** Writes the written pages of the shared writable mappings in [@a addr,
 *  @a addr + @a len) back to their files and waits for them; -1 with errno
 *  EINVAL (@a addr unaligned, @a len 0, bad flags), ENOMEM (part of the
 *  range is not mapped), or the file system's error (EIO, ENOSPC). */
int msync(void *addr, size_t len, int flags);
/** Removes the mapping at @a addr; -1 with errno EINVAL if none begins
 *  there or @a len reaches past it. */
int munmap(void *addr, size_t len);

#endif
