/*
 * The frame of a file-system server (fsrv.h).
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

errno_t fsrv_register(const char *name, fsrv_call_handler_t handle)
{
	errno_t rc;
	fs_name = name;
	/* The VFS's further connections come through the callback phone. */
	rc = async_create_port(VFS_IFACE_FS, fsrv_connection, (void *) handle, NULL);
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
	}
	return rc;
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
