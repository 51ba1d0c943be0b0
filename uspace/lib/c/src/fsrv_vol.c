/*
 * The mounted volumes of a disk file-system server (fsrv_vol.h). Owner
 * table: an fsrv_vol_t is made by FS_MOUNTED and lives in vols->list until
 * FS_UNMOUNTED, which closes its device and frees it; the server's volume
 * state (vol) is the server's, dropped through ops->unmount.
 */
#include <fibril.h>
#include <fsrv.h>
#include <fsrv_vol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOC_PREFIX "/loc/"

typedef struct {
	link_t link;
	sysarg_t id;
	bd_t *bd;
	void *vol;
	errno_t flush_rc; /* the flusher's last result */
} fsrv_vol_t;

void fsrv_vols_init(fsrv_vols_t *vols, const fsrv_vol_ops_t *ops)
{
	vols->ops = ops;
	fibril_mutex_initialize(&vols->lock);
	list_initialize(&vols->list);
}

static fsrv_vol_t *entry_find(fsrv_vols_t *vols, sysarg_t id)
{
	list_foreach (vols->list, link, fsrv_vol_t, v) {
		if (v->id == id)
			return v;
	}
	return NULL;
}

void *fsrv_vol_find(fsrv_vols_t *vols, sysarg_t id)
{
	fsrv_vol_t *v = entry_find(vols, id);
	return v != NULL ? v->vol : NULL;
}

/** Opens the device @a opts names and mounts its volume into @a v. */
static errno_t entry_open(fsrv_vols_t *vols, const char *opts, bool rdonly, fsrv_vol_t *v)
{
	const char *name = opts;
	if (strncmp(name, LOC_PREFIX, strlen(LOC_PREFIX)) == 0)
		name += strlen(LOC_PREFIX);
	if (name[0] == '\0')
		return EINVAL;
	errno_t rc = bd_open_name(name, &v->bd);
	if (rc == EOK)
		rc = vols->ops->mount(v->bd, rdonly, &v->vol);
	if (rc != EOK) {
		printf("%s: cannot mount %s: %s\n", vols->ops->name, name,
		    vols->ops->mount_error(rc));
		if (v->bd != NULL)
			bd_close(v->bd);
	}
	return rc;
}

void fsrv_vols_mounted(fsrv_vols_t *vols, ipc_call_t *call, sysarg_t root)
{
	char *opts;
	errno_t rc = async_data_write_accept(
	    (void **) &opts, true, 0, VFS_OPTS_MAX, 0, NULL);
	if (rc != EOK) {
		fsrv_answer(call, rc, 0, 0, 0);
		return;
	}
	fsrv_vol_t *v = calloc(1, sizeof(*v));
	rc = v != NULL ? EOK : ENOMEM;
	if (rc == EOK) {
		v->id = call->args[0];
		rc = entry_open(vols, opts, call->args[1] & VFS_MOUNT_RDONLY, v);
	}
	free(opts);
	if (rc == EOK) {
		fibril_mutex_lock(&vols->lock);
		if (entry_find(vols, v->id) != NULL)
			rc = EEXIST;
		else
			list_append(&v->link, &vols->list);
		fibril_mutex_unlock(&vols->lock);
		if (rc != EOK) {
			DISCARD(cleanup, vols->ops->unmount(v->vol));
			bd_close(v->bd);
		}
	}
	if (rc != EOK)
		free(v);
	fsrv_answer(call, rc, root, 0, 0);
}

void fsrv_vols_unmounted(fsrv_vols_t *vols, ipc_call_t *call)
{
	fibril_mutex_lock(&vols->lock);
	fsrv_vol_t *v = entry_find(vols, call->args[0]);
	errno_t rc = ENOENT;
	if (v != NULL) {
		list_remove(&v->link);
		rc = vols->ops->unmount(v->vol);
		bd_close(v->bd);
		free(v);
	}
	fibril_mutex_unlock(&vols->lock);
	fsrv_answer(call, rc, 0, 0, 0);
}

typedef struct {
	fsrv_vols_t *vols;
	uint64_t usec;
} flusher_arg_t;

static errno_t flusher(void *arg)
{
	flusher_arg_t *f = arg;
	fsrv_vols_t *vols = f->vols;
	for (;;) {
		fibril_usleep(f->usec);
		fibril_mutex_lock(&vols->lock);
		list_foreach (vols->list, link, fsrv_vol_t, v) {
			errno_t rc = vols->ops->sync(v->vol);
			if (rc != EOK && rc != v->flush_rc)
				printf("%s: writing back instance %lu: %s\n",
				    vols->ops->name, (unsigned long) v->id, strerror(rc));
			v->flush_rc = rc;
		}
		fibril_mutex_unlock(&vols->lock);
	}
	return EOK;
}

void fsrv_vols_flusher_start(fsrv_vols_t *vols, uint64_t usec)
{
	flusher_arg_t *f = malloc(sizeof(*f)); /* the flusher's for good */
	if (f == NULL)
		return;
	*f = (flusher_arg_t){.vols = vols, .usec = usec};
	fid_t fid = fibril_create(flusher, f);
	if (fid != 0)
		fibril_add_ready(fid);
	else
		free(f);
}
