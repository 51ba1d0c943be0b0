/*
 * Filling a tmpfs file system from a cpio newc archive. No IPC.
 */
#ifndef TMPFS_ARCHIVE_H
#define TMPFS_ARCHIVE_H

#include "tmpfs.h"

/** Adds the directories and regular files of the @a size byte archive at
 *  @a buf to @a fs (missing parent directories too; other member types are
 *  skipped). EINVAL for a malformed archive or a bad path in it; ENOSPC,
 *  ENOMEM. @a fs may hold part of the archive after a failure. */
errno_t tmpfs_archive_fill(tmpfs_fs_t *fs, const void *buf, size_t size);
/** The same without copying the files' data: the files borrow it from the
 *  archive, which must lie in @a fs's backing (tmpfs_fs_backing_set; EINVAL
 *  without one) and so lives as long as @a fs. */
errno_t tmpfs_archive_fill_in_place(tmpfs_fs_t *fs, const void *buf, size_t size);

#endif
