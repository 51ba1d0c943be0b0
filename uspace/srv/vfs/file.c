/*
 * Open files and the descriptor tables of client tasks, keyed by task id
 * (list `tables`, guarded by tables_lock, as are every table's slots and
 * every file's reference count).
 *
 * A table is made by the task's first connection or by a VFS_PASS to it
 * before it connected. A task's client data (vfs_client_t) counts as one
 * user of its table; when the async framework destroys it (the task's
 * last connection ended) the table goes with its last user, closing its
 * files, if the task has ended. A table without users whose task lives on
 * (made by VFS_PASS for a task that has not connected yet, or left by one
 * that closed its connections, like a loader that looked at the VFS before
 * its program starts) stays for the task; such tables are bounded
 * (PENDING_MAX) and dropped by the worker once their task has ended: a
 * fibril watches the task's end through the naming service (without
 * collecting it) and wakes the worker, which also checks every SWEEP_USEC
 * while a pending table has no watch, and before a new table is made.
 *
 * An open file keeps its path below its mount: when the mount's server
 * dies and a restarted one is mounted in its place, the file's next call
 * reopens it there by that path (vfs_file_follow), so a terminal or a
 * /loc node opened before a restart works after it.
 */
#include "vfs.h"
#include <fibril.h>
#include <spinlock.h>
#include <stdlib.h>
#include <string.h>

#define PENDING_MAX 64
#define SWEEP_USEC  2000000

struct vfs_table {
	link_t link;
	task_id_t task;
	unsigned clients; /* client data using it; 0: made by VFS_PASS only */
	bool watched;	  /* a fibril waits for the task's end */
	vfs_file_t *fds[VFS_FDS_MAX];
};

typedef struct {
	link_t link; /* in `ends` once destroyed */
	vfs_table_t *table;
} vfs_client_t;

static FIBRIL_MUTEX_INITIALIZE(tables_lock);
static list_t tables = LIST_INITIALIZER(tables);

static spinlock_t ends_lock = SPINLOCK_INITIALIZER;
static list_t ends = LIST_INITIALIZER(ends); /* vfs_client_t */
static fibril_event_t worker_event = FIBRIL_EVENT_INIT;

void *vfs_client_create(void)
{
	return calloc(1, sizeof(vfs_client_t));
}

/** Runs in the manager: must not block, so the worker does the rest. */
void vfs_client_destroy(void *data)
{
	vfs_client_t *client = data;
	spinlock_lock(&ends_lock);
	list_append(&client->link, &ends);
	spinlock_unlock(&ends_lock);
	fibril_notify(&worker_event);
}

static vfs_table_t *table_find_locked(task_id_t task)
{
	list_foreach (tables, link, vfs_table_t, t) {
		if (t->task == task)
			return t;
	}
	return NULL;
}

static vfs_table_t *table_get_locked(task_id_t task)
{
	vfs_table_t *t = table_find_locked(task);
	if (t != NULL)
		return t;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->task = task;
	list_append(&t->link, &tables);
	return t;
}

vfs_table_t *vfs_client_table(task_id_t task)
{
	vfs_client_t *client = async_get_client_data();
	if (client == NULL)
		return NULL;
	fibril_mutex_lock(&tables_lock);
	if (client->table == NULL) {
		client->table = table_get_locked(task);
		if (client->table != NULL)
			client->table->clients++;
	}
	vfs_table_t *t = client->table;
	fibril_mutex_unlock(&tables_lock);
	return t;
}

/** Drops a reference to @a file; tables_lock is held. The last one
 *  closes the node, outside the lock, so it is returned in *@a closed. */
static void file_put_locked(vfs_file_t *file, vfs_file_t **closed)
{
	*closed = --file->refs == 0 ? file : NULL;
}

/** Closes the node of a file nobody references any more. */
static void file_close(vfs_file_t *file)
{
	vfs_mount_t *m = file->mount;
	sysarg_t out[3];
	(void) vfs_fs_req(
	    m, FS_CLOSE_NODE, file->index, file->oflags & O_ACCMODE, 0, out);
	fibril_mutex_lock(&vfs_lock);
	m->open_files--;
	fibril_mutex_unlock(&vfs_lock);
	vfs_mount_put(m);
	free(file->rest);
	free(file);
}

void vfs_file_put(vfs_file_t *file)
{
	vfs_file_t *closed;
	fibril_mutex_lock(&tables_lock);
	file_put_locked(file, &closed);
	fibril_mutex_unlock(&tables_lock);
	if (closed != NULL)
		file_close(closed);
}

/** Opens node @a index of @a m for @a oflags and counts it there (the
 *  caller's file then holds a reference to @a m). */
static errno_t file_open_node(vfs_mount_t *m, uint64_t index, unsigned oflags)
{
	sysarg_t out[3];
	errno_t rc = vfs_fs_req(m, FS_OPEN_NODE, index, oflags & O_ACCMODE, 0, out);
	if (rc != EOK)
		return rc;
	vfs_mount_ref(m);
	fibril_mutex_lock(&vfs_lock);
	m->open_files++;
	fibril_mutex_unlock(&vfs_lock);
	return EOK;
}

errno_t vfs_file_open(
    vfs_mount_t *m, uint64_t index, const char *rest, unsigned oflags, vfs_file_t **filep)
{
	vfs_file_t *file = calloc(1, sizeof(*file));
	char *path = strdup(rest);
	errno_t rc = file != NULL && path != NULL ? file_open_node(m, index, oflags)
						  : ENOMEM;
	if (rc != EOK) {
		free(path);
		free(file);
		return rc;
	}
	fibril_mutex_initialize(&file->lock);
	file->mount = m;
	file->index = index;
	file->rest = path;
	file->oflags = oflags;
	file->refs = 1;
	*filep = file;
	return EOK;
}

/** The live mount now at @a m's mount point, if @a m was replaced there by
 *  a revival (referenced), else NULL. */
static vfs_mount_t *file_successor(vfs_mount_t *m)
{
	/* A live file system (every call but the first after a death) costs
	 *  one unlocked read; the flag, once set, stays. */
	if (!__atomic_load_n(&m->fs->dead, __ATOMIC_ACQUIRE))
		return NULL;
	fibril_mutex_lock(&vfs_lock);
	bool replaced = !m->mounted && m->fs->dead;
	fibril_mutex_unlock(&vfs_lock);
	if (!replaced)
		return NULL;
	vfs_mount_t *next;
	const char *rest;
	if (vfs_mount_resolve(m->point, &next, &rest) != EOK)
		return NULL;
	if (*rest != '\0' || next->fs->dead) {
		vfs_mount_put(next);
		return NULL;
	}
	return next;
}

void vfs_file_follow(vfs_file_t *file)
{
	vfs_mount_t *next = file_successor(file->mount);
	if (next == NULL)
		return;
	/* Only finds: a file created or truncated once is not made again. */
	unsigned lflags = (file->oflags & O_DIRECTORY) ? L_DIRECTORY : 0;
	sysarg_t out[3];
	errno_t rc = vfs_fs_req_path(next, FS_LOOKUP, lflags, file->rest, NULL, out);
	if (rc == EOK)
		rc = file_open_node(next, out[0], file->oflags);
	if (rc == EOK) {
		vfs_mount_t *old = file->mount;
		fibril_mutex_lock(&vfs_lock);
		old->open_files--;
		fibril_mutex_unlock(&vfs_lock);
		vfs_mount_put(old);
		file->mount = next;
		file->index = out[0];
	}
	vfs_mount_put(next);
}

/** Puts @a file into a free slot of @a t; tables_lock is held. */
static errno_t fd_alloc_locked(vfs_table_t *t, vfs_file_t *file, int *fd)
{
	for (int i = 0; i < VFS_FDS_MAX; i++) {
		if (t->fds[i] == NULL) {
			t->fds[i] = file;
			*fd = i;
			return EOK;
		}
	}
	return ELIMIT;
}

errno_t vfs_fd_alloc(vfs_table_t *t, vfs_file_t *file, int *fd)
{
	fibril_mutex_lock(&tables_lock);
	errno_t rc = fd_alloc_locked(t, file, fd);
	fibril_mutex_unlock(&tables_lock);
	return rc;
}

errno_t vfs_fd_get(vfs_table_t *t, sysarg_t fd, vfs_file_t **file)
{
	fibril_mutex_lock(&tables_lock);
	vfs_file_t *f = fd < VFS_FDS_MAX ? t->fds[fd] : NULL;
	if (f != NULL)
		f->refs++;
	fibril_mutex_unlock(&tables_lock);
	*file = f;
	return f != NULL ? EOK : EBADF;
}

bool vfs_file_alone(vfs_file_t *file)
{
	fibril_mutex_lock(&tables_lock);
	bool alone = file->refs == 2; /* its descriptor's and the caller's */
	fibril_mutex_unlock(&tables_lock);
	return alone;
}

errno_t vfs_fd_close(vfs_table_t *t, sysarg_t fd)
{
	vfs_file_t *closed = NULL;
	fibril_mutex_lock(&tables_lock);
	vfs_file_t *f = fd < VFS_FDS_MAX ? t->fds[fd] : NULL;
	if (f != NULL) {
		t->fds[fd] = NULL;
		file_put_locked(f, &closed);
	}
	fibril_mutex_unlock(&tables_lock);
	if (closed != NULL)
		file_close(closed);
	return f != NULL ? EOK : EBADF;
}

vfs_table_t *vfs_table_of_file(vfs_file_t *file)
{
	vfs_table_t *t = calloc(1, sizeof(*t));
	if (t != NULL)
		t->fds[0] = file;
	return t;
}

void vfs_table_of_file_free(vfs_table_t *t)
{
	for (sysarg_t fd = 0; fd < VFS_FDS_MAX; fd++)
		(void) vfs_fd_close(t, fd); /* EBADF for the empty ones */
	free(t);
}

/** How many tables no connected task uses; tables_lock is held. */
static unsigned pending_count_locked(void)
{
	unsigned n = 0;
	list_foreach (tables, link, vfs_table_t, t) {
		if (t->clients == 0)
			n++;
	}
	return n;
}

/** Whether @a task has ended (or never was). */
static bool task_gone(task_id_t task)
{
	task_info_t info;
	return task_get_info(task, &info) != EOK || info.zombie;
}

/** Takes @a t out of the list and closes its files (drops tables_lock
 *  for the closing and takes it again). */
static void table_drop_locked(vfs_table_t *t)
{
	list_remove(&t->link);
	for (int i = 0; i < VFS_FDS_MAX; i++) {
		vfs_file_t *closed = NULL;
		if (t->fds[i] != NULL)
			file_put_locked(t->fds[i], &closed);
		if (closed != NULL) {
			fibril_mutex_unlock(&tables_lock);
			file_close(closed);
			fibril_mutex_lock(&tables_lock);
		}
	}
	free(t);
}

/** Wakes the worker when task @a arg has ended. Whatever the wait's
 *  outcome, the task's table (if still there) is left unwatched: the
 *  naming service can report the end before the kernel shows the task as
 *  a zombie (on another CPU), and a table the worker then finds alive must
 *  stay in the periodic sweep, or its files stay open for good. */
static errno_t table_watch_fibril(void *arg)
{
	task_id_t task = (task_id_t) (uintptr_t) arg;
	task_exit_t texit;
	DISCARD(sweep_covers_it,
	    task_wait_task_id(task, TASK_WAIT_EXIT | TASK_WAIT_OBSERVE, &texit, NULL));
	fibril_mutex_lock(&tables_lock);
	vfs_table_t *t = table_find_locked(task);
	if (t != NULL)
		t->watched = false;
	fibril_mutex_unlock(&tables_lock);
	fibril_notify(&worker_event);
	return EOK;
}

/** Has the worker woken when @a t's task ends (tables_lock is held); the
 *  periodic sweep covers a watch that could not start (the worker is woken
 *  to start sweeping). */
static void table_watch_locked(vfs_table_t *t)
{
	if (t->watched)
		return;
	fid_t f = fibril_create(table_watch_fibril, (void *) (uintptr_t) t->task);
	if (f == 0) {
		fibril_notify(&worker_event);
		return;
	}
	t->watched = true;
	fibril_detach(f); /* nobody joins it: its record goes when it ends */
	fibril_add_ready(f);
}

/** Drops the tables made for tasks that never connected and have ended;
 *  tables_lock is held. */
static void tables_sweep_locked(void)
{
	bool again = true;
	while (again) {
		again = false;
		list_foreach (tables, link, vfs_table_t, t) {
			if (t->clients == 0 && task_gone(t->task)) {
				table_drop_locked(t);
				again = true; /* the list may have changed */
				break;
			}
		}
	}
}

/** The target's table for VFS_PASS; tables_lock is held. */
static errno_t pass_table_locked(task_id_t target, vfs_table_t **tp)
{
	vfs_table_t *t = table_find_locked(target);
	if (t == NULL) {
		tables_sweep_locked();
		if (pending_count_locked() >= PENDING_MAX)
			return ELIMIT;
		t = table_get_locked(target);
		if (t != NULL)
			table_watch_locked(t);
	}
	*tp = t;
	return t != NULL ? EOK : ENOMEM;
}

errno_t vfs_fd_pass(
    vfs_table_t *t, sysarg_t fd, task_id_t caller, task_id_t target, int *newfd)
{
	task_info_t info;
	if (task_get_info(target, &info) != EOK || info.zombie)
		return ENOENT;
	if (info.parent_id != caller)
		return EPERM;
	vfs_file_t *file;
	errno_t rc = vfs_fd_get(t, fd, &file);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&tables_lock);
	vfs_table_t *tt;
	rc = pass_table_locked(target, &tt);
	if (rc == EOK)
		rc = fd_alloc_locked(tt, file, newfd);
	vfs_file_t *closed = NULL;
	if (rc == EOK)
		file->refs++; /* the new descriptor's */
	file_put_locked(file, &closed);
	fibril_mutex_unlock(&tables_lock);
	if (closed != NULL)
		file_close(closed); /* closed meanwhile by its owner */
	return rc;
}

/** The next destroyed client data, or NULL. */
static vfs_client_t *end_take(void)
{
	spinlock_lock(&ends_lock);
	link_t *l = list_first(&ends);
	if (l != NULL)
		list_remove(l);
	spinlock_unlock(&ends_lock);
	return l != NULL ? list_get_instance(l, vfs_client_t, link) : NULL;
}

/** Whether a table without users has no watch of its task's end: only the
 *  periodic sweep can drop it. tables_lock is held. */
static bool unwatched_pending_locked(void)
{
	list_foreach (tables, link, vfs_table_t, t) {
		if (t->clients == 0 && !t->watched)
			return true;
	}
	return false;
}

/** Applies the ends of client tasks and sweeps the pending tables: when it
 *  is woken, and every SWEEP_USEC while a pending table is unwatched. With
 *  none it waits without a timeout: a pending deadline would make every
 *  wait of the VFS's runner a timed one (a kernel timeout armed and
 *  cancelled on each call and answer). */
errno_t vfs_client_worker(void *arg)
{
	for (;;) {
		vfs_client_t *client;
		fibril_mutex_lock(&tables_lock);
		while ((client = end_take()) != NULL) {
			vfs_table_t *t = client->table;
			if (t != NULL && --t->clients == 0) {
				if (task_gone(t->task))
					table_drop_locked(t);
				else
					table_watch_locked(t);
			}
			free(client);
		}
		tables_sweep_locked();
		bool sweep = unwatched_pending_locked();
		fibril_mutex_unlock(&tables_lock);
		if (sweep)
			DISCARD(woken, fibril_wait_timeout(&worker_event, SWEEP_USEC));
		else
			fibril_wait_for(&worker_event);
	}
	return EOK;
}
