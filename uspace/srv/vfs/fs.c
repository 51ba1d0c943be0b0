/*
 * File-system servers: their registration (VFS_IFACE_FS), the registry by
 * type name, the calls the VFS makes to them, and their death.
 *
 * The registry (list `registry`, guarded by vfs_lock) holds the live
 * servers; several may register one type name, and mounts take the newest.
 * A server is dead once its registration connection hangs up (the kernel
 * hangs it up when the task ends): it leaves the registry and every later
 * call on its mounts fails with EIO without being sent. An EHANGUP answer
 * alone proves nothing: a live server passes on its own peer's hang-up
 * (locfs when locsrv restarts). The record itself lives while mounts
 * reference it. A server that registers a type whose server died takes
 * over its mounts (vfs_mount_revive), if it registered after the dead one:
 * a second tmpfs is a restart of the first only if it came later.
 *
 * The session to a server is EXCHANGE_PARALLEL: every concurrent exchange
 * (a call with its data transfers) has a connection of its own, so a call
 * that blocks in the server (a pipe read waiting for data) holds up no
 * call on another file of the same mount.
 *
 * Shared reads: on the first small read of a server the VFS shares a pool
 * of VFS_POOL_SLOTS buffers with it (IPC_M_SHARE_OUT); each small read then
 * takes a slot, asks FS_READ_SHARED to fill it and copies the bytes out:
 * one call, no data transfer. A server without shared reads refuses the
 * pool, and its reads (and any read while every slot is taken) go by
 * FS_READ with a data transfer. The pool lives as long as the record.
 */
#include "vfs.h"
#include <as.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static list_t registry = LIST_INITIALIZER(registry);
static uint64_t registrations; /* vfs_fs_t.seq of the last; vfs_lock */
/** Signalled when a server registers (VFS_MOUNT_WAIT); with vfs_lock. */
static FIBRIL_CONDVAR_INITIALIZE(registered_cv);

/** The newest live server of type @a name; vfs_lock is held. */
static vfs_fs_t *fs_find_locked(const char *name)
{
	vfs_fs_t *found = NULL;
	list_foreach (registry, link, vfs_fs_t, fs) {
		if (strcmp(fs->name, name) == 0)
			found = fs;
	}
	return found;
}

/** Has a server of type @a name started if it is started on demand: its
 *  "fs/NAME" connect is held by the naming service until the server has
 *  registered here, or fails at once (no such service, or the start's
 *  error; the caller then finds no server). vfs_lock is not held (the
 *  server's registration takes it). */
static void fs_start_on_demand(const char *name)
{
	errno_t rc;
	async_sess_t *sess = service_connect(
	    vfs_fs_service_id(name), VFS_IFACE_FS, 0, &rc);
	if (sess != NULL)
		DISCARD(cleanup, async_hangup(sess));
}

errno_t vfs_fs_get(const char *name, bool wait, vfs_fs_t **fs)
{
	fibril_mutex_lock(&vfs_lock);
	bool known = fs_find_locked(name) != NULL;
	fibril_mutex_unlock(&vfs_lock);
	if (!known && vfs_fs_service_id(name) != 0)
		fs_start_on_demand(name);
	fibril_mutex_lock(&vfs_lock);
	vfs_fs_t *found;
	while ((found = fs_find_locked(name)) == NULL && wait)
		fibril_condvar_wait(&registered_cv, &vfs_lock);
	if (found != NULL)
		found->refs++;
	fibril_mutex_unlock(&vfs_lock);
	*fs = found;
	return found != NULL ? EOK : ENOENT;
}

bool vfs_fs_startable(const char *name)
{
	fibril_mutex_lock(&vfs_lock);
	bool known = fs_find_locked(name) != NULL;
	fibril_mutex_unlock(&vfs_lock);
	return known || vfs_fs_service_id(name) != 0;
}

/** Drops a reference; vfs_lock is held. The session goes with the last. */
static void fs_put_locked(vfs_fs_t *fs)
{
	if (--fs->refs > 0)
		return;
	DISCARD(cleanup, async_hangup(fs->sess));
	if (fs->pool != NULL)
		DISCARD(cleanup, as_area_destroy((uintptr_t) fs->pool));
	free(fs);
}

void vfs_fs_put(vfs_fs_t *fs)
{
	fibril_mutex_lock(&vfs_lock);
	fs_put_locked(fs);
	fibril_mutex_unlock(&vfs_lock);
}

/** Marks @a fs dead and takes it out of the registry (once). */
static void fs_mark_dead(vfs_fs_t *fs)
{
	fibril_mutex_lock(&vfs_lock);
	if (!fs->dead) {
		fs->dead = true;
		list_remove(&fs->link);
		printf("vfs: file system %s (task %llu) is gone\n", fs->name,
		    (unsigned long long) fs->task);
	}
	fibril_mutex_unlock(&vfs_lock);
}

errno_t vfs_fs_begin(vfs_fs_t *fs, async_exch_t **exch)
{
	if (fs->dead)
		return EIO;
	*exch = async_exchange_begin(fs->sess);
	return *exch != NULL ? EOK : EIO;
}

errno_t vfs_fs_end(vfs_fs_t *fs, async_exch_t *exch, errno_t rc)
{
	async_exchange_end(exch);
	return rc == EHANGUP ? EIO : rc;
}

errno_t vfs_fs_req(vfs_mount_t *m, sysarg_t method, sysarg_t a2, sysarg_t a3, sysarg_t a4,
    sysarg_t out[3])
{
	return vfs_fs_req5(m, method, a2, a3, a4, 0, out);
}

errno_t vfs_fs_req5(vfs_mount_t *m, sysarg_t method, sysarg_t a2, sysarg_t a3,
    sysarg_t a4, sysarg_t a5, sysarg_t out[3])
{
	async_exch_t *exch;
	errno_t rc = vfs_fs_begin(m->fs, &exch);
	if (rc != EOK)
		return rc;
	rc = async_req_5_3(
	    exch, method, m->inst, a2, a3, a4, a5, &out[0], &out[1], &out[2]);
	return vfs_fs_end(m->fs, exch, rc);
}

/** Sends the bytes of @a s (unless NULL) as a data write. */
static errno_t fs_write_str(async_exch_t *exch, const char *s)
{
	return s != NULL ? async_data_write_start(exch, s, strlen(s)) : EOK;
}

errno_t vfs_fs_req_path(vfs_mount_t *m, sysarg_t method, sysarg_t a2, const char *path,
    const char *path2, sysarg_t out[3])
{
	async_exch_t *exch;
	errno_t rc = vfs_fs_begin(m->fs, &exch);
	if (rc != EOK)
		return rc;
	ipc_call_t answer;
	aid_t req = async_send_2(exch, method, m->inst, a2, &answer);
	errno_t wrc = fs_write_str(exch, path);
	if (wrc == EOK)
		wrc = fs_write_str(exch, path2);
	async_wait_for(req, &rc);
	if (rc == EOK && wrc != EOK)
		rc = wrc;
	for (int i = 0; i < 3 && out != NULL; i++)
		out[i] = answer.args[i];
	return vfs_fs_end(m->fs, exch, rc);
}

errno_t vfs_fs_req_read(
    vfs_mount_t *m, sysarg_t method, sysarg_t a2, void *buf, size_t size)
{
	async_exch_t *exch;
	errno_t rc = vfs_fs_begin(m->fs, &exch);
	if (rc != EOK)
		return rc;
	rc = async_req_read(exch, method, m->inst, a2, buf, size, NULL, NULL);
	return vfs_fs_end(m->fs, exch, rc);
}

/** FS_READ of @a size bytes by a data transfer into @a buf. */
static errno_t fs_read_transfer(
    vfs_mount_t *m, uint64_t index, uint64_t pos, void *buf, size_t size, size_t *got)
{
	async_exch_t *exch;
	errno_t rc = vfs_fs_begin(m->fs, &exch);
	if (rc != EOK)
		return rc;
	const sysarg_t args[IPC_CALL_ARGS] = {m->inst, index, pos};
	async_step_data_t data = {.buf = buf, .size = size};
	const async_step_t step = {async_step_read, &data};
	rc = async_req_steps(exch, FS_READ, args, &step, 1, NULL);
	*got = data.done;
	return vfs_fs_end(m->fs, exch, rc);
}

/** Makes @a fs's pool and shares it with the server; pool_lock held. */
static void fs_pool_setup_locked(vfs_fs_t *fs)
{
	size_t size = VFS_POOL_SLOTS * VFS_READ_SHARED_MAX;
	uintptr_t base = AS_AREA_ANY;
	if (as_area_create(
		&base, size, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE) != EOK) {
		__atomic_store_n(&fs->pool_state, VFS_POOL_NONE, __ATOMIC_RELEASE);
		return;
	}
	async_exch_t *exch;
	errno_t rc = vfs_fs_begin(fs, &exch);
	if (rc == EOK) {
		rc = async_share_out_start(
		    exch, (void *) base, AS_AREA_READ | AS_AREA_WRITE);
		rc = vfs_fs_end(fs, exch, rc);
	}
	if (rc != EOK) {
		DISCARD(cleanup, as_area_destroy(base));
		__atomic_store_n(&fs->pool_state, VFS_POOL_NONE, __ATOMIC_RELEASE);
		return;
	}
	fs->pool = (uint8_t *) base;
	fs->pool_free = (1u << VFS_POOL_SLOTS) - 1;
	__atomic_store_n(&fs->pool_state, VFS_POOL_READY, __ATOMIC_RELEASE);
}

/** Whether @a fs has a pool, made (or found refused) on first use. */
static bool fs_pool_ready(vfs_fs_t *fs)
{
	int state = __atomic_load_n(&fs->pool_state, __ATOMIC_ACQUIRE);
	if (state == VFS_POOL_UNTRIED) {
		fibril_mutex_lock(&fs->pool_lock);
		if (fs->pool_state == VFS_POOL_UNTRIED)
			fs_pool_setup_locked(fs);
		state = fs->pool_state;
		fibril_mutex_unlock(&fs->pool_lock);
	}
	return state == VFS_POOL_READY;
}

/** A free slot of @a fs's pool into *@a slot; false if there is none. The
 *  free bits change by atomic operations alone once the pool is ready. */
static bool fs_pool_take(vfs_fs_t *fs, unsigned *slot)
{
	if (!fs_pool_ready(fs))
		return false;
	uint32_t free = __atomic_load_n(&fs->pool_free, __ATOMIC_RELAXED);
	while (free != 0) {
		unsigned i = (unsigned) __builtin_ctz(free);
		if (__atomic_compare_exchange_n(&fs->pool_free, &free, free & ~(1u << i),
			false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			*slot = i;
			return true;
		}
	}
	return false;
}

static void fs_pool_give(vfs_fs_t *fs, unsigned slot)
{
	__atomic_fetch_or(&fs->pool_free, 1u << slot, __ATOMIC_RELEASE);
}

errno_t vfs_fs_read(
    vfs_mount_t *m, uint64_t index, uint64_t pos, void *buf, size_t size, size_t *got)
{
	unsigned slot;
	*got = 0;
	if (size > VFS_READ_SHARED_MAX || !fs_pool_take(m->fs, &slot))
		return fs_read_transfer(m, index, pos, buf, size, got);
	size_t offset = (size_t) slot * VFS_READ_SHARED_MAX;
	sysarg_t out[3];
	errno_t rc = vfs_fs_req5(m, FS_READ_SHARED, index, pos, offset, size, out);
	if (rc == EOK && out[0] > size)
		rc = EIO; /* the server claims more than it was asked for */
	if (rc == EOK) {
		memcpy(buf, m->fs->pool + offset, out[0]);
		*got = out[0];
	}
	fs_pool_give(m->fs, slot);
	return rc;
}

/** Takes VFS_FS_REGISTER with its name and the callback connection: a new
 *  server record, or NULL (the calls are answered). */
static vfs_fs_t *fs_receive_registration(void)
{
	ipc_call_t call, cb;
	async_get_call(&call);
	if (call.imethod != VFS_FS_REGISTER) {
		DISCARD(answer, async_answer_0(&call, EINVAL));
		return NULL;
	}
	vfs_fs_t *fs = calloc(1, sizeof(*fs));
	size_t len = 0;
	char *name = NULL;
	errno_t rc = async_data_write_accept(
	    (void **) &name, true, 1, VFS_FSNAME_MAX - 1, 0, &len);
	async_get_call(&cb);
	async_sess_t *sess = rc == EOK
	    ? async_callback_receive_start(EXCHANGE_PARALLEL, &cb)
	    : NULL;
	if (rc == EOK && (sess == NULL || fs == NULL))
		rc = sess == NULL ? EINVAL : ENOMEM;
	DISCARD(answer, async_answer_0(&cb, rc));
	DISCARD(answer, async_answer_0(&call, rc));
	if (rc != EOK) {
		if (sess != NULL)
			DISCARD(cleanup, async_hangup(sess));
		free(fs);
		free(name);
		return NULL;
	}
	str_lcpy(fs->name, name, sizeof(fs->name));
	free(name);
	fs->task = call.task_id;
	fs->sess = sess;
	fs->refs = 1;
	fibril_mutex_initialize(&fs->pool_lock);
	return fs;
}

/** Gives the mounts of a server of type @a name that just died to the
 *  newest live server of that type, if it registered after the dead one
 *  (a restart whose registration came before the death was seen). */
static void fs_hand_on_mounts(const char *name)
{
	vfs_fs_t *heir;
	if (vfs_fs_get(name, false, &heir) != EOK)
		return;
	vfs_mount_revive(heir);
	vfs_fs_put(heir);
}

/** A file-system server's registration connection: it stays open as long
 *  as the server lives; its hang-up is the server's death. */
void vfs_fs_connection(ipc_call_t *icall, void *arg)
{
	DISCARD(answer, async_accept_0(icall));
	vfs_fs_t *fs = fs_receive_registration();
	if (fs == NULL)
		return;
	fibril_mutex_lock(&vfs_lock);
	fs->seq = ++registrations;
	list_append(&fs->link, &registry);
	fibril_condvar_broadcast(&registered_cv);
	fibril_mutex_unlock(&vfs_lock);
	vfs_mount_revive(fs);
	async_serve_more(async_refuse_call, NULL);
	fs_mark_dead(fs);
	fs_hand_on_mounts(fs->name);
	vfs_fs_put(fs);
}
