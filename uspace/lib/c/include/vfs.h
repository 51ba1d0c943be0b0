/*
 * The VFS client (protocol: abi/vfs.h): one function per protocol call,
 * each returning its errno_t. Paths may be relative to the working
 * directory libc keeps (vfs_cwd_*); they are made absolute and normalised
 * here. The session to the VFS is made on first use (serialised
 * exchanges: one call at a time per task).
 */
#ifndef LIBC_VFS_H
#define LIBC_VFS_H

#include <discard.h>

#include <abi/cap.h>
#include <abi/vfs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <task.h>

typedef struct async_sess async_sess_t; /* async.h */

_NODISCARD errno_t vfs_open(const char *path, unsigned flags, int *fd);
_NODISCARD errno_t vfs_close(int fd);
/** Reads up to @a size bytes (any number of protocol calls); *@a nread
 *  is short only at the end of the file. */
_NODISCARD errno_t vfs_read(int fd, void *buf, size_t size, size_t *nread);
_NODISCARD errno_t vfs_write(int fd, const void *buf, size_t size, size_t *nwritten);
_NODISCARD errno_t vfs_seek(int fd, int64_t offset, int whence, uint64_t *pos);
_NODISCARD errno_t vfs_truncate(int fd, uint64_t size);
_NODISCARD errno_t vfs_fstat(int fd, vfs_stat_t *st);
/** The first @a size bytes (> 0, within its pages) of the file open at
 *  @a fd mapped read-only at *@a base (as_area_destroy() it) straight from
 *  its file system's memory, which never changes them (VFS_SHARE_FILE);
 *  the file's size in *@a file_size. ENOTSUP for a file that cannot be
 *  shared so: read it instead. */
_NODISCARD errno_t vfs_share_file(int fd, size_t size, void **base, uint64_t *file_size);
_NODISCARD errno_t vfs_stat(const char *path, vfs_stat_t *st);
/** The next entry's name (NUL-terminated, in @a name of VFS_NAME_MAX + 1
 *  bytes); *@a more is false past the last one. */
_NODISCARD errno_t vfs_readdir(int fd, char *name, bool *more);
_NODISCARD errno_t vfs_mkdir(const char *path);
/** Removes a name; VFS_UNLINK_DIR in @a flags for a directory. */
_NODISCARD errno_t vfs_unlink(const char *path, unsigned flags);
_NODISCARD errno_t vfs_rename(const char *old_path, const char *new_path);
_NODISCARD errno_t vfs_sync(int fd);
/** Syncs every mount (its root's FS_SYNC): what file systems keep in
 *  memory goes to their devices. For sync, halt and reboot. */
_NODISCARD errno_t vfs_sync_all(void);
_NODISCARD errno_t vfs_statfs(const char *path, vfs_statfs_t *sf);
_NODISCARD errno_t vfs_mount(
    const char *point, const char *fs_type, const char *opts, unsigned flags);
_NODISCARD errno_t vfs_unmount(const char *point);
/** Entry @a index (from 0, in the order of mounting) of the mount table;
 *  *@a more is false past the last one. */
_NODISCARD errno_t vfs_mount_info(size_t index, vfs_mount_info_t *info, bool *more);
/** Calls @a fn with @a arg for every entry of the mount table in order; fails
 *  with the first error of reading the table (entries before it were seen). */
_NODISCARD errno_t vfs_mount_each(
    void (*fn)(const vfs_mount_info_t *, void *), void *arg);
/** Gives task @a task (a child of ours) a descriptor for the open file of
 *  @a fd, sharing its position: *@a newfd in that task's table. */
_NODISCARD errno_t vfs_pass(int fd, task_id_t task, int *newfd);
/** A new connection to the VFS made the pager of @a fd's open file
 *  (VFS_MMAP with VFS_MMAP_* @a flags): a bare phone for a pager area
 *  (pager.h, AS_PAGER_TAKE); the file stays open while the connection
 *  does. EBADF (also opened write-only), ENOMEM; with VFS_MMAP_WRITE also
 *  EPERM, EROFS, ENOTSUP (abi/vfs.h). */
_NODISCARD errno_t vfs_pager_connect(int fd, unsigned flags, cap_handle_t *phone);

/** Makes this task's session to the VFS now if the VFS has registered,
 *  without waiting for it as the first file call does; the session is the
 *  one every later call uses. EOK once there is one; else the failure of
 *  the connection (ENOENT: no VFS registered, ENOMEM, ...). */
_NODISCARD errno_t vfs_connect_now(void);

/** A file session (VFS_IFACE_FILE): a new connection bound to the open
 *  file of @a fd alone, with its position and access mode (a session of a
 *  file opened O_RDONLY refuses writes with EBADF). Its phone may be handed
 *  on (CONNECTION_CLONE); it stays valid after @a fd is closed. NULL with
 *  *@a rc: EBADF, ENOMEM. */
async_sess_t *vfs_file_session(int fd, errno_t *rc);
/** Reads up to @a size bytes (at most IPC_DATA_MAX) at the session's
 *  position, which moves on; *@a nread bytes came (0: the end). */
_NODISCARD errno_t vfs_session_read(
    async_sess_t *sess, void *buf, size_t size, size_t *nread);
/** Writes up to @a size bytes (at most IPC_DATA_MAX) at the session's
 *  position; *@a nwritten bytes went. */
_NODISCARD errno_t vfs_session_write(
    async_sess_t *sess, const void *buf, size_t size, size_t *nwritten);

/** Makes @a path absolute and normalised in @a out (VFS_PATH_MAX + 1
 *  bytes). */
_NODISCARD errno_t vfs_absolutize(const char *path, char *out);
/** Changes the working directory (ENOTDIR unless a directory). */
_NODISCARD errno_t vfs_cwd_set(const char *path);
/** The working directory into @a buf of @a size bytes (ERANGE). */
_NODISCARD errno_t vfs_cwd_get(char *buf, size_t size);

#endif
