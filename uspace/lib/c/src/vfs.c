/*
 * The VFS client (vfs.h). The session and the working directory are
 * guarded by vfs_client_lock; calls use the session outside it.
 *
 * Small reads (at most VFS_READ_SHARED_MAX bytes) go through a buffer
 * shared with the VFS once (VFS_READ_SHARED: one round trip, no data
 * transfer); vfs_rbuf_lock guards the buffer from the call until its bytes
 * are copied out. A read that finds it taken, or a task whose buffer could
 * not be shared, reads by a data transfer.
 *
 * Direct reads (VFS_IFACE_DIRECT, docs/vfs.md): after VFS_DIRECT_AFTER small
 * reads of a descriptor through the VFS, libc asks for a connection straight
 * to the file's server. The VFS grants one only for a file opened O_RDONLY
 * that no other descriptor or session shares; from then on reads go to the
 * server (one round trip, through a buffer shared with it) and libc keeps
 * the position (vfs_direct_t.pos; the VFS's is stale). Before anything
 * that would share the file (vfs_pass, vfs_file_session) libc gives the
 * position back (VFS_SEEK) and drops the connection; a connection that
 * fails (the server died) is dropped the same way and the read goes
 * through the VFS, which answers EIO or reaches a restarted server. Each
 * descriptor number's state (vfs_directs[fd], made on its first small read
 * and kept: a call under way may still count itself out of it after a
 * close; vfs_close resets it) has a lock, held across each direct read and seek; a read
 * or seek through the VFS (which may wait long: a pipe) is counted under it
 * instead (vfs_calls), and no connection starts while one is under way.
 */
#include "private/libc.h"
#include <as.h>
#include <async.h>
#include <fibril_synch.h>
#include <ns.h>
#include <stdlib.h>
#include <string.h>
#include <vfs.h>
#include <vfs_path.h>

static FIBRIL_MUTEX_INITIALIZE(vfs_client_lock);
static async_sess_t *vfs_session;
static char vfs_cwd[VFS_PATH_MAX + 1];
static FIBRIL_MUTEX_INITIALIZE(vfs_rbuf_lock);
static void *vfs_rbuf;	     /* the shared read buffer; vfs_rbuf_lock */
static bool vfs_rbuf_failed; /* sharing it failed: do not try again */

/* Small reads through the VFS before a descriptor asks for a direct
 * connection: a file read once or twice does not pay for setting one up. */
#define VFS_DIRECT_AFTER 2

/** A descriptor's direct reads; `lock` guards the rest. */
typedef struct {
	fibril_mutex_t lock;
	unsigned small_reads; /* through the VFS, while without a connection */
	bool refused;	      /* the VFS refused one: read through it */
	unsigned vfs_calls;   /* reads and seeks through the VFS under way */
	async_sess_t *sess;   /* the direct connection, or NULL */
	void *buf;	      /* the buffer shared on it */
	uint64_t pos;	      /* the position while sess != NULL */
} vfs_direct_t;

/* Per descriptor number; made under vfs_client_lock and published with
 * release order, never freed. */
static vfs_direct_t *vfs_directs[VFS_FDS_MAX];
static void vfs_direct_end(vfs_direct_t *d);
static vfs_direct_t *vfs_direct_of(int fd, bool make);

/** A call's extras: paths and data written after it, then a buffer read,
 *  then a read-only share-in of share_size bytes (unless share_at is NULL;
 *  where it was mapped in *share_at). */
typedef struct {
	const char *path[2];
	const void *wbuf;
	size_t wsize;
	void *rbuf;
	size_t rsize;
	size_t share_size;
	void **share_at;
} vfs_extra_t;

/** The session to the VFS, made on first use. Once made it never changes,
 *  so it is read without the lock (published with release order). */
static async_sess_t *vfs_sess(errno_t *rc)
{
	async_sess_t *sess = __atomic_load_n(&vfs_session, __ATOMIC_ACQUIRE);
	if (sess != NULL)
		return sess;
	fibril_mutex_lock(&vfs_client_lock);
	sess = vfs_session;
	if (sess == NULL) {
		sess = service_connect_blocking(
		    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_CLIENT, 0, rc);
		__atomic_store_n(&vfs_session, sess, __ATOMIC_RELEASE);
	}
	fibril_mutex_unlock(&vfs_client_lock);
	return sess;
}

errno_t vfs_connect_now(void)
{
	if (__atomic_load_n(&vfs_session, __ATOMIC_ACQUIRE) != NULL)
		return EOK;
	errno_t rc = ENOENT;
	fibril_mutex_lock(&vfs_client_lock);
	if (vfs_session == NULL) {
		async_sess_t *sess = service_connect(
		    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_CLIENT, 0, &rc);
		if (sess != NULL)
			__atomic_store_n(&vfs_session, sess, __ATOMIC_RELEASE);
	}
	if (vfs_session != NULL)
		rc = EOK;
	fibril_mutex_unlock(&vfs_client_lock);
	return rc;
}

/** Whether a data transfer's error @a rc may be the kernel's refusal to
 *  send it at all (a buffer outside the task's memory, no kernel memory for
 *  the copy, a size past IPC_DATA_MAX): then the server never saw it. */
static bool vfs_transfer_unsent(errno_t rc)
{
	return rc == EBADMEM || rc == ENOMEM || rc == ELIMIT;
}

/** After a data transfer of a call that the kernel may not have sent: the
 *  server may wait for it still, so a one-byte transfer of the other kind
 *  goes in its place. A server waiting for the transfer refuses one of the
 *  wrong kind (and the call, with EINVAL); one that answered already takes
 *  it for a call of its own and refuses it. Either way nothing is read or
 *  written and nobody waits for good. */
static void vfs_transfer_stand_in(async_exch_t *exch, bool was_write)
{
	char byte = 0;
	if (was_write)
		DISCARD(refused, async_data_read_start(exch, &byte, 1));
	else
		DISCARD(refused, async_data_write_start(exch, &byte, 1));
}

/** Sends the extras of a call; stops at the first failure. */
static errno_t vfs_send_extra(async_exch_t *exch, const vfs_extra_t *x)
{
	errno_t rc = EOK;
	for (int i = 0; i < 2 && rc == EOK && x->path[i] != NULL; i++)
		rc = async_data_write_start(exch, x->path[i], strlen(x->path[i]));
	if (rc == EOK && x->wbuf != NULL) {
		rc = async_data_write_start(exch, x->wbuf, x->wsize);
		if (vfs_transfer_unsent(rc))
			vfs_transfer_stand_in(exch, true);
	}
	if (rc == EOK && x->rbuf != NULL) {
		rc = async_data_read_start(exch, x->rbuf, x->rsize);
		if (vfs_transfer_unsent(rc))
			vfs_transfer_stand_in(exch, false);
	}
	if (rc == EOK && x->share_at != NULL) {
		rc = async_share_in_start(exch, x->share_size, 0,
		    AS_AREA_READ | AS_AREA_CACHEABLE, x->share_at);
		if (vfs_transfer_unsent(rc))
			vfs_transfer_stand_in(exch, false);
	}
	return rc;
}

/** The core of every call: @a method with three arguments and extras
 *  @a x (unless NULL); the answer's first argument in *@a out (unless
 *  NULL). */
static errno_t vfs_call(sysarg_t method, sysarg_t a1, sysarg_t a2, sysarg_t a3,
    const vfs_extra_t *x, sysarg_t *out)
{
	errno_t rc = EOK;
	async_sess_t *sess = vfs_sess(&rc);
	if (sess == NULL)
		return rc != EOK ? rc : ENOMEM;
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	ipc_call_t answer;
	aid_t req = async_send_3(exch, method, a1, a2, a3, &answer);
	errno_t xrc = x != NULL ? vfs_send_extra(exch, x) : EOK;
	async_wait_for(req, &rc);
	async_exchange_end(exch);
	if (out != NULL)
		*out = rc == EOK ? answer.args[0] : 0;
	if (vfs_transfer_unsent(xrc))
		return xrc; /* the call's answer is the stand-in's refusal */
	return rc != EOK ? rc : xrc;
}

/** A call whose extras are @a path (made absolute) and @a path2 (unless
 *  NULL), then a read into @a rbuf (unless NULL). */
static errno_t vfs_call_path(sysarg_t method, sysarg_t a1, const char *path,
    const char *path2, void *rbuf, size_t rsize)
{
	char abs[VFS_PATH_MAX + 1], abs2[VFS_PATH_MAX + 1];
	errno_t rc = vfs_absolutize(path, abs);
	if (rc == EOK && path2 != NULL)
		rc = vfs_absolutize(path2, abs2);
	if (rc != EOK)
		return rc;
	vfs_extra_t x = {
	    {abs, path2 != NULL ? abs2 : NULL}, NULL, 0, rbuf, rsize, 0, NULL};
	return vfs_call(method, a1, 0, 0, &x, NULL);
}

errno_t vfs_absolutize(const char *path, char *out)
{
	size_t len = strlen(path);
	if (len > VFS_PATH_MAX)
		return ENAMETOOLONG;
	if (path[0] == '/')
		return vfs_path_normalize(path, len, out);
	char joined[2 * VFS_PATH_MAX + 2];
	fibril_mutex_lock(&vfs_client_lock);
	if (vfs_cwd[0] == '\0')
		str_lcpy(vfs_cwd, __cwd, sizeof(vfs_cwd));
	size_t clen = strlen(vfs_cwd);
	memcpy(joined, vfs_cwd, clen);
	fibril_mutex_unlock(&vfs_client_lock);
	joined[clen] = '/';
	memcpy(joined + clen + 1, path, len + 1);
	return vfs_path_normalize(joined, clen + 1 + len, out);
}

errno_t vfs_open(const char *path, unsigned flags, int *fd)
{
	char abs[VFS_PATH_MAX + 1];
	errno_t rc = vfs_absolutize(path, abs);
	if (rc != EOK)
		return rc;
	vfs_extra_t x = {{abs, NULL}, NULL, 0, NULL, 0, 0, NULL};
	sysarg_t out;
	rc = vfs_call(VFS_OPEN, flags, 0, 0, &x, &out);
	*fd = rc == EOK ? (int) out : -1;
	return rc;
}

errno_t vfs_close(int fd)
{
	vfs_direct_t *d = vfs_direct_of(fd, false);
	if (d != NULL) {
		fibril_mutex_lock(&d->lock); /* a direct read of another fibril ends */
		vfs_direct_end(d);
		d->refused = false; /* the number's next file starts afresh */
		fibril_mutex_unlock(&d->lock);
	}
	return vfs_call(VFS_CLOSE, (sysarg_t) fd, 0, 0, NULL, NULL);
}

/** Reads or writes @a size bytes in chunks of at most IPC_DATA_MAX until
 *  done or a short one; an error after some bytes ends it early. */
static errno_t vfs_xfer_all(sysarg_t method, int fd, void *buf, size_t size, size_t *done)
{
	*done = 0;
	while (*done < size) {
		size_t chunk = size - *done < IPC_DATA_MAX ? size - *done : IPC_DATA_MAX;
		vfs_extra_t x = {{NULL, NULL}, NULL, 0, NULL, 0, 0, NULL};
		if (method == VFS_READ) {
			x.rbuf = (char *) buf + *done;
			x.rsize = chunk;
		} else {
			x.wbuf = (char *) buf + *done;
			x.wsize = chunk;
		}
		sysarg_t n;
		errno_t rc = vfs_call(method, (sysarg_t) fd, 0, 0, &x, &n);
		if (rc != EOK)
			return *done > 0 ? EOK : rc;
		*done += n;
		if (n < chunk)
			break;
	}
	return EOK;
}

/** Makes the read buffer and shares it with the VFS through @a sess;
 *  vfs_rbuf_lock held. */
static void vfs_rbuf_share(async_sess_t *sess)
{
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = as_area_create(
	    &base, VFS_READ_SHARED_MAX, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE);
	if (rc == EOK) {
		async_exch_t *exch = async_exchange_begin(sess);
		rc = exch != NULL ? async_share_out_start(
					exch, (void *) base, AS_AREA_READ | AS_AREA_WRITE)
				  : ENOMEM;
		async_exchange_end(exch);
		if (rc != EOK)
			DISCARD(cleanup, as_area_destroy(base));
	}
	if (rc == EOK)
		vfs_rbuf = (void *) base;
	else
		vfs_rbuf_failed = true;
}

/** A read of at most VFS_READ_SHARED_MAX bytes through the shared buffer:
 *  true with its result in *@a rc, false if the buffer cannot be used now
 *  (taken by another fibril, or not shared). */
static bool vfs_read_shared(int fd, void *buf, size_t size, size_t *nread, errno_t *rc)
{
	async_sess_t *sess = vfs_sess(rc);
	if (sess == NULL || !fibril_mutex_trylock(&vfs_rbuf_lock))
		return false;
	if (vfs_rbuf == NULL && !vfs_rbuf_failed)
		vfs_rbuf_share(sess);
	if (vfs_rbuf == NULL) {
		fibril_mutex_unlock(&vfs_rbuf_lock);
		return false;
	}
	sysarg_t n = 0;
	async_exch_t *exch = async_exchange_begin(sess);
	*rc = exch != NULL ? async_req_2_1(exch, VFS_READ_SHARED, (sysarg_t) fd, size, &n)
			   : ENOMEM;
	async_exchange_end(exch);
	if (*rc == EOK && n > size)
		*rc = EIO; /* more than asked for: not the VFS's answer */
	if (*rc == EOK)
		memcpy(buf, vfs_rbuf, n);
	*nread = *rc == EOK ? n : 0;
	fibril_mutex_unlock(&vfs_rbuf_lock);
	return true;
}

/** A read through the VFS. */
static errno_t vfs_read_via_vfs(int fd, void *buf, size_t size, size_t *nread)
{
	errno_t rc;
	if (size <= VFS_READ_SHARED_MAX && vfs_read_shared(fd, buf, size, nread, &rc))
		return rc;
	return vfs_xfer_all(VFS_READ, fd, buf, size, nread);
}

/** The direct state of @a fd, made if @a make; NULL if none (or no
 *  memory, or not a descriptor). */
static vfs_direct_t *vfs_direct_of(int fd, bool make)
{
	if (fd < 0 || fd >= VFS_FDS_MAX)
		return NULL;
	/* Once made a state stays (release order): read without the lock. */
	vfs_direct_t *d = __atomic_load_n(&vfs_directs[fd], __ATOMIC_ACQUIRE);
	if (d != NULL || !make)
		return d;
	fibril_mutex_lock(&vfs_client_lock);
	d = vfs_directs[fd];
	if (d == NULL) {
		d = calloc(1, sizeof(*d));
		if (d != NULL)
			fibril_mutex_initialize(&d->lock);
		__atomic_store_n(&vfs_directs[fd], d, __ATOMIC_RELEASE);
	}
	fibril_mutex_unlock(&vfs_client_lock);
	return d;
}

/** Drops @a d's connection and its buffer (d->lock held). */
static void vfs_direct_end(vfs_direct_t *d)
{
	if (d->sess != NULL)
		DISCARD(cleanup, async_hangup(d->sess));
	if (d->buf != NULL)
		DISCARD(cleanup, as_area_destroy((uintptr_t) d->buf));
	d->sess = NULL;
	d->buf = NULL;
	d->small_reads = 0;
}

/** Gives the VFS back @a fd's position and drops its direct connection
 *  (d->lock held; nothing if it has none). */
static void vfs_direct_drop(int fd, vfs_direct_t *d)
{
	if (d->sess == NULL)
		return;
	vfs_direct_end(d);
	DISCARD(best_effort,
	    vfs_call(VFS_SEEK, (sysarg_t) fd, (sysarg_t) d->pos, SEEK_SET, NULL, NULL));
}

/** Connects @a fd directly to its file's server and shares the buffer with
 *  it (d->lock held); on refusal the descriptor reads through the VFS for
 *  good. */
static void vfs_direct_start(int fd, vfs_direct_t *d)
{
	errno_t rc;
	async_sess_t *vfs = vfs_sess(&rc);
	async_exch_t *exch = vfs != NULL ? async_exchange_begin(vfs) : NULL;
	if (exch != NULL) {
		d->sess = async_connect_me_to(
		    EXCHANGE_SERIALIZE, exch, VFS_IFACE_DIRECT, 0, (sysarg_t) fd, &rc);
		async_exchange_end(exch);
	}
	/* Granted: nothing else moves the VFS's position from here on. */
	sysarg_t pos = 0;
	if (d->sess != NULL)
		rc = vfs_call(VFS_SEEK, (sysarg_t) fd, 0, SEEK_CUR, NULL, &pos);
	uintptr_t base = AS_AREA_ANY;
	if (d->sess != NULL && rc == EOK)
		rc = as_area_create(&base, VFS_READ_SHARED_MAX,
		    AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE);
	if (d->sess != NULL && rc == EOK) {
		d->buf = (void *) base;
		exch = async_exchange_begin(d->sess);
		rc = exch != NULL
		    ? async_share_out_start(exch, d->buf, AS_AREA_READ | AS_AREA_WRITE)
		    : ENOMEM;
		async_exchange_end(exch);
	}
	if (d->sess == NULL || rc != EOK) {
		vfs_direct_end(d);
		d->refused = true;
		return;
	}
	d->pos = pos;
}

/** A read of at most VFS_READ_SHARED_MAX bytes on @a d's connection. */
static errno_t vfs_direct_read_small(vfs_direct_t *d, void *buf, size_t size, size_t *n)
{
	sysarg_t got = 0;
	async_exch_t *exch = async_exchange_begin(d->sess);
	errno_t rc = exch != NULL
	    ? async_req_2_1(exch, FS_READ_SHARED, (sysarg_t) d->pos, size, &got)
	    : ENOMEM;
	async_exchange_end(exch);
	if (rc == EOK && got > size)
		rc = EIO; /* more than asked for: not the server's answer */
	if (rc == EOK)
		memcpy(buf, d->buf, got);
	*n = rc == EOK ? got : 0;
	return rc;
}

/** A read of at most IPC_DATA_MAX bytes on @a d's connection by a data
 *  transfer. */
static errno_t vfs_direct_read_chunk(vfs_direct_t *d, void *buf, size_t size, size_t *n)
{
	*n = 0;
	async_exch_t *exch = async_exchange_begin(d->sess);
	if (exch == NULL)
		return ENOMEM;
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) d->pos};
	async_step_data_t data = {.buf = buf, .size = size};
	const async_step_t step = {async_step_read, &data};
	ipc_call_t answer;
	errno_t rc = async_req_steps(exch, FS_READ, args, &step, 1, &answer);
	async_exchange_end(exch);
	if (rc == EOK && answer.args[0] > size)
		rc = EIO;
	if (rc == EOK)
		*n = answer.args[0];
	return rc;
}

/** A read on @a d's connection, the position moving on by the bytes read;
 *  an error after some bytes ends it early with them. */
static errno_t vfs_direct_read(vfs_direct_t *d, void *buf, size_t size, size_t *done)
{
	*done = 0;
	if (size <= VFS_READ_SHARED_MAX) {
		errno_t rc = vfs_direct_read_small(d, buf, size, done);
		d->pos += *done;
		return rc;
	}
	while (*done < size) {
		size_t chunk = size - *done < IPC_DATA_MAX ? size - *done : IPC_DATA_MAX;
		size_t n;
		errno_t rc = vfs_direct_read_chunk(d, (char *) buf + *done, chunk, &n);
		if (rc != EOK)
			return *done > 0 ? EOK : rc;
		*done += n;
		d->pos += n;
		if (n < chunk)
			break;
	}
	return EOK;
}

/** Counts out a read or seek through the VFS that moves the position:
 *  counted in (under @a d's lock, not held across the call, which may wait
 *  long, a pipe's read, while another fibril closes the descriptor) so
 *  that no direct connection starts meanwhile. */
static void vfs_direct_calls_done(vfs_direct_t *d)
{
	fibril_mutex_lock(&d->lock);
	d->vfs_calls--;
	fibril_mutex_unlock(&d->lock);
}

errno_t vfs_read(int fd, void *buf, size_t size, size_t *nread)
{
	vfs_direct_t *d = vfs_direct_of(fd, size <= VFS_READ_SHARED_MAX);
	if (d == NULL)
		return vfs_read_via_vfs(fd, buf, size, nread);
	fibril_mutex_lock(&d->lock);
	if (d->sess == NULL && !d->refused && d->vfs_calls == 0 &&
	    size <= VFS_READ_SHARED_MAX && ++d->small_reads > VFS_DIRECT_AFTER)
		vfs_direct_start(fd, d);
	errno_t rc = EHANGUP;
	if (d->sess != NULL)
		rc = vfs_direct_read(d, buf, size, nread);
	if (rc != EHANGUP) {
		fibril_mutex_unlock(&d->lock);
		return rc;
	}
	/* No connection, or its server is gone: through the VFS, which
	 * answers EIO or reaches a restarted server. */
	vfs_direct_drop(fd, d);
	d->vfs_calls++;
	fibril_mutex_unlock(&d->lock);
	rc = vfs_read_via_vfs(fd, buf, size, nread);
	vfs_direct_calls_done(d);
	return rc;
}

errno_t vfs_write(int fd, const void *buf, size_t size, size_t *nwritten)
{
	return vfs_xfer_all(VFS_WRITE, fd, (void *) buf, size, nwritten);
}

/** The position @a offset from @a whence (SEEK_SET or SEEK_CUR) gives
 *  from @a base: the VFS's rules (EINVAL before 0 or past 2^64). */
static errno_t vfs_seek_local(uint64_t base, int64_t offset, int whence, uint64_t *pos)
{
	if (whence == SEEK_SET)
		base = 0;
	if ((offset < 0 && (uint64_t) -offset > base) ||
	    (offset > 0 && base + (uint64_t) offset < base))
		return EINVAL;
	*pos = base + (uint64_t) offset;
	return EOK;
}

/** VFS_SEEK itself. */
static errno_t vfs_seek_via_vfs(int fd, int64_t offset, int whence, uint64_t *pos)
{
	sysarg_t out;
	errno_t rc = vfs_call(
	    VFS_SEEK, (sysarg_t) fd, (sysarg_t) offset, (sysarg_t) whence, NULL, &out);
	if (pos != NULL)
		*pos = out;
	return rc;
}

errno_t vfs_seek(int fd, int64_t offset, int whence, uint64_t *pos)
{
	vfs_direct_t *d = vfs_direct_of(fd, false);
	if (d == NULL)
		return vfs_seek_via_vfs(fd, offset, whence, pos);
	fibril_mutex_lock(&d->lock);
	if (d->sess == NULL) {
		d->vfs_calls++;
		fibril_mutex_unlock(&d->lock);
		errno_t rc = vfs_seek_via_vfs(fd, offset, whence, pos);
		vfs_direct_calls_done(d);
		return rc;
	}
	errno_t rc;
	uint64_t at = 0;
	if (whence == SEEK_SET || whence == SEEK_CUR)
		rc = vfs_seek_local(d->pos, offset, whence, &at);
	else
		rc = vfs_seek_via_vfs(fd, offset, whence, &at); /* SEEK_END: the size */
	if (rc == EOK)
		d->pos = at;
	fibril_mutex_unlock(&d->lock);
	if (pos != NULL)
		*pos = at;
	return rc;
}

/** Gives the VFS back @a fd's position before it is shared. */
static void vfs_direct_give_back(int fd)
{
	vfs_direct_t *d = vfs_direct_of(fd, false);
	if (d == NULL)
		return;
	fibril_mutex_lock(&d->lock);
	vfs_direct_drop(fd, d);
	fibril_mutex_unlock(&d->lock);
}

errno_t vfs_truncate(int fd, uint64_t size)
{
	return vfs_call(VFS_TRUNCATE, (sysarg_t) fd, size, 0, NULL, NULL);
}

errno_t vfs_fstat(int fd, vfs_stat_t *st)
{
	vfs_extra_t x = {{NULL, NULL}, NULL, 0, st, sizeof(*st), 0, NULL};
	return vfs_call(VFS_FSTAT, (sysarg_t) fd, 0, 0, &x, NULL);
}

errno_t vfs_share_file(int fd, size_t size, void **base, uint64_t *file_size)
{
	if (size == 0)
		return EINVAL;
	void *at = NULL;
	vfs_extra_t x = {{NULL, NULL}, NULL, 0, NULL, 0, size, &at};
	sysarg_t out;
	errno_t rc = vfs_call(VFS_SHARE_FILE, (sysarg_t) fd, 0, 0, &x, &out);
	if (rc != EOK && at != NULL)
		DISCARD(ours_at_that_base, as_area_destroy((uintptr_t) at));
	if (rc != EOK)
		return rc;
	*base = at;
	*file_size = out;
	return EOK;
}

errno_t vfs_stat(const char *path, vfs_stat_t *st)
{
	return vfs_call_path(VFS_STAT, 0, path, NULL, st, sizeof(*st));
}

errno_t vfs_readdir(int fd, char *name, bool *more)
{
	vfs_extra_t x = {{NULL, NULL}, NULL, 0, name, VFS_NAME_MAX + 1, 0, NULL};
	sysarg_t out;
	errno_t rc = vfs_call(VFS_READDIR, (sysarg_t) fd, 0, 0, &x, &out);
	if (rc == ENOENT)
		rc = EOK; /* the read's refusal past the last entry */
	*more = rc == EOK && out == 1;
	if (*more)
		name[VFS_NAME_MAX] = '\0';
	return rc;
}

errno_t vfs_mount_info(size_t index, vfs_mount_info_t *info, bool *more)
{
	vfs_extra_t x = {{NULL, NULL}, NULL, 0, info, sizeof(*info), 0, NULL};
	sysarg_t out;
	errno_t rc = vfs_call(VFS_MOUNTS, (sysarg_t) index, 0, 0, &x, &out);
	if (rc == ENOENT)
		rc = EOK; /* the read's refusal past the last entry */
	*more = rc == EOK && out == 1;
	if (*more)
		info->point[VFS_PATH_MAX] = '\0';
	return rc;
}

errno_t vfs_mount_each(void (*fn)(const vfs_mount_info_t *, void *), void *arg)
{
	vfs_mount_info_t info;
	bool more = true;
	for (size_t i = 0;; i++) {
		errno_t rc = vfs_mount_info(i, &info, &more);
		if (rc != EOK || !more)
			return rc;
		fn(&info, arg);
	}
}

/** Syncs the mount at @a info's point; the first failure stays in *@a arg
 *  (a file system that keeps nothing to write, ENOTSUP, is no failure). A
 *  mount not yet made (VFS_MOUNT_DEMAND) has nothing to write and is not
 *  started for it. */
static void sync_one(const vfs_mount_info_t *info, void *arg)
{
	errno_t *first = arg;
	if ((info->flags & VFS_MOUNT_DEMAND) != 0)
		return;
	int fd;
	errno_t rc = vfs_open(info->point, O_RDONLY | O_DIRECTORY, &fd);
	if (rc == EOK) {
		rc = vfs_sync(fd);
		errno_t rc2 = vfs_close(fd);
		if (rc == EOK)
			rc = rc2;
	}
	if (rc != EOK && rc != ENOTSUP && *first == EOK)
		*first = rc;
}

errno_t vfs_sync_all(void)
{
	errno_t first = EOK;
	errno_t rc = vfs_mount_each(sync_one, &first);
	return rc != EOK ? rc : first;
}

errno_t vfs_mkdir(const char *path)
{
	return vfs_call_path(VFS_MKDIR, 0, path, NULL, NULL, 0);
}

errno_t vfs_unlink(const char *path, unsigned flags)
{
	return vfs_call_path(VFS_UNLINK, flags, path, NULL, NULL, 0);
}

errno_t vfs_rename(const char *old_path, const char *new_path)
{
	return vfs_call_path(VFS_RENAME, 0, old_path, new_path, NULL, 0);
}

errno_t vfs_sync(int fd)
{
	return vfs_call(VFS_SYNC, (sysarg_t) fd, 0, 0, NULL, NULL);
}

errno_t vfs_statfs(const char *path, vfs_statfs_t *sf)
{
	return vfs_call_path(VFS_STATFS, 0, path, NULL, sf, sizeof(*sf));
}

errno_t vfs_mount(
    const char *point, const char *fs_type, const char *opts, unsigned flags)
{
	char abs[VFS_PATH_MAX + 1];
	errno_t rc = vfs_absolutize(point, abs);
	if (rc != EOK)
		return rc;
	vfs_extra_t x = {{abs, fs_type}, opts, strlen(opts), NULL, 0, 0, NULL};
	return vfs_call(VFS_MOUNT, flags, 0, 0, &x, NULL);
}

errno_t vfs_unmount(const char *point)
{
	return vfs_call_path(VFS_UNMOUNT, 0, point, NULL, NULL, 0);
}

errno_t vfs_pass(int fd, task_id_t task, int *newfd)
{
	vfs_direct_give_back(fd);
	sysarg_t out;
	errno_t rc = vfs_call(VFS_PASS, (sysarg_t) fd, task, 0, NULL, &out);
	*newfd = rc == EOK ? (int) out : -1;
	return rc;
}

errno_t vfs_pager_connect(int fd, unsigned flags, cap_handle_t *phone)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_connect_me_to_phone(
	    exch, VFS_IFACE_CLIENT, service_id_from_name(VFS_SERVICE_NAME), 0, phone);
	async_exchange_end(exch);
	if (rc != EOK)
		return rc;
	/* The connection's only call: it is the mapping's from now on. */
	ipc_payload_t msg = {VFS_MMAP, {(sysarg_t) fd, flags, 0, 0, 0}};
	ipc_event_t ev;
	rc = ipc_call_wait(*phone, &msg, 0, 0, &ev);
	if (rc == EOK)
		rc = (errno_t) ev.imethod;
	if (rc != EOK)
		DISCARD(cleanup, ipc_hangup(*phone, IPC_HANGUP_RELEASE));
	return rc;
}

errno_t vfs_cwd_set(const char *path)
{
	char abs[VFS_PATH_MAX + 1];
	vfs_stat_t st;
	errno_t rc = vfs_absolutize(path, abs);
	if (rc == EOK)
		rc = vfs_stat(abs, &st);
	if (rc == EOK && st.type != VFS_NODE_DIR)
		rc = ENOTDIR;
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&vfs_client_lock);
	str_lcpy(vfs_cwd, abs, sizeof(vfs_cwd));
	fibril_mutex_unlock(&vfs_client_lock);
	return EOK;
}

errno_t vfs_cwd_get(char *buf, size_t size)
{
	fibril_mutex_lock(&vfs_client_lock);
	if (vfs_cwd[0] == '\0')
		str_lcpy(vfs_cwd, __cwd, sizeof(vfs_cwd));
	errno_t rc = strlen(vfs_cwd) < size ? EOK : ERANGE;
	if (rc == EOK)
		str_lcpy(buf, vfs_cwd, size);
	fibril_mutex_unlock(&vfs_client_lock);
	return rc;
}

async_sess_t *vfs_file_session(int fd, errno_t *rc)
{
	vfs_direct_give_back(fd);
	return service_connect(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_FILE, (sysarg_t) fd, rc);
}

/** @a method (descriptor 0: the session's file) with @a size bytes of
 *  @a buf moved by @a xfer; the bytes moved in *@a done. */
static errno_t vfs_session_xfer(async_sess_t *sess, sysarg_t method, async_step_fn_t xfer,
    void *buf, size_t size, size_t *done)
{
	*done = 0;
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	const sysarg_t args[IPC_CALL_ARGS] = {0};
	async_step_data_t data = {.buf = buf, .size = size};
	const async_step_t step = {xfer, &data};
	ipc_call_t answer;
	errno_t rc = async_req_steps(exch, method, args, &step, 1, &answer);
	async_exchange_end(exch);
	if (rc == EOK)
		*done = answer.args[0];
	return rc;
}

errno_t vfs_session_read(async_sess_t *sess, void *buf, size_t size, size_t *nread)
{
	return vfs_session_xfer(sess, VFS_READ, async_step_read, buf, size, nread);
}

errno_t vfs_session_write(
    async_sess_t *sess, const void *buf, size_t size, size_t *nwritten)
{
	return vfs_session_xfer(
	    sess, VFS_WRITE, async_step_write, (void *) buf, size, nwritten);
}
