/*
 * The client calls (VFS_*): decoding of their data, checks, and the calls
 * to the file systems. Reads, writes and directory reads forward the
 * client's data transfer to the file system; the rest is small and goes
 * through the VFS. No lock is held while waiting for client data.
 */
#include "vfs.h"
#include <as.h>
#include <string.h>
#include <vfs_path.h>

/** A path: the normalised form in `path`, its mount (referenced) and the
 *  part below the mount in `rest`. */
typedef struct {
	char path[VFS_PATH_MAX + 1];
	vfs_mount_t *m;
	const char *rest;
} ops_path_t;

/** Takes the client's next data write (at most @a max bytes, else
 *  @a toolong) into @a buf as a string. */
static errno_t ops_receive_str(char *buf, size_t max, errno_t toolong)
{
	ipc_call_t call;
	size_t size;
	if (!async_data_write_receive(&call, &size)) {
		DISCARD(answer, async_answer_0(&call, EINVAL));
		return EINVAL;
	}
	if (size > max) {
		DISCARD(answer, async_answer_0(&call, toolong));
		return toolong;
	}
	errno_t rc = async_data_write_finalize(&call, buf, size);
	buf[size] = '\0';
	return rc;
}

/** Takes a path from the client and normalises it into @a p->path. */
static errno_t ops_receive_path(ops_path_t *p)
{
	char raw[VFS_PATH_MAX + 1];
	errno_t rc = ops_receive_str(raw, VFS_PATH_MAX, ENAMETOOLONG);
	if (rc != EOK)
		return rc;
	return vfs_path_normalize(raw, strlen(raw), p->path);
}

/** Takes a path and resolves its mount; on success @a p->m must be put. */
static errno_t ops_receive_resolve(ops_path_t *p)
{
	errno_t rc = ops_receive_path(p);
	if (rc == EOK)
		rc = vfs_mount_resolve(p->path, &p->m, &p->rest);
	return rc;
}

/** Answers the client's data read with @a size bytes of @a buf. */
static errno_t ops_reply_data(const void *buf, size_t size)
{
	ipc_call_t call;
	size_t max;
	if (!async_data_read_receive(&call, &max)) {
		DISCARD(answer, async_answer_0(&call, EINVAL));
		return EINVAL;
	}
	return async_data_read_finalize(&call, buf, size < max ? size : max);
}

static bool ops_rdonly(vfs_mount_t *m)
{
	return (m->flags & VFS_MOUNT_RDONLY) != 0;
}

static unsigned ops_lflags(unsigned oflags)
{
	unsigned lflags = 0;
	if (oflags & O_CREAT)
		lflags |= L_CREATE;
	if (oflags & O_EXCL)
		lflags |= L_EXCL;
	if (oflags & O_DIRECTORY)
		lflags |= L_DIRECTORY;
	if ((oflags & O_ACCMODE) != O_RDONLY)
		lflags |= L_FILE;
	return lflags;
}

/** Checks open flags against the mount: EINVAL, EROFS. */
static errno_t ops_open_check(vfs_mount_t *m, unsigned oflags)
{
	if ((oflags & O_ACCMODE) == O_ACCMODE)
		return EINVAL;
	if ((oflags & O_DIRECTORY) && (oflags & (O_CREAT | O_TRUNC)))
		return EINVAL;
	bool writes = (oflags & (O_ACCMODE | O_CREAT | O_TRUNC)) != 0;
	return writes && ops_rdonly(m) ? EROFS : EOK;
}

/** Opens the node at @a p for @a oflags: a new open file. */
static errno_t ops_open_node(ops_path_t *p, unsigned oflags, vfs_file_t **file)
{
	errno_t rc = ops_open_check(p->m, oflags);
	sysarg_t out[3], unused[3];
	if (rc == EOK)
		rc = vfs_fs_req_path(
		    p->m, FS_LOOKUP, ops_lflags(oflags), p->rest, NULL, out);
	if (rc == EOK && (oflags & O_TRUNC) && (oflags & O_ACCMODE) != O_RDONLY)
		rc = vfs_fs_req(p->m, FS_TRUNCATE, out[0], 0, 0, unused);
	if (rc == EOK)
		rc = vfs_file_open(p->m, out[0], p->rest, oflags, file);
	return rc;
}

static void ops_open(vfs_table_t *t, ipc_call_t *call)
{
	ops_path_t p;
	errno_t rc = ops_receive_resolve(&p);
	if (rc != EOK) {
		vfs_answer(call, rc, 0, 0);
		return;
	}
	vfs_file_t *file = NULL;
	int fd = -1;
	rc = ops_open_node(&p, (unsigned) call->args[0], &file);
	vfs_mount_put(p.m);
	if (rc == EOK)
		rc = vfs_fd_alloc(t, file, &fd);
	if (rc != EOK && file != NULL)
		vfs_file_put(file);
	vfs_answer(call, rc, (sysarg_t) fd, 0);
}

/** The file of the call's descriptor, locked and referenced, if its access
 *  mode allows @a access (O_RDONLY: reading, O_WRONLY: writing); EBADF. */
static errno_t ops_file(vfs_table_t *t, ipc_call_t *call, int access, vfs_file_t **filep)
{
	vfs_file_t *file;
	errno_t rc = vfs_fd_get(t, call->args[0], &file);
	if (rc != EOK)
		return rc;
	unsigned mode = file->oflags & O_ACCMODE;
	if ((access == O_RDONLY && mode == O_WRONLY) ||
	    (access == O_WRONLY && mode == O_RDONLY)) {
		vfs_file_put(file);
		return EBADF;
	}
	fibril_mutex_lock(&file->lock);
	vfs_file_follow(file);
	*filep = file;
	return EOK;
}

static void ops_file_done(vfs_file_t *file)
{
	fibril_mutex_unlock(&file->lock);
	vfs_file_put(file);
}

/** The size of @a file's node. */
static errno_t ops_file_size(vfs_file_t *file, uint64_t *size)
{
	vfs_stat_t st;
	errno_t rc = vfs_fs_req_read(file->mount, FS_STAT, file->index, &st, sizeof(st));
	*size = st.size;
	return rc;
}

/** Forwards the client's data transfer of a read, write or readdir (the
 *  share-in of a share) to the file system as @a method at the file's
 *  position. */
static errno_t ops_forward(vfs_file_t *file, sysarg_t method, ipc_call_t *answer)
{
	vfs_mount_t *m = file->mount;
	async_exch_t *exch;
	errno_t rc = vfs_fs_begin(m->fs, &exch);
	if (rc != EOK) {
		vfs_refuse_data(rc);
		return rc;
	}
	if (method == FS_WRITE)
		rc = async_data_write_forward_fast(
		    exch, method, m->inst, file->index, file->pos, 0, answer);
	else if (method == FS_SHARE_FILE)
		rc = async_share_in_forward_fast(
		    exch, method, m->inst, file->index, file->pos, 0, answer);
	else
		rc = async_data_read_forward_fast(
		    exch, method, m->inst, file->index, file->pos, 0, answer);
	return vfs_fs_end(m->fs, exch, rc);
}

/** Forwards the data transfer (or share-in) of @a call on its descriptor's
 *  file, opened for reading, to the file system as @a method; its answer
 *  in *@a answer. With @a pos_set the file's position becomes the answer's
 *  first argument. A descriptor refused refuses the transfer too. */
static errno_t ops_forward_read(
    vfs_table_t *t, ipc_call_t *call, sysarg_t method, bool pos_set, ipc_call_t *answer)
{
	vfs_file_t *file;
	errno_t rc = ops_file(t, call, O_RDONLY, &file);
	if (rc != EOK) {
		vfs_refuse_data(rc);
		return rc;
	}
	rc = ops_forward(file, method, answer);
	if (rc == EOK && pos_set)
		file->pos = answer->args[0];
	ops_file_done(file);
	return rc;
}

/** Where a write to @a file starts: its end with O_APPEND. */
static errno_t ops_write_pos(vfs_file_t *file)
{
	if (ops_rdonly(file->mount))
		return EROFS;
	if (!(file->oflags & O_APPEND))
		return EOK;
	return ops_file_size(file, &file->pos);
}

/** VFS_READ or VFS_WRITE: the data goes between the client and the file
 *  system (method FS_READ or FS_WRITE) at the file's position, which then
 *  moves on by the bytes moved. */
static void ops_transfer(vfs_table_t *t, ipc_call_t *call, sysarg_t method)
{
	bool write = method == FS_WRITE;
	vfs_file_t *file;
	errno_t rc = ops_file(t, call, write ? O_WRONLY : O_RDONLY, &file);
	if (rc == EOK && write && (rc = ops_write_pos(file)) != EOK)
		ops_file_done(file);
	if (rc != EOK) {
		vfs_refuse_data(rc);
		vfs_answer(call, rc, 0, 0);
		return;
	}
	ipc_call_t answer;
	rc = ops_forward(file, method, &answer);
	sysarg_t bytes = rc == EOK ? answer.args[0] : 0;
	file->pos += bytes;
	ops_file_done(file);
	vfs_answer(call, rc, bytes, 0);
}

static void ops_read(vfs_table_t *t, ipc_call_t *call)
{
	ops_transfer(t, call, FS_READ);
}

static void ops_write(vfs_table_t *t, ipc_call_t *call)
{
	ops_transfer(t, call, FS_WRITE);
}

static void ops_readdir(vfs_table_t *t, ipc_call_t *call)
{
	ipc_call_t answer;
	errno_t rc = ops_forward_read(t, call, FS_READDIR, true, &answer);
	if (rc == ENOENT)
		vfs_answer(call, EOK, 0, 0); /* past the last entry */
	else
		vfs_answer(call, rc, rc == EOK ? 1 : 0, 0);
}

/** VFS_SHARE_FILE: the client's share-in goes to the file system with
 *  FS_SHARE_FILE, which answers it with the file's pages (or refuses it);
 *  the call is answered with the file's size. */
static void ops_share_file(vfs_table_t *t, ipc_call_t *call)
{
	ipc_call_t answer;
	errno_t rc = ops_forward_read(t, call, FS_SHARE_FILE, false, &answer);
	vfs_answer(call, rc, rc == EOK ? answer.args[0] : 0, 0);
}

/** The position @a offset from @a whence gives in @a file. */
static errno_t ops_seek_pos(vfs_file_t *file, int64_t offset, sysarg_t whence)
{
	uint64_t base;
	errno_t rc = EOK;
	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_CUR)
		base = file->pos;
	else if (whence == SEEK_END)
		rc = ops_file_size(file, &base);
	else
		return EINVAL;
	if (rc != EOK)
		return rc;
	if ((offset < 0 && (uint64_t) -offset > base) ||
	    (offset > 0 && base + (uint64_t) offset < base))
		return EINVAL;
	file->pos = base + (uint64_t) offset;
	return EOK;
}

static void ops_seek(vfs_table_t *t, ipc_call_t *call)
{
	vfs_file_t *file;
	errno_t rc = ops_file(t, call, -1, &file);
	uint64_t pos = 0;
	if (rc == EOK) {
		rc = ops_seek_pos(file, (int64_t) call->args[1], call->args[2]);
		pos = file->pos;
		ops_file_done(file);
	}
	vfs_answer(call, rc, (sysarg_t) pos, 0);
}

static void ops_truncate(vfs_table_t *t, ipc_call_t *call)
{
	vfs_file_t *file;
	errno_t rc = ops_file(t, call, O_WRONLY, &file);
	if (rc == EOK) {
		sysarg_t out[3];
		rc = ops_rdonly(file->mount) ? EROFS
					     : vfs_fs_req(file->mount, FS_TRUNCATE,
						   file->index, call->args[1], 0, out);
		ops_file_done(file);
	}
	vfs_answer(call, rc, 0, 0);
}

static void ops_sync(vfs_table_t *t, ipc_call_t *call)
{
	vfs_file_t *file;
	errno_t rc = ops_file(t, call, -1, &file);
	if (rc == EOK) {
		sysarg_t out[3];
		rc = vfs_fs_req(file->mount, FS_SYNC, file->index, 0, 0, out);
		ops_file_done(file);
	}
	vfs_answer(call, rc, 0, 0);
}

/** Stats node @a index of @a m and sends the result to the client. */
static errno_t ops_stat_reply(vfs_mount_t *m, uint64_t index)
{
	vfs_stat_t st;
	errno_t rc = vfs_fs_req_read(m, FS_STAT, index, &st, sizeof(st));
	if (rc != EOK) {
		vfs_refuse_data(rc);
		return rc;
	}
	st.fs = m->inst;
	return ops_reply_data(&st, sizeof(st));
}

static void ops_fstat(vfs_table_t *t, ipc_call_t *call)
{
	vfs_file_t *file;
	errno_t rc = ops_file(t, call, -1, &file);
	if (rc != EOK) {
		vfs_refuse_data(rc);
	} else {
		rc = ops_stat_reply(file->mount, file->index);
		ops_file_done(file);
	}
	vfs_answer(call, rc, 0, 0);
}

static void ops_stat(vfs_table_t *t, ipc_call_t *call)
{
	ops_path_t p;
	errno_t rc = ops_receive_resolve(&p);
	if (rc != EOK) {
		vfs_refuse_data(rc);
		vfs_answer(call, rc, 0, 0);
		return;
	}
	sysarg_t out[3];
	rc = vfs_fs_req_path(p.m, FS_LOOKUP, 0, p.rest, NULL, out);
	if (rc == EOK)
		rc = ops_stat_reply(p.m, out[0]);
	else
		vfs_refuse_data(rc);
	vfs_mount_put(p.m);
	vfs_answer(call, rc, 0, 0);
}

static void ops_statfs(vfs_table_t *t, ipc_call_t *call)
{
	ops_path_t p;
	errno_t rc = ops_receive_resolve(&p);
	vfs_statfs_t sf;
	if (rc == EOK) {
		sysarg_t out[3];
		/* The path must name something, not only lie under a mount. */
		rc = vfs_fs_req_path(p.m, FS_LOOKUP, 0, p.rest, NULL, out);
		if (rc == EOK)
			rc = vfs_fs_req_read(p.m, FS_STATFS, 0, &sf, sizeof(sf));
		sf.flags = p.m->flags;
		sf.server_task = p.m->fs->task;
		str_lcpy(sf.fs_type, p.m->fs->name, sizeof(sf.fs_type));
		vfs_mount_put(p.m);
	}
	if (rc == EOK)
		rc = ops_reply_data(&sf, sizeof(sf));
	else
		vfs_refuse_data(rc);
	vfs_answer(call, rc, 0, 0);
}

/** A path call that changes the mount: EROFS on a read-only one. */
static errno_t ops_path_change(ops_path_t *p, sysarg_t method, sysarg_t arg)
{
	if (ops_rdonly(p->m))
		return EROFS;
	if (method == FS_UNLINK && *p->rest == '\0')
		return EBUSY; /* a mount's root */
	sysarg_t out[3];
	return vfs_fs_req_path(p->m, method, arg, p->rest, NULL, out);
}

static void ops_mkdir_unlink(vfs_table_t *t, ipc_call_t *call)
{
	ops_path_t p;
	errno_t rc = ops_receive_resolve(&p);
	if (rc == EOK) {
		if (call->imethod == VFS_MKDIR)
			rc = ops_path_change(
			    &p, FS_LOOKUP, L_CREATE | L_EXCL | L_DIRECTORY);
		else
			rc = ops_path_change(
			    &p, FS_UNLINK, call->args[0] & VFS_UNLINK_DIR);
		vfs_mount_put(p.m);
	}
	vfs_answer(call, rc, 0, 0);
}

/** Checks a rename of @a from to @a to (both resolved). */
static errno_t ops_rename_check(ops_path_t *from, ops_path_t *to)
{
	if (from->m != to->m)
		return EXDEV;
	if (ops_rdonly(from->m))
		return EROFS;
	if (*from->rest == '\0' || *to->rest == '\0')
		return EBUSY;
	if (strcmp(from->path, to->path) != 0 && vfs_path_is_below(to->path, from->path))
		return EINVAL; /* into itself */
	return EOK;
}

static void ops_rename(vfs_table_t *t, ipc_call_t *call)
{
	ops_path_t from, to;
	errno_t rc = ops_receive_resolve(&from);
	if (rc != EOK) {
		vfs_answer(call, rc, 0, 0);
		return;
	}
	rc = ops_receive_resolve(&to);
	if (rc == EOK) {
		rc = ops_rename_check(&from, &to);
		sysarg_t out[3];
		if (rc == EOK)
			rc = vfs_fs_req_path(
			    from.m, FS_RENAME, 0, from.rest, to.rest, out);
		vfs_mount_put(to.m);
	}
	vfs_mount_put(from.m);
	vfs_answer(call, rc, 0, 0);
}

static void ops_mount(vfs_table_t *t, ipc_call_t *call)
{
	ops_path_t p;
	char type[VFS_FSNAME_MAX];
	char opts[VFS_OPTS_MAX + 1];
	errno_t rc = ops_receive_path(&p);
	if (rc == EOK)
		rc = ops_receive_str(type, sizeof(type) - 1, ENAMETOOLONG);
	if (rc == EOK)
		rc = ops_receive_str(opts, VFS_OPTS_MAX, ELIMIT);
	if (rc == EOK)
		rc = mount_request(p.path, type, opts, (unsigned) call->args[0]);
	vfs_answer(call, rc, 0, 0);
}

static void ops_unmount(vfs_table_t *t, ipc_call_t *call)
{
	ops_path_t p;
	errno_t rc = ops_receive_path(&p);
	if (rc == EOK)
		rc = unmount_request(p.path);
	vfs_answer(call, rc, 0, 0);
}

static void ops_close(vfs_table_t *t, ipc_call_t *call)
{
	vfs_answer(call, vfs_fd_close(t, call->args[0]), 0, 0);
}

static void ops_pass(vfs_table_t *t, ipc_call_t *call)
{
	int fd = -1;
	errno_t rc = vfs_fd_pass(
	    t, call->args[0], async_call_task_id(call), call->args[1], &fd);
	vfs_answer(call, rc, (sysarg_t) fd, 0);
}

static void ops_mounts(vfs_table_t *t, ipc_call_t *call)
{
	vfs_mount_info_t info;
	errno_t rc = mount_info(call->args[0], &info);
	if (rc == EOK)
		rc = ops_reply_data(&info, sizeof(info));
	else
		vfs_refuse_data(rc);
	if (rc == ENOENT)
		vfs_answer(call, EOK, 0, 0); /* past the last entry */
	else
		vfs_answer(call, rc, rc == EOK ? 1 : 0, 0);
}

void vfs_read_buffer_bind(vfs_conn_t *conn, ipc_call_t *call)
{
	size_t size = call->args[1];
	unsigned flags = (unsigned) call->args[2];
	unsigned rw = AS_AREA_READ | AS_AREA_WRITE;
	errno_t rc = conn->rbuf != NULL ? EBUSY : EOK;
	if (rc == EOK && (size != VFS_READ_SHARED_MAX || (flags & rw) != rw))
		rc = EINVAL;
	void *dst = NULL;
	if (rc != EOK) {
		vfs_answer(call, rc, 0, 0);
		return;
	}
	if (async_share_out_finalize(call, &dst) == EOK)
		conn->rbuf = dst;
}

void vfs_read_shared(vfs_conn_t *conn, ipc_call_t *call)
{
	size_t size = call->args[1];
	if (conn->rbuf == NULL || size > VFS_READ_SHARED_MAX) {
		vfs_answer(call, EINVAL, 0, 0);
		return;
	}
	vfs_file_t *file;
	errno_t rc = ops_file(conn->table, call, O_RDONLY, &file);
	if (rc != EOK) {
		vfs_answer(call, rc, 0, 0);
		return;
	}
	size_t got = 0;
	rc = vfs_fs_read(file->mount, file->index, file->pos, conn->rbuf, size, &got);
	file->pos += got;
	ops_file_done(file);
	vfs_answer(call, rc, rc == EOK ? got : 0, 0);
}

void vfs_read_buffer_end(vfs_conn_t *conn)
{
	if (conn->rbuf != NULL)
		DISCARD(cleanup, as_area_destroy((uintptr_t) conn->rbuf));
	conn->rbuf = NULL;
}

/* The client calls, indexed by method - VFS_OPEN; each answers its call
 * (and the data transfers that come with it). */
#define VFS_OP(method) [(method) -VFS_OPEN]
static void (*const client_ops[])(vfs_table_t *t, ipc_call_t *call) = {
    VFS_OP(VFS_OPEN) = ops_open,
    VFS_OP(VFS_CLOSE) = ops_close,
    VFS_OP(VFS_READ) = ops_read,
    VFS_OP(VFS_WRITE) = ops_write,
    VFS_OP(VFS_SEEK) = ops_seek,
    VFS_OP(VFS_TRUNCATE) = ops_truncate,
    VFS_OP(VFS_FSTAT) = ops_fstat,
    VFS_OP(VFS_STAT) = ops_stat,
    VFS_OP(VFS_READDIR) = ops_readdir,
    VFS_OP(VFS_MKDIR) = ops_mkdir_unlink,
    VFS_OP(VFS_UNLINK) = ops_mkdir_unlink,
    VFS_OP(VFS_RENAME) = ops_rename,
    VFS_OP(VFS_SYNC) = ops_sync,
    VFS_OP(VFS_STATFS) = ops_statfs,
    VFS_OP(VFS_MOUNT) = ops_mount,
    VFS_OP(VFS_UNMOUNT) = ops_unmount,
    VFS_OP(VFS_PASS) = ops_pass,
    VFS_OP(VFS_MOUNTS) = ops_mounts,
    VFS_OP(VFS_SHARE_FILE) = ops_share_file,
};

void vfs_client_call(vfs_table_t *t, ipc_call_t *call)
{
	sysarg_t m = call->imethod;
	size_t n = sizeof(client_ops) / sizeof(client_ops[0]);
	if (m < VFS_OPEN || m - VFS_OPEN >= n || client_ops[m - VFS_OPEN] == NULL)
		vfs_answer(call, ENOTSUP, 0, 0);
	else
		client_ops[m - VFS_OPEN](t, call);
}
