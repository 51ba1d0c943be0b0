/*
 * The virtual file system's protocols.
 *
 * Clients talk to the VFS server (service "vfs", interface VFS_IFACE_CLIENT)
 * with file descriptors the VFS keeps per client task. File-system servers
 * (tmpfs, ...) register with the VFS (interface VFS_IFACE_FS) and answer
 * the VFS's calls on a callback connection; reads and writes are forwarded
 * to them, so the data never passes through the VFS.
 *
 * Paths: absolute, at most VFS_PATH_MAX bytes, each component at most
 * VFS_NAME_MAX bytes (else ENAMETOOLONG). The VFS normalises them ("//",
 * ".", ".." and a trailing "/"; ".." of "/" is "/") before anything else,
 * then finds the mount with the longest matching mount point; the file
 * system gets the rest of the path relative to its root ("" is the root,
 * components separated by single "/", no "." or "..").
 */
#ifndef ABI_VFS_H
#define ABI_VFS_H

#include <abi/ipc.h>
#include <abi/ns.h>
#include <stddef.h>
#include <stdint.h>

#define VFS_SERVICE_NAME "vfs"
#define VFS_IFACE_CLIENT 0x76667301
#define VFS_IFACE_FS	 0x76667302
/* A file session: IPC_M_CONNECT_ME_TO (VFS_IFACE_FILE, the vfs service,
 * fd) binds a new connection to the caller's open file fd alone (its
 * position and access mode; EBADF for no such descriptor). On it only
 * VFS_READ, VFS_WRITE, VFS_SEEK, VFS_TRUNCATE, VFS_FSTAT, VFS_READDIR and
 * VFS_SYNC with descriptor 0 (the file) are served, everything else is
 * EPERM; a file opened O_RDONLY refuses VFS_WRITE and VFS_TRUNCATE with
 * EBADF. The phone comes without CAP_RIGHT_FORWARD and keeps
 * CAP_RIGHT_CLONE: it names one file, so it may be handed on. */
#define VFS_IFACE_FILE 0x76667303
/* A direct read connection: IPC_M_CONNECT_ME_TO (VFS_IFACE_DIRECT, 0, fd) on
 * the client's VFS connection. The VFS checks that fd's open file is the
 * caller's alone (opened O_RDONLY, on no other descriptor or session, not a
 * directory), grants it to the file's server (FS_DIRECT_GRANT) and forwards
 * the request there: the new phone reaches the file-system server, bound to
 * that file (the server keeps the node open until the connection ends). On
 * it the client reads at positions it keeps itself, one round trip each:
 *   IPC_M_SHARE_OUT of a read-write area of VFS_READ_SHARED_MAX bytes: the
 *       connection's buffer (EBUSY if it has one; EINVAL for another size
 *       or without write access)
 *   FS_READ_SHARED (pos, size) -> (bytes): at most VFS_READ_SHARED_MAX
 *       bytes at pos into the buffer (EINVAL without one or for more)
 *   FS_READ (pos) + R data -> (bytes): a read by a data transfer
 * and nothing else (EPERM). Refusals of the connection: EBADF (no such
 * descriptor, or not opened O_RDONLY), EBUSY (the open file is shared),
 * ENOTSUP (its server has no direct reads), EIO (its server is dead).
 * libc gives the VFS back the position before the descriptor is handed on
 * (VFS_PASS, a file session) and reads through the VFS again after.
 * docs/vfs.md, "Direct reads". */
#define VFS_IFACE_DIRECT 0x76667304

#define VFS_PATH_MAX   1024
#define VFS_NAME_MAX   255
#define VFS_FSNAME_MAX 16  /* a file-system type name ("tmpfs") */
#define VFS_OPTS_MAX   256 /* mount options */
#define VFS_FDS_MAX    256 /* open descriptors per client task */
/* The largest read through a shared buffer (VFS_READ_SHARED, FS_READ_SHARED)
 * and the size of each such buffer; larger reads take a data transfer. */
#define VFS_READ_SHARED_MAX 4096

/*
 * Client -> VFS. "+ W path" is a DATA_WRITE the client sends right after
 * the call (the path, without NUL); "+ R x" a DATA_READ the client sends to
 * receive x. Answers carry the results named after "->".
 *
 *   VFS_OPEN (flags) + W path -> (fd)
 *   VFS_CLOSE (fd)
 *   VFS_READ (fd) + R data -> (bytes; 0 at the end)
 *   VFS_WRITE (fd) + W data -> (bytes)
 *   VFS_SEEK (fd, offset, whence) -> (position)
 *   VFS_TRUNCATE (fd, size)
 *   VFS_FSTAT (fd) + R vfs_stat_t
 *   VFS_STAT + W path + R vfs_stat_t
 *   VFS_READDIR (fd) + R name (NUL-terminated) -> (1: an entry, 0: no more)
 *   VFS_MKDIR + W path
 *   VFS_UNLINK (flags) + W path
 *   VFS_RENAME + W old path + W new path
 *   VFS_SYNC (fd)
 *   VFS_STATFS + W path + R vfs_statfs_t
 *   VFS_MOUNT (flags) + W mount point + W fs type + W options
 *   VFS_UNMOUNT + W mount point
 *   VFS_PASS (fd, task id) -> (fd in that task's table): hands an open file
 *       to a task the caller spawned (its parent in the kernel); the
 *       position is shared. For stdin/stdout/stderr of spawned programs.
 *   VFS_MOUNTS (index) + R vfs_mount_info_t -> (1: an entry, 0: no more):
 *       the mount table, in the order of mounting; past the last entry the
 *       read is refused (ENOENT) and the answer is EOK with 0. An index
 *       names a position, so a table changing between calls may show a
 *       mount twice or not at all.
 *   VFS_MMAP (fd, flags): makes this connection (one of its own: a
 *       mapping's) the pager (abi/pager.h) of fd's file, which it opens
 *       again for itself (read-only; read-write with VFS_MMAP_WRITE) and
 *       keeps open until the connection ends. Its IPC_M_PAGE_IN calls are
 *       answered with the file's bytes at the offset asked, zeros past the
 *       end of the file, ERANGE for a page wholly past the end. With
 *       VFS_MMAP_WRITE (a shared writable mapping, AS_PAGER_WRITEBACK) its
 *       IPC_M_PAGE_OUT calls are written to the file at the offset, the
 *       page cut at the file's end (a mapping never grows its file), before
 *       the answer. EBADF (also opened write-only), EPERM (VFS_MMAP_WRITE
 *       of a descriptor not opened read-write), EROFS (read-only mount),
 *       ENOTSUP (not a regular file), EINVAL (unknown flags), EBUSY (the
 *       connection pages a file already).
 *   IPC_M_SHARE_OUT of a read-write area of VFS_READ_SHARED_MAX bytes: the
 *       connection's read buffer, kept until the connection ends (EBUSY if
 *       it has one; EINVAL for another size or without write access).
 *   VFS_READ_SHARED (fd, size) -> (bytes; 0 at the end): a read of at most
 *       VFS_READ_SHARED_MAX bytes whose data the answer leaves at the start
 *       of the connection's read buffer: one round trip, no data transfer
 *       (EINVAL without a buffer or for a larger size). docs/vfs.md.
 *   VFS_SHARE_FILE (fd) + IPC_M_SHARE_IN (size, AS_AREA_READ |
 *       AS_AREA_CACHEABLE) -> (file size): the file's pages read-only
 *       straight from its file system's memory, no copy: what the loader
 *       maps programs from. Only a file whose bytes the file system keeps
 *       page-aligned and never changes in place (a tmpfs file still in
 *       the boot archive, which tmpfs maps read-only for good) can be
 *       shared so; size covers at most the file's pages. ENOTSUP for any
 *       other file (read it), EBADF (also opened write-only), EINVAL
 *       (size, flags), EISDIR.
 */
#define VFS_CLIENT_METHODS(M) \
	M(VFS_OPEN, "vfs.open") \
	M(VFS_CLOSE, "vfs.close") \
	M(VFS_READ, "vfs.read") \
	M(VFS_WRITE, "vfs.write") \
	M(VFS_SEEK, "vfs.seek") \
	M(VFS_TRUNCATE, "vfs.truncate") \
	M(VFS_FSTAT, "vfs.fstat") \
	M(VFS_STAT, "vfs.stat") \
	M(VFS_READDIR, "vfs.readdir") \
	M(VFS_MKDIR, "vfs.mkdir") \
	M(VFS_UNLINK, "vfs.unlink") \
	M(VFS_RENAME, "vfs.rename") \
	M(VFS_SYNC, "vfs.sync") \
	M(VFS_STATFS, "vfs.statfs") \
	M(VFS_MOUNT, "vfs.mount") \
	M(VFS_UNMOUNT, "vfs.unmount") \
	M(VFS_PASS, "vfs.pass") \
	M(VFS_MOUNTS, "vfs.mounts") \
	M(VFS_MMAP, "vfs.mmap") \
	M(VFS_READ_SHARED, "vfs.read_shared") \
	M(VFS_SHARE_FILE, "vfs.share_file")

IFACE_METHOD_ENUM(VFS_CLIENT, VFS_CLIENT_METHODS, IPC_FIRST_USER_METHOD);

/* VFS_OPEN flags (POSIX's names and meanings). */
#define O_RDONLY    0x0
#define O_WRONLY    0x1
#define O_RDWR	    0x2
#define O_ACCMODE   0x3
#define O_CREAT	    0x40
#define O_EXCL	    0x80
#define O_TRUNC	    0x200
#define O_APPEND    0x400
#define O_DIRECTORY 0x10000 /* ENOTDIR unless a directory */

/* VFS_SEEK whence */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* VFS_UNLINK flags */
#define VFS_UNLINK_DIR 0x1 /* rmdir: ENOTDIR unless a directory, ENOTEMPTY */

/* VFS_MOUNT flags */
#define VFS_MOUNT_RDONLY 0x1 /* writes get EROFS */
#define VFS_MOUNT_WAIT	 0x2 /* wait until the fs type has registered */
/* Mount at the first look-up at or below the mount point, not now: the
 * point is taken at once (a placeholder in the table, VFS_MOUNTS shows it
 * with this flag and no server task); the first path call reaching it has
 * the type's server started on demand (fs/NAME below) and mounted with the
 * options given, then goes on. If no server comes, that call and every
 * later one fails with EIO (the VFS logs why) until a server of the type
 * registers by other means. ENOENT at once for a type with no such name
 * that no server has registered. */
#define VFS_MOUNT_DEMAND 0x4

/* VFS_MMAP flags */
#define VFS_MMAP_WRITE 0x1 /* shared writable: PAGE_OUT writes the file */

typedef enum {
	VFS_NODE_FILE = 1,
	VFS_NODE_DIR = 2,
} vfs_node_type_t;

typedef struct {
	uint64_t index;	   /* the node's number in its file system */
	uint64_t fs;	   /* the mount's number */
	uint64_t size;	   /* bytes (files), entries (directories) */
	uint32_t type;	   /* vfs_node_type_t */
	uint32_t links;	   /* names the node has */
	uint64_t mtime_ns; /* last change, ns since 1970 UTC (wall clock) */
} vfs_stat_t;

typedef struct {
	char fs_type[VFS_FSNAME_MAX];
	uint64_t block_size;
	uint64_t total_blocks; /* 0: no limit */
	uint64_t free_blocks;
	uint64_t files;
	uint32_t flags; /* VFS_MOUNT_* (the VFS fills it in) */
	uint32_t reserved;
	uint64_t server_task; /* the file-system server's task (the VFS fills
				 it in) */
} vfs_statfs_t;

/** An entry of the mount table (VFS_MOUNTS). */
typedef struct {
	char point[VFS_PATH_MAX + 1]; /* the mount point */
	char fs_type[VFS_FSNAME_MAX];
	uint32_t flags;	      /* VFS_MOUNT_RDONLY, VFS_MOUNT_DEMAND (not yet) */
	uint64_t server_task; /* the file-system server's task; 0 if none yet */
} vfs_mount_info_t;

/*
 * File system -> VFS: connect to the "vfs" service with VFS_IFACE_FS, send
 * VFS_FS_REGISTER + W fs type name, then offer a callback connection
 * (CONNECT_TO_ME, VFS_IFACE_FS) on the same exchange; the VFS makes its
 * calls below through it. A file-system server serves any number of
 * instances (mounts), told apart by their instance number. For concurrent
 * calls the VFS makes more connections through the callback phone
 * (CONNECT_ME_TO, VFS_IFACE_FS); each exchange (a call with its data
 * transfers) stays on one connection.
 *
 * VFS_FS_REGISTER is numbered apart from the FS_* calls below, which share
 * the interface, so a method number on a VFS_IFACE_FS connection names one
 * call whichever way it goes.
 */
/*
 * A file-system server started on demand (init.conf's `demand=fs/TYPE`):
 * once registered with the VFS, a server also registers the naming
 * service's "fs/TYPE" for VFS_IFACE_FS. A mount of a type no server has
 * registered connects there first (and hangs up): a server started on
 * demand is started and registers, or the connect fails at once (ENOENT, or
 * the start's error). The name is "fs/" and the type without a last "fs"
 * (fs/fat, fs/ext2, fs/pipe for pipefs, fs/loc for locfs): a service name
 * has at most eight characters, so a longer type has none.
 */
#define VFS_FS_SERVICE_PREFIX "fs/"

/** The naming service's name of file-system type @a type; 0 if too long. */
static inline service_id_t vfs_fs_service_id(const char *type)
{
	char name[SERVICE_NAME_MAX + 1] = VFS_FS_SERVICE_PREFIX;
	size_t len = 0, at = sizeof(VFS_FS_SERVICE_PREFIX) - 1;
	while (type[len] != '\0')
		len++;
	if (len > 2 && type[len - 2] == 'f' && type[len - 1] == 's')
		len -= 2;
	if (len == 0 || at + len > SERVICE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		name[at + i] = type[i];
	name[at + len] = '\0';
	return service_id_from_name(name);
}

#define VFS_FS_REGISTER_METHODS(M) M(VFS_FS_REGISTER, "vfs.fs_register")

IFACE_METHOD_ENUM(
    VFS_FS_REGISTER, VFS_FS_REGISTER_METHODS, IPC_FIRST_USER_METHOD + 0x100);

/*
 * VFS -> file system. args[0] is the instance number in every call.
 *
 *   FS_MOUNTED (inst, flags) + W options -> (root index)
 *   FS_UNMOUNTED (inst): drop the instance
 *   FS_LOOKUP (inst, lflags) + W relative path -> (index, size, type): the
 *       node, made first if lflags say so
 *   FS_OPEN_NODE (inst, index, mode): one more open file; mode is its
 *       O_ACCMODE bits (O_RDONLY, O_WRONLY, O_RDWR), for a pipe's reader
 *       and writer counts; other file systems may ignore it
 *   FS_CLOSE_NODE (inst, index, mode): one less, with the mode it was
 *       opened with; an unlinked node goes with its last one
 *   FS_READ (inst, index, pos) + R data -> (bytes)
 *   FS_WRITE (inst, index, pos) + W data -> (bytes, new size)
 *   FS_TRUNCATE (inst, index, size)
 *   FS_STAT (inst, index) + R vfs_stat_t (fs left 0)
 *   FS_READDIR (inst, index, pos) + R name -> (next pos); ENOENT past the
 *       last entry; pos 0 is the first
 *   FS_UNLINK (inst, VFS_UNLINK_* flags) + W relative path
 *   FS_RENAME (inst) + W old relative path + W new relative path
 *   FS_SYNC (inst, index)
 *   FS_STATFS (inst) + R vfs_statfs_t
 *   IPC_M_SHARE_OUT of a read-write area, a multiple of VFS_READ_SHARED_MAX
 *       bytes: the pool FS_READ_SHARED writes into, kept for good (EBUSY
 *       once there is one; ENOTSUP from a server without shared reads)
 *   FS_READ_SHARED (inst, index, pos, offset, size) -> (bytes): FS_READ
 *       into the pool at @a offset instead of a data transfer; size at most
 *       VFS_READ_SHARED_MAX, within the pool (else EINVAL; ENOENT without
 *       a pool)
 *   FS_SHARE_FILE (inst, index) + IPC_M_SHARE_IN -> (file size): VFS_SHARE_FILE
 *       forwarded, the client's share-in with it; ENOTSUP from a server
 *       that cannot (the share-in refused too)
 *   FS_DIRECT_GRANT (inst, index, task, fd): the next direct read connection
 *       (VFS_IFACE_DIRECT) of @a task naming @a fd is bound to node @a index
 *       of @a inst; ENOTSUP from a server without direct reads, ENOENT for
 *       no such node, EISDIR for a directory. A grant is taken by one
 *       connection; the server keeps the last few.
 */
#define FS_METHODS(M) \
	M(FS_MOUNTED, "fs.mounted") \
	M(FS_UNMOUNTED, "fs.unmounted") \
	M(FS_LOOKUP, "fs.lookup") \
	M(FS_OPEN_NODE, "fs.open_node") \
	M(FS_CLOSE_NODE, "fs.close_node") \
	M(FS_READ, "fs.read") \
	M(FS_WRITE, "fs.write") \
	M(FS_TRUNCATE, "fs.truncate") \
	M(FS_STAT, "fs.stat") \
	M(FS_READDIR, "fs.readdir") \
	M(FS_UNLINK, "fs.unlink") \
	M(FS_RENAME, "fs.rename") \
	M(FS_SYNC, "fs.sync") \
	M(FS_STATFS, "fs.statfs") \
	M(FS_READ_SHARED, "fs.read_shared") \
	M(FS_DIRECT_GRANT, "fs.direct_grant") \
	M(FS_SHARE_FILE, "fs.share_file")

IFACE_METHOD_ENUM(FS, FS_METHODS, IPC_FIRST_USER_METHOD);

/* FS_LOOKUP lflags */
#define L_CREATE    0x1 /* make a file if missing */
#define L_EXCL	    0x2 /* with L_CREATE: EEXIST if present */
#define L_DIRECTORY 0x4 /* ENOTDIR unless a directory; with L_CREATE: mkdir */
#define L_FILE	    0x8 /* EISDIR if a directory */

#endif
