/*
 * The mount table (list `mounts`, guarded by vfs_lock) and path
 * resolution. Mount and unmount are serialised by mount_op_lock, held
 * across their calls to the file system, so the table cannot change under
 * their checks; other operations only take references (vfs_lock briefly).
 * A mount whose server died stays in the table (its calls fail with EIO)
 * until unmounted or until a server of its type registers: that one gets
 * it mounted afresh with the same options (vfs_mount_revive), so a
 * restarted pipefs or locfs is found where it was.
 *
 * A mount made with VFS_MOUNT_DEMAND is first a placeholder in the table
 * (a record without a server, fs NULL: a record's fs never changes): the
 * first resolution reaching it has the type's server started on demand
 * and mounted, under mount_op_lock, and the live mount takes the
 * placeholder's place (mount_demand_start_locked). Only resolution starts
 * it; the table's listing and unmount take it as it is. The start holds
 * mount_op_lock until the server is ready, so mounts and other first uses
 * wait for it; a server started so (and its program's path) must not need
 * a path below another placeholder before it is ready.
 */
#include "vfs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vfs_path.h>

static FIBRIL_MUTEX_INITIALIZE(mount_op_lock);
static list_t mounts = LIST_INITIALIZER(mounts); /* vfs_mount_t, mounted */
static sysarg_t next_inst = 1;

/** The mount with the longest mount point holding @a path; vfs_lock is
 *  held. */
static vfs_mount_t *mount_find_locked(const char *path)
{
	vfs_mount_t *best = NULL;
	list_foreach (mounts, link, vfs_mount_t, m) {
		if (vfs_path_is_below(path, m->point) &&
		    (best == NULL || strlen(m->point) > strlen(best->point)))
			best = m;
	}
	return best;
}

/** The mount holding @a path, referenced, placeholder or not; NULL if
 *  none. */
static vfs_mount_t *mount_find_ref(const char *path)
{
	fibril_mutex_lock(&vfs_lock);
	vfs_mount_t *m = mount_find_locked(path);
	if (m != NULL)
		m->refs++;
	fibril_mutex_unlock(&vfs_lock);
	return m;
}

/** Whether a mount (placeholder or not) is at exactly @a point. */
static bool mount_point_taken(const char *point)
{
	fibril_mutex_lock(&vfs_lock);
	vfs_mount_t *m = mount_find_locked(point);
	bool taken = m != NULL && strcmp(m->point, point) == 0;
	fibril_mutex_unlock(&vfs_lock);
	return taken;
}

static errno_t mount_demand_start(vfs_mount_t *m, bool op_held);

/** vfs_mount_resolve; @a op_held: the caller holds mount_op_lock. A
 *  placeholder on the way has its server started and mounted first. */
static errno_t mount_resolve(
    const char *path, bool op_held, vfs_mount_t **mp, const char **rest)
{
	for (;;) {
		vfs_mount_t *m = mount_find_ref(path);
		*mp = NULL;
		if (m == NULL)
			return ENOENT;
		if (m->fs != NULL) {
			*mp = m;
			*rest = vfs_path_rest(path, m->point);
			return EOK;
		}
		errno_t rc = mount_demand_start(m, op_held);
		vfs_mount_put(m);
		if (rc != EOK)
			return rc;
		/* The live mount is in the table now (or the placeholder went):
		 * look again. */
	}
}

errno_t vfs_mount_resolve(const char *path, vfs_mount_t **mp, const char **rest)
{
	return mount_resolve(path, false, mp, rest);
}

void vfs_mount_ref(vfs_mount_t *m)
{
	fibril_mutex_lock(&vfs_lock);
	m->refs++;
	fibril_mutex_unlock(&vfs_lock);
}

void vfs_mount_put(vfs_mount_t *m)
{
	fibril_mutex_lock(&vfs_lock);
	bool last = --m->refs == 0;
	fibril_mutex_unlock(&vfs_lock);
	if (!last)
		return;
	if (m->fs != NULL)
		vfs_fs_put(m->fs);
	free(m);
}

/** Whether @a point may take a new mount: "/" first, then only existing
 *  directories that are no mount point yet. mount_op_lock is held. */
static errno_t mount_check_point(const char *point)
{
	if (mount_point_taken(point))
		return EBUSY; /* a placeholder there stays unstarted */
	vfs_mount_t *parent;
	const char *rest;
	errno_t rc = mount_resolve(point, true, &parent, &rest);
	if (rc == ENOENT)
		return strcmp(point, "/") == 0 ? EOK : ENOENT;
	if (rc != EOK)
		return rc;
	if (*rest == '\0') {
		vfs_mount_put(parent);
		return EBUSY;
	}
	sysarg_t out[3];
	rc = vfs_fs_req_path(parent, FS_LOOKUP, L_DIRECTORY, rest, NULL, out);
	vfs_mount_put(parent);
	return rc;
}

/** A new mount record, in no table, without a server. */
static vfs_mount_t *mount_record_new(
    const char *point, const char *type, const char *opts, unsigned flags)
{
	vfs_mount_t *m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	str_lcpy(m->point, point, sizeof(m->point));
	str_lcpy(m->type, type, sizeof(m->type));
	str_lcpy(m->opts, opts, sizeof(m->opts));
	m->flags = flags & VFS_MOUNT_RDONLY;
	return m;
}

/** Asks @a fs for a new instance with @a opts; a new mount record. */
static errno_t mount_instance(
    vfs_fs_t *fs, const char *point, const char *opts, unsigned flags, vfs_mount_t **mp)
{
	vfs_mount_t *m = mount_record_new(point, fs->name, opts, flags);
	if (m == NULL)
		return ENOMEM;
	m->fs = fs;
	m->inst = next_inst++;
	sysarg_t out[3];
	errno_t rc = vfs_fs_req_path(m, FS_MOUNTED, m->flags, opts, NULL, out);
	if (rc != EOK) {
		free(m);
		return rc;
	}
	m->root = out[0];
	*mp = m;
	return EOK;
}

/** Puts @a m into the table, which holds its first reference;
 *  mount_op_lock is held. */
static void mount_insert(vfs_mount_t *m)
{
	fibril_mutex_lock(&vfs_lock);
	m->mounted = true;
	m->refs = 1;
	list_append(&m->link, &mounts);
	fibril_mutex_unlock(&vfs_lock);
}

/** Checks @a point and puts a new mount there: an instance of @a fs, or
 *  for a NULL @a fs a placeholder of @a type (VFS_MOUNT_DEMAND). */
static errno_t mount_add(
    const char *point, vfs_fs_t *fs, const char *type, const char *opts, unsigned flags)
{
	fibril_mutex_lock(&mount_op_lock);
	vfs_mount_t *m = NULL;
	errno_t rc = mount_check_point(point);
	if (rc == EOK && fs != NULL) {
		rc = mount_instance(fs, point, opts, flags, &m);
	} else if (rc == EOK) {
		m = mount_record_new(point, type, opts, flags);
		rc = m != NULL ? EOK : ENOMEM;
	}
	if (rc == EOK)
		mount_insert(m);
	fibril_mutex_unlock(&mount_op_lock);
	return rc;
}

errno_t mount_request(
    const char *point, const char *type, const char *opts, unsigned flags)
{
	if ((flags & VFS_MOUNT_DEMAND) != 0) {
		if ((flags & VFS_MOUNT_WAIT) != 0)
			return EINVAL; /* nothing is waited for now */
		return vfs_fs_startable(type) ? mount_add(point, NULL, type, opts, flags)
					      : ENOENT;
	}
	vfs_fs_t *fs;
	/* Waiting for the type holds no lock. */
	errno_t rc = vfs_fs_get(type, (flags & VFS_MOUNT_WAIT) != 0, &fs);
	if (rc != EOK)
		return rc;
	rc = mount_add(point, fs, type, opts, flags);
	if (rc != EOK)
		vfs_fs_put(fs);
	return rc;
}

/** Whether a mount lies below @a m; vfs_lock is held. */
static bool mount_has_children_locked(vfs_mount_t *m)
{
	list_foreach (mounts, link, vfs_mount_t, other) {
		if (other != m && vfs_path_is_below(other->point, m->point))
			return true;
	}
	return false;
}

/** Takes the mount at exactly @a point out of the table unless it is busy
 *  (a dead file system's mount never is); vfs_lock is held. */
static errno_t mount_detach_locked(const char *point, vfs_mount_t **mp)
{
	vfs_mount_t *m = mount_find_locked(point);
	if (m == NULL || strcmp(m->point, point) != 0)
		return ENOENT;
	bool live = m->fs != NULL && !m->fs->dead; /* not dead, no placeholder */
	if (live && (m->open_files > 0 || mount_has_children_locked(m)))
		return EBUSY;
	list_remove(&m->link);
	m->mounted = false;
	*mp = m;
	return EOK;
}

errno_t unmount_request(const char *point)
{
	fibril_mutex_lock(&mount_op_lock);
	fibril_mutex_lock(&vfs_lock);
	vfs_mount_t *m = NULL;
	errno_t rc = mount_detach_locked(point, &m);
	fibril_mutex_unlock(&vfs_lock);
	if (rc == EOK) {
		sysarg_t out[3];
		/* A dead or failing file system is let go all the same. */
		if (m->fs != NULL)
			(void) vfs_fs_req(m, FS_UNMOUNTED, 0, 0, 0, out);
		vfs_mount_put(m); /* the table's reference */
	}
	fibril_mutex_unlock(&mount_op_lock);
	return rc;
}

errno_t mount_info(size_t index, vfs_mount_info_t *info)
{
	errno_t rc = ENOENT;
	size_t i = 0;
	fibril_mutex_lock(&vfs_lock);
	list_foreach (mounts, link, vfs_mount_t, m) {
		if (i++ != index)
			continue;
		memset(info, 0, sizeof(*info));
		str_lcpy(info->point, m->point, sizeof(info->point));
		str_lcpy(info->fs_type, m->type, sizeof(info->fs_type));
		info->flags = m->flags | (m->fs == NULL ? VFS_MOUNT_DEMAND : 0);
		info->server_task = m->fs != NULL ? m->fs->task : 0;
		rc = EOK;
		break;
	}
	fibril_mutex_unlock(&vfs_lock);
	return rc;
}

/** A mount in the table whose server died, was of @a heir's type and
 *  registered before it; vfs_lock is held. */
static vfs_mount_t *mount_find_orphan_locked(const vfs_fs_t *heir)
{
	list_foreach (mounts, link, vfs_mount_t, m) {
		if (m->fs != NULL && m->fs->dead && m->fs->seq < heir->seq &&
		    strcmp(m->fs->name, heir->name) == 0)
			return m;
	}
	return NULL;
}

/** Puts @a fresh in @a old's place in the table; vfs_lock is held. */
static void mount_replace_locked(vfs_mount_t *old, vfs_mount_t *fresh)
{
	fresh->mounted = true;
	fresh->refs = 1;
	list_insert_before(&fresh->link, &old->link);
	list_remove(&old->link);
	old->mounted = false;
}

/** Puts @a fresh in @a old's place, logs it (@a how: "again", ...) and
 *  drops the table's reference to @a old; mount_op_lock is held. */
static void mount_swap(vfs_mount_t *old, vfs_mount_t *fresh, const char *how)
{
	fibril_mutex_lock(&vfs_lock);
	mount_replace_locked(old, fresh);
	fibril_mutex_unlock(&vfs_lock);
	printf("vfs: mounted %s on %s %s (task %llu)\n", fresh->fs->name, fresh->point,
	    how, (unsigned long long) fresh->fs->task);
	vfs_mount_put(old); /* the table's reference */
}

/** Revives one orphaned mount of @a fs's type; false when none is left or
 *  the new server refused (it then keeps its dead mount). mount_op_lock is
 *  held. */
static bool mount_revive_one(vfs_fs_t *fs)
{
	fibril_mutex_lock(&vfs_lock);
	vfs_mount_t *old = mount_find_orphan_locked(fs);
	if (old != NULL) {
		old->refs++;
		fs->refs++; /* the new mount's */
	}
	fibril_mutex_unlock(&vfs_lock);
	if (old == NULL)
		return false;
	vfs_mount_t *fresh = NULL;
	errno_t rc = mount_instance(fs, old->point, old->opts, old->flags, &fresh);
	if (rc == EOK) {
		mount_swap(old, fresh, "again");
	} else {
		printf("vfs: cannot mount %s on %s again: %s\n", fs->name, old->point,
		    strerror(rc));
		vfs_fs_put(fs);
	}
	vfs_mount_put(old);
	return rc == EOK;
}

void vfs_mount_revive(vfs_fs_t *fs)
{
	fibril_mutex_lock(&mount_op_lock);
	while (mount_revive_one(fs))
		;
	fibril_mutex_unlock(&mount_op_lock);
}

/** Starts the server of placeholder @a m, which is in the table, and puts
 *  its live mount in @a m's place; EIO (logged) if no server comes or it
 *  refuses the mount. mount_op_lock is held: the server's registration
 *  waits for it (vfs_mount_revive) only after it has been answered, so the
 *  start is not held up by it. */
static errno_t mount_demand_start_locked(vfs_mount_t *m)
{
	vfs_fs_t *fs;
	vfs_mount_t *fresh = NULL;
	errno_t rc = vfs_fs_get(m->type, false, &fs);
	if (rc == EOK) {
		rc = mount_instance(fs, m->point, m->opts, m->flags, &fresh);
		if (rc != EOK)
			vfs_fs_put(fs);
	}
	if (rc != EOK) {
		printf("vfs: cannot mount %s on %s at its first use: %s\n", m->type,
		    m->point, strerror(rc));
		return EIO;
	}
	mount_swap(m, fresh, "at its first use");
	return EOK;
}

/** Has placeholder @a m started (mount_demand_start_locked) unless it left
 *  the table meanwhile (started by another call, or unmounted); @a op_held:
 *  the caller holds mount_op_lock. */
static errno_t mount_demand_start(vfs_mount_t *m, bool op_held)
{
	if (!op_held)
		fibril_mutex_lock(&mount_op_lock);
	/* `mounted` changes only under mount_op_lock. */
	errno_t rc = m->mounted ? mount_demand_start_locked(m) : EOK;
	if (!op_held)
		fibril_mutex_unlock(&mount_op_lock);
	return rc;
}
