/*
 * vfs: the virtual file system server (protocols: abi/vfs.h).
 *
 * Parts: fs.c (file-system servers, calls to them, death), mount.c (the
 * mount table and path resolution), file.c (open files and per-task
 * descriptor tables), ops.c (the client calls), pager.c (the pager of mapped
 * files), session.c (file sessions: a connection bound to one open file),
 * direct.c (direct read connections to a file's server), vfs.c (ports and
 * loops).
 *
 * Locks, in the order they nest (no file-system call and no wait for a
 * client is made holding any but mount_op_lock and a file's lock):
 *   mount_op_lock   serialises mount and unmount (mount.c)
 *   file->lock      one operation at a time on an open file and its position
 *   tables_lock     descriptor tables and their slots (file.c)
 *   vfs_lock        fs registry, mount table, reference counts (fs.c, mount.c)
 */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include <abi/vfs.h>
#include <async.h>
#include <common/adt/list.h>
#include <fibril_synch.h>
#include <stdbool.h>
#include <stdint.h>
#include <task.h>

/** A registered file-system server; lives while registered or mounted. */
typedef struct {
	link_t link; /* in the registry while alive */
	char name[VFS_FSNAME_MAX + 1];
	task_id_t task;
	uint64_t seq;	    /* registration order: a later one may take over */
	async_sess_t *sess; /* the callback session (parallel exchanges) */
	bool dead;	    /* hung up: every call on it gets EIO */
	unsigned refs;	    /* registration + mounts; vfs_lock */
	/* The pool shared with the server for FS_READ_SHARED (fs.c), made on
	 * the first shared read under pool_lock, which publishes pool_state
	 * last (release order); the free bits then change atomically. */
	fibril_mutex_t pool_lock;
	int pool_state;	    /* VFS_POOL_* */
	uint8_t *pool;	    /* VFS_POOL_SLOTS slots of VFS_READ_SHARED_MAX */
	uint32_t pool_free; /* a bit per free slot */
	bool direct_none;   /* refused FS_DIRECT_GRANT: no direct reads */
} vfs_fs_t;

#define VFS_POOL_UNTRIED 0
#define VFS_POOL_READY	 1
#define VFS_POOL_NONE	 2 /* the server has no shared reads, or no memory */
#define VFS_POOL_SLOTS	 16

/** A mount; freed when unmounted and no longer referenced. */
typedef struct {
	link_t link; /* in the mount table while mounted */
	char point[VFS_PATH_MAX + 1];
	char type[VFS_FSNAME_MAX + 1];
	char opts[VFS_OPTS_MAX + 1]; /* as mounted; a revival mounts with them */
	vfs_fs_t *fs; /* NULL: a VFS_MOUNT_DEMAND placeholder (mount.c); fixed */
	sysarg_t inst;
	uint64_t root;
	unsigned flags; /* VFS_MOUNT_RDONLY */
	bool mounted;
	unsigned refs;	     /* table + operations + open files; vfs_lock */
	unsigned open_files; /* for EBUSY; vfs_lock */
} vfs_mount_t;

/** An open file, shared by the descriptors VFS_PASS made of one open. */
typedef struct {
	fibril_mutex_t lock; /* guards pos; held across one operation */
	vfs_mount_t *mount;  /* referenced */
	uint64_t index;
	char *rest; /* its path below the mount point, owned: to follow it */
	unsigned oflags;
	uint64_t pos;
	unsigned refs; /* descriptors; tables_lock */
} vfs_file_t;

/** A client connection: its task's descriptor table and, once VFS_MMAP
 *  made it a pager (pager.c), the open file it pages (referenced) and the
 *  buffer its pages are read into; once the client shared one, its read
 *  buffer (ops.c). Used by the connection's fibril alone. */
typedef struct vfs_table vfs_table_t;
typedef struct {
	vfs_table_t *table;
	vfs_file_t *mapped;
	uint8_t *page;
	bool map_write; /* VFS_MMAP_WRITE: PAGE_OUT writes the mapped file */
	uint8_t *rbuf;	/* the client's read buffer (VFS_READ_SHARED), mapped */
} vfs_conn_t;

/* vfs.c */
extern fibril_mutex_t vfs_lock;
errno_t vfs_answer(ipc_call_t *call, errno_t rc, sysarg_t a1, sysarg_t a2);
/** Answers the data transfer the client sends after a call that failed. */
void vfs_refuse_data(errno_t rc);

/* fs.c */
void vfs_fs_connection(ipc_call_t *icall, void *arg);
/** The live server of type @a name, referenced; one started on demand is
 *  started first (abi/vfs.h); waits for it with @a wait, else ENOENT. */
errno_t vfs_fs_get(const char *name, bool wait, vfs_fs_t **fs);
/** Whether a server of type @a name has registered or may be started on
 *  demand (the type has a naming-service name, abi/vfs.h). */
bool vfs_fs_startable(const char *name);
void vfs_fs_put(vfs_fs_t *fs);
/** An exchange with @a fs, or EIO if it is dead. */
errno_t vfs_fs_begin(vfs_fs_t *fs, async_exch_t **exch);
/** Ends @a exch and maps the call's result @a rc: a hang-up becomes EIO.
 *  It does not mark @a fs dead: the server may pass on a hang-up of its
 *  own peer (locfs of locsrv); only its registration connection's end
 *  says the server is gone. */
errno_t vfs_fs_end(vfs_fs_t *fs, async_exch_t *exch, errno_t rc);
errno_t vfs_fs_req(vfs_mount_t *m, sysarg_t method, sysarg_t a2, sysarg_t a3, sysarg_t a4,
    sysarg_t out[3]);
/** The same with a fifth argument. */
errno_t vfs_fs_req5(vfs_mount_t *m, sysarg_t method, sysarg_t a2, sysarg_t a3,
    sysarg_t a4, sysarg_t a5, sysarg_t out[3]);
/** @a method with the relative path @a path written after it. */
errno_t vfs_fs_req_path(vfs_mount_t *m, sysarg_t method, sysarg_t a2, const char *path,
    const char *path2, sysarg_t out[3]);
/** @a method whose answer data (@a size bytes) comes into @a buf. */
errno_t vfs_fs_req_read(
    vfs_mount_t *m, sysarg_t method, sysarg_t a2, void *buf, size_t size);
/** FS_READ of node @a index of @a m at @a pos into @a buf (at most @a size
 *  bytes, *@a got came): through the server's shared pool when it has one
 *  and @a size is at most VFS_READ_SHARED_MAX, else by a data transfer. */
errno_t vfs_fs_read(
    vfs_mount_t *m, uint64_t index, uint64_t pos, void *buf, size_t size, size_t *got);

/* mount.c */
/** The mount holding the normalised @a path (longest prefix), referenced,
 *  and the path relative to its root in *@a rest; ENOENT if none. A
 *  VFS_MOUNT_DEMAND placeholder there has its server started and mounted
 *  first (EIO if that fails). */
errno_t vfs_mount_resolve(const char *path, vfs_mount_t **m, const char **rest);
void vfs_mount_ref(vfs_mount_t *m);
void vfs_mount_put(vfs_mount_t *m);
errno_t mount_request(
    const char *point, const char *type, const char *opts, unsigned flags);
errno_t unmount_request(const char *point);
/** Entry @a index of the mount table (in the order of mounting) into
 *  *@a info; ENOENT past the last. */
errno_t mount_info(size_t index, vfs_mount_info_t *info);
/** Mounts afresh on @a fs, a server that has just registered, every mount
 *  whose server of the same type died and had registered before it (a
 *  restart, not an older server of the type): the mount point and its
 *  options stay; files opened on the dead mount follow (vfs_file_follow). */
void vfs_mount_revive(vfs_fs_t *fs);

/* pager.c */
/** VFS_MMAP (fd): makes @a conn the pager of fd's file; answers the call. */
void vfs_pager_bind(vfs_conn_t *conn, ipc_call_t *call);
/** IPC_M_PAGE_IN on @a conn: answers with the page asked for. */
void vfs_pager_page_in(vfs_conn_t *conn, ipc_call_t *call);
/** IPC_M_PAGE_OUT on @a conn: writes the page to the file, then answers. */
void vfs_pager_page_out(vfs_conn_t *conn, ipc_call_t *call);
/** The connection has ended: drops its file. */
void vfs_pager_end(vfs_conn_t *conn);
/* file.c */
void *vfs_client_create(void);
void vfs_client_destroy(void *data);
/** The descriptor table of the calling connection's task (made on first
 *  use); NULL only without memory. */
vfs_table_t *vfs_client_table(task_id_t task);
/** Applies the ends of client tasks (a fibril). */
errno_t vfs_client_worker(void *arg);
/** A new open file on node @a index of @a m, found at @a rest below it. */
errno_t vfs_file_open(
    vfs_mount_t *m, uint64_t index, const char *rest, unsigned oflags, vfs_file_t **file);
/** With @a file's lock held: if its mount's server died and a restarted
 *  one was mounted in its place (vfs_mount_revive), reopens the file by its
 *  path there (position kept; nothing is created). Else it stays as it is
 *  and its calls go on failing with EIO. */
void vfs_file_follow(vfs_file_t *file);
errno_t vfs_fd_alloc(vfs_table_t *t, vfs_file_t *file, int *fd);
/** The file of descriptor @a fd, referenced; EBADF. */
errno_t vfs_fd_get(vfs_table_t *t, sysarg_t fd, vfs_file_t **file);
void vfs_file_put(vfs_file_t *file);
errno_t vfs_fd_close(vfs_table_t *t, sysarg_t fd);
errno_t vfs_fd_pass(
    vfs_table_t *t, sysarg_t fd, task_id_t caller, task_id_t target, int *newfd);
/** A table of no task holding @a file (its reference moves in) as
 *  descriptor 0: a file session's (session.c); NULL without memory. */
vfs_table_t *vfs_table_of_file(vfs_file_t *file);
/** Closes the descriptors of a vfs_table_of_file() table and frees it. */
void vfs_table_of_file_free(vfs_table_t *t);

/** Whether @a file, which the caller holds a reference to (vfs_fd_get),
 *  is on one descriptor and nothing else. */
bool vfs_file_alone(vfs_file_t *file);

/* direct.c */
/** A connection request for a direct read connection (VFS_IFACE_DIRECT):
 *  forwarded to the file's server, or refused. */
void vfs_direct_connection(ipc_call_t *icall, void *arg);

/* session.c */
/** A connection asking for a file session (VFS_IFACE_FILE). */
void vfs_session_connection(ipc_call_t *icall, void *arg);

/* ops.c */
void vfs_client_call(vfs_table_t *t, ipc_call_t *call);
/** IPC_M_SHARE_OUT on @a conn: the client's read buffer; answers it. */
void vfs_read_buffer_bind(vfs_conn_t *conn, ipc_call_t *call);
/** VFS_READ_SHARED (fd, size) on @a conn: the data into its read buffer. */
void vfs_read_shared(vfs_conn_t *conn, ipc_call_t *call);
/** The connection has ended: unmaps its read buffer. */
void vfs_read_buffer_end(vfs_conn_t *conn);

#endif
