/*
 * The frame of a file-system server (fsrv.h).
 *
 * Direct reads (VFS_IFACE_DIRECT): the VFS grants a client's next direct
 * connection naming a descriptor to one node (FS_DIRECT_GRANT: the grant
 * holds an open of the node), then forwards the client's connection
 * request here, where it takes the grant (its task and descriptor must
 * match) and keeps the open until it ends. Only the VFS holds phones to a
 * file-system server, so a grant and a forwarded request come from it.
 * Grants wait in `grants` (grants_lock) for their request; the oldest is
 * dropped when it is full (a request that never came).
 */
#include <abi/vfs.h>
#include <as.h>
#include <fsrv.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

/* The session to the VFS; kept open while the server is registered. */
static async_sess_t *vfs_sess;
static const char *fs_name;

/* The pool FS_READ_SHARED writes into (abi/vfs.h), shared by the VFS once
 * and kept for good: set once under pool_lock, read without it after (a
 * pointer published with release order, never changed again). */
static FIBRIL_MUTEX_INITIALIZE(pool_lock);
static uint8_t *pool;
static size_t pool_size;

/* The spare write buffer (IPC_DATA_MAX bytes) or NULL while a write uses
 * it: taken and given back by atomic exchanges, so runners on several
 * threads never share it. A write that finds it taken allocates its own. */
static void *write_spare;

static const fsrv_direct_t *direct_ops;

#define GRANTS_MAX 16

typedef struct {
	bool used;
	task_id_t task;
	sysarg_t fd;
	sysarg_t inst;
	uint64_t index;
} fsrv_grant_t;

static FIBRIL_MUTEX_INITIALIZE(grants_lock);
static fsrv_grant_t grants[GRANTS_MAX];
static unsigned grant_next; /* the slot a full table gives up next */

/** A direct connection: its node and, once shared, its buffer. */
typedef struct {
	sysarg_t inst;
	uint64_t index;
	uint8_t *buf;
} fsrv_direct_conn_t;

void fsrv_direct_enable(const fsrv_direct_t *direct)
{
	direct_ops = direct;
}

static void direct_close(sysarg_t inst, uint64_t index)
{
	fibril_mutex_lock(direct_ops->lock);
	direct_ops->close(inst, index);
	fibril_mutex_unlock(direct_ops->lock);
}

/** Puts grant @a g into the table (its open moves in); grants_lock held.
 *  A grant it replaces or pushes out is closed. */
static void grant_put_locked(const fsrv_grant_t *g)
{
	fsrv_grant_t *slot = NULL;
	for (unsigned i = 0; i < GRANTS_MAX && slot == NULL; i++) {
		if (grants[i].used && grants[i].task == g->task && grants[i].fd == g->fd)
			slot = &grants[i];
	}
	for (unsigned i = 0; i < GRANTS_MAX && slot == NULL; i++) {
		if (!grants[i].used)
			slot = &grants[i];
	}
	if (slot == NULL) {
		slot = &grants[grant_next];
		grant_next = (grant_next + 1) % GRANTS_MAX;
	}
	if (slot->used)
		direct_close(slot->inst, slot->index);
	*slot = *g;
}

/** FS_DIRECT_GRANT (inst, index, task, fd) @a call from the VFS. */
static void grant_receive(ipc_call_t *call)
{
	fsrv_grant_t g = {
	    true, call->args[2], call->args[3], call->args[0], call->args[1]};
	fibril_mutex_lock(direct_ops->lock);
	errno_t rc = direct_ops->open(g.inst, g.index);
	fibril_mutex_unlock(direct_ops->lock);
	if (rc == EOK) {
		fibril_mutex_lock(&grants_lock);
		grant_put_locked(&g);
		fibril_mutex_unlock(&grants_lock);
	}
	fsrv_answer(call, rc, 0, 0, 0);
}

/** Takes the grant of @a task's descriptor @a fd into *@a g. */
static bool grant_take(task_id_t task, sysarg_t fd, fsrv_grant_t *g)
{
	bool found = false;
	fibril_mutex_lock(&grants_lock);
	for (unsigned i = 0; i < GRANTS_MAX && !found; i++) {
		if (grants[i].used && grants[i].task == task && grants[i].fd == fd) {
			*g = grants[i];
			grants[i].used = false;
			found = true;
		}
	}
	fibril_mutex_unlock(&grants_lock);
	return found;
}

/** IPC_M_SHARE_OUT on a direct connection: its buffer. */
static void direct_buffer_bind(fsrv_direct_conn_t *c, ipc_call_t *call)
{
	unsigned rw = AS_AREA_READ | AS_AREA_WRITE;
	errno_t rc = c->buf != NULL ? EBUSY : EOK;
	if (rc == EOK &&
	    (call->args[1] != VFS_READ_SHARED_MAX ||
		((unsigned) call->args[2] & rw) != rw))
		rc = EINVAL;
	void *dst = NULL;
	if (rc != EOK)
		DISCARD(answer, async_answer_0(call, rc));
	else if (async_share_out_finalize(call, &dst) == EOK)
		c->buf = dst;
}

/** FS_READ_SHARED (pos, size) on a direct connection: into its buffer. */
static void direct_read_shared(fsrv_direct_conn_t *c, ipc_call_t *call)
{
	size_t size = call->args[1];
	if (c->buf == NULL || size > VFS_READ_SHARED_MAX) {
		fsrv_answer(call, EINVAL, 0, 0, 0);
		return;
	}
	ipc_call_t fill_call = {.args = {c->inst, c->index, call->args[0]}};
	size_t len = 0;
	sysarg_t result = 0;
	fibril_mutex_lock(direct_ops->lock);
	errno_t rc = direct_ops->read(&fill_call, c->buf, size, &len, &result);
	fibril_mutex_unlock(direct_ops->lock);
	fsrv_answer(call, rc, rc == EOK ? len : 0, 0, 0);
}

/** One call of a direct connection. */
static void direct_call(fsrv_direct_conn_t *c, ipc_call_t *call)
{
	if (call->imethod == IPC_M_SHARE_OUT) {
		direct_buffer_bind(c, call);
	} else if (call->imethod == FS_READ_SHARED) {
		direct_read_shared(c, call);
	} else if (call->imethod == FS_READ) {
		sysarg_t pos = call->args[0];
		call->args[0] = c->inst;
		call->args[1] = c->index;
		call->args[2] = pos;
		fsrv_read_reply(call, direct_ops->read, direct_ops->lock);
	} else {
		DISCARD(answer, async_answer_0(call, EPERM));
	}
}

/** A direct read connection the VFS forwarded (VFS_IFACE_DIRECT, 0, fd). */
static void direct_connection(ipc_call_t *icall, void *arg)
{
	fsrv_grant_t g;
	if (!grant_take(async_call_task_id(icall), icall->args[2], &g)) {
		DISCARD(answer, async_answer_0(icall, EPERM));
		return;
	}
	/* Bound to its task's open file: neither copied nor forwarded on. */
	if (async_accept_withholding(icall, CAP_RIGHT_CLONE | CAP_RIGHT_FORWARD) != EOK) {
		direct_close(g.inst, g.index);
		return;
	}
	fsrv_direct_conn_t c = {g.inst, g.index, NULL};
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			break;
		direct_call(&c, &call);
	}
	if (c.buf != NULL)
		DISCARD(cleanup, as_area_destroy((uintptr_t) c.buf));
	direct_close(g.inst, g.index);
}

/** Serves the calls of one connection until the VFS hangs it up: the
 *  callback connection, or one more the VFS made through it (CONNECT_ME_TO,
 *  VFS_IFACE_FS) for a concurrent exchange. */
static void fsrv_connection(ipc_call_t *icall, void *arg)
{
	fsrv_call_handler_t handle = (fsrv_call_handler_t) arg;
	bool extra = icall->imethod == IPC_M_CONNECT_ME_TO;
	if (extra && async_accept_0(icall) != EOK)
		return;
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			break;
		handle(&call);
	}
	if (!extra)
		printf("%s: the VFS hung up\n", fs_name);
}

/** VFS_FS_REGISTER + the name, and the callback connection, through @a sess. */
static errno_t register_on(
    async_sess_t *sess, const char *name, fsrv_call_handler_t handle)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	async_step_data_t w = {.buf = (void *) name, .size = strlen(name)};
	async_step_callback_t cb = {VFS_IFACE_FS, fsrv_connection, (void *) handle};
	const async_step_t steps[] = {{async_step_write, &w}, {async_step_callback, &cb}};
	const sysarg_t args[IPC_CALL_ARGS] = {0};
	errno_t rc = async_req_steps(exch, VFS_FS_REGISTER, args, steps, 2, NULL);
	async_exchange_end(exch);
	return rc;
}

/** "fs/NAME" in the naming service, after the VFS has the server: a mount
 *  waiting for a server started on demand goes on (abi/vfs.h). A type too
 *  long for such a name, or one registered by an older server still
 *  running (EEXIST), goes without. */
static errno_t register_on_demand_name(const char *name, fsrv_call_handler_t handle)
{
	service_id_t svc = vfs_fs_service_id(name);
	if (svc == 0)
		return EOK;
	errno_t rc = service_register_port(
	    svc, VFS_IFACE_FS, fsrv_connection, (void *) handle);
	return rc == EEXIST ? EOK : rc;
}

errno_t fsrv_register(const char *name, fsrv_call_handler_t handle)
{
	errno_t rc;
	fs_name = name;
	/* The VFS's further connections come through the callback phone. */
	rc = async_create_port(VFS_IFACE_FS, fsrv_connection, (void *) handle, NULL);
	if (rc == EOK && direct_ops != NULL)
		rc = async_create_port(VFS_IFACE_DIRECT, direct_connection, NULL, NULL);
	if (rc != EOK)
		return rc;
	vfs_sess = service_connect_blocking(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_FS, 0, &rc);
	if (vfs_sess == NULL)
		return rc;
	rc = register_on(vfs_sess, name, handle);
	if (rc != EOK) {
		DISCARD(cleanup, async_hangup(vfs_sess));
		vfs_sess = NULL;
		return rc;
	}
	return register_on_demand_name(name, handle);
}

void fsrv_answer(ipc_call_t *call, errno_t rc, sysarg_t a1, sysarg_t a2, sysarg_t a3)
{
	const sysarg_t args[IPC_CALL_ARGS] = {a1, a2, a3};
	errno_t arc = async_answer_args(call, rc, args);
	if (arc != EOK)
		printf("%s: cannot answer method %lu: %s\n", fs_name,
		    (unsigned long) call->imethod, strerror(arc));
}

void fsrv_read_answer(
    ipc_call_t *call, errno_t rc, const void *src, size_t len, sysarg_t result)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive(&rcall, &size))
		rc = EINVAL;
	if (rc == EOK)
		rc = async_data_read_finalize(&rcall, src, len < size ? len : size);
	else
		fsrv_answer(&rcall, rc, 0, 0, 0);
	fsrv_answer(call, rc, result, 0, 0);
}

void fsrv_dispatch(const fsrv_ops_t ops, ipc_call_t *call)
{
	sysarg_t m = call->imethod;
	if (m < FS_MOUNTED || m - FS_MOUNTED >= FSRV_OPS || ops[m - FS_MOUNTED] == NULL)
		DISCARD(answer, async_answer_0(call, ENOTSUP));
	else
		ops[m - FS_MOUNTED](call);
}

/** IPC_M_SHARE_OUT @a call from the VFS: the pool of FS_READ_SHARED. */
static void pool_receive(ipc_call_t *call)
{
	size_t size = call->args[1];
	unsigned flags = (unsigned) call->args[2];
	unsigned rw = AS_AREA_READ | AS_AREA_WRITE;
	errno_t rc = EOK;
	if (size == 0 || size % VFS_READ_SHARED_MAX != 0 || (flags & rw) != rw)
		rc = EINVAL;
	fibril_mutex_lock(&pool_lock);
	if (rc == EOK && __atomic_load_n(&pool, __ATOMIC_RELAXED) != NULL)
		rc = EBUSY;
	void *dst = NULL;
	if (rc == EOK)
		rc = async_share_out_finalize(call, &dst);
	else
		DISCARD(answer, async_answer_0(call, rc));
	if (rc == EOK) {
		pool_size = size;
		__atomic_store_n(&pool, (uint8_t *) dst, __ATOMIC_RELEASE);
	}
	fibril_mutex_unlock(&pool_lock);
}

/** FS_READ_SHARED @a call: @a fill (the server's FS_READ fill, under
 *  @a lock) writes into the pool at the offset asked; answered with the
 *  bytes. */
static void pool_read(ipc_call_t *call, fsrv_fill_t fill, fibril_mutex_t *lock)
{
	uint8_t *base = __atomic_load_n(&pool, __ATOMIC_ACQUIRE);
	uint64_t offset = call->args[3], size = call->args[4];
	errno_t rc = base == NULL ? ENOENT : EOK;
	if (rc == EOK &&
	    (size > VFS_READ_SHARED_MAX || offset > pool_size ||
		size > pool_size - offset))
		rc = EINVAL;
	size_t len = 0;
	sysarg_t result = 0;
	if (rc == EOK) {
		fibril_mutex_lock(lock);
		rc = fill(call, base + offset, size, &len, &result);
		fibril_mutex_unlock(lock);
	}
	fsrv_answer(call, rc, rc == EOK ? len : 0, 0, 0);
}

void fsrv_dispatch_fills(const fsrv_ops_t ops, const fsrv_fills_t fills,
    fibril_mutex_t *lock, ipc_call_t *call)
{
	sysarg_t m = call->imethod;
	fsrv_fill_t read = fills[FS_READ - FS_MOUNTED];
	if (m == IPC_M_SHARE_OUT && read != NULL)
		pool_receive(call);
	else if (m == FS_DIRECT_GRANT && direct_ops != NULL)
		grant_receive(call);
	else if (m == FS_READ_SHARED && read != NULL)
		pool_read(call, read, lock);
	else if (m >= FS_MOUNTED && m - FS_MOUNTED < FSRV_OPS &&
	    fills[m - FS_MOUNTED] != NULL)
		fsrv_read_reply(call, fills[m - FS_MOUNTED], lock);
	else
		fsrv_dispatch(ops, call);
}

int fsrv_main(const char *name, fsrv_call_handler_t handle)
{
	errno_t rc = fsrv_register(name, handle);
	if (rc != EOK) {
		printf("%s: cannot register with the VFS: %s\n", name, strerror(rc));
		return 1;
	}
	printf("%s: started\n", name);
	DISCARD(best_effort, task_retval(0)); /* ready: for init's "ready" lines */
	async_manager();
}

/** Takes the path written after a call (NUL-terminated; free() it). */
errno_t fsrv_path_receive(char **path)
{
	errno_t rc = async_data_write_accept(
	    (void **) path, true, 0, VFS_PATH_MAX, 0, NULL);
	return rc == ELIMIT ? ENAMETOOLONG : rc;
}

/** Takes the data read that follows @a call, fills it with @a fill and
 *  answers both. */
void fsrv_read_reply(ipc_call_t *call, fsrv_fill_t fill, fibril_mutex_t *lock)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive(&rcall, &size)) {
		fsrv_answer(&rcall, EINVAL, 0, 0, 0);
		fsrv_answer(call, EINVAL, 0, 0, 0);
		return;
	}
	if (size > IPC_DATA_MAX)
		size = IPC_DATA_MAX;
	void *buf = malloc(size > 0 ? size : 1);
	errno_t rc = buf != NULL ? EOK : ENOMEM;
	size_t len = 0;
	sysarg_t result = 0;
	if (rc == EOK) {
		fibril_mutex_lock(lock);
		rc = fill(call, buf, size, &len, &result);
		fibril_mutex_unlock(lock);
	}
	if (rc == EOK)
		rc = async_data_read_finalize(&rcall, buf, len);
	else
		fsrv_answer(&rcall, rc, 0, 0, 0);
	free(buf);
	fsrv_answer(call, rc, result, 0, 0);
}

errno_t fsrv_write_receive(void **data, size_t *len)
{
	ipc_call_t call;
	size_t size;
	if (!async_data_write_receive(&call, &size)) {
		DISCARD(answer, async_answer_0(&call, EINVAL));
		return EINVAL;
	}
	*len = size;
	return fsrv_write_take(&call, size, data);
}

errno_t fsrv_write_take(ipc_call_t *wcall, size_t size, void **data)
{
	if (size > IPC_DATA_MAX) {
		DISCARD(answer, async_answer_0(wcall, ELIMIT));
		return ELIMIT;
	}
	void *buf = __atomic_exchange_n(&write_spare, NULL, __ATOMIC_ACQUIRE);
	if (buf == NULL)
		buf = malloc(IPC_DATA_MAX);
	if (buf == NULL) {
		DISCARD(answer, async_answer_0(wcall, ENOMEM));
		return ENOMEM;
	}
	errno_t rc = async_data_write_finalize(wcall, buf, size);
	if (rc != EOK) {
		fsrv_write_release(buf);
		return rc;
	}
	*data = buf;
	return EOK;
}

void fsrv_write_release(void *data)
{
	void *none = NULL;
	if (!__atomic_compare_exchange_n(
		&write_spare, &none, data, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		free(data);
}

/** Copies @a len bytes of @a src into the @a size byte @a buf, cut short. */
size_t fsrv_copy_out(void *buf, size_t size, const void *src, size_t len)
{
	size_t n = len < size ? len : size;
	memcpy(buf, src, n);
	return n;
}
