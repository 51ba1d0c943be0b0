/*
 * volsrv: the volume server. Watches the block devices of category "disk",
 * reads each one's partition table (part.c: MBR or GPT) and serves every
 * partition as a block device of its own (abi/bd.h), service
 * "volumes/<disk's name>pN" (N its slot in the table) in category "volume",
 * forwarding block ranges to the disk with the partition's offset. A disk
 * without a table is one whole volume already and gets nothing more.
 *
 * `vol_lock` guards the volume and disk lists; a volume, once made, lives
 * as long as the server (its disk's driver going away makes its I/O EIO).
 * `scan_lock` makes scans one at a time (a category change's and a
 * VOL_SCAN's), so a VOL_SCAN answered means every disk seen is done.
 *
 * Started on demand (init.conf's demand=volsrv): a block driver asks for
 * VOL_SCAN (abi/bd.h) once it has exposed its disks; the server registers
 * that service only after its first scan, so the driver's request comes
 * once the disks it exposed have their partitions registered.
 */
#include "part.h"
#include <bd.h>
#include <bd_srv.h>
#include <fibril_synch.h>
#include <getopt.h>
#include <loc.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define NAME	     "volsrv"
#define VOL_CATEGORY "volume"
#define VOL_NS	     "volumes/"
#define DEV_NS	     "devices/"
#define DISKS_MAX    64
#define VOLUMES_MAX  256
#define USAGE	     "(a server; init starts it, as /cfg/init.conf says)"

typedef struct {
	bd_t *disk;
	part_t part;
	bd_srv_dev_t bd;
	loc_id_t id;
} volume_t;

static FIBRIL_MUTEX_INITIALIZE(vol_lock);
static FIBRIL_MUTEX_INITIALIZE(scan_lock); /* taken before vol_lock */
static volume_t *volumes[VOLUMES_MAX];
static size_t volume_count;
static loc_id_t disks[DISKS_MAX]; /* disks scanned already */
static size_t disk_count;

static errno_t vol_read(void *dev, uint64_t ba, size_t count, void *buf)
{
	volume_t *v = dev;
	return bd_read(v->disk, v->part.first + ba, count, buf);
}

static errno_t vol_write(void *dev, uint64_t ba, size_t count, const void *buf)
{
	volume_t *v = dev;
	return bd_write(v->disk, v->part.first + ba, count, buf);
}

static errno_t vol_sync(void *dev)
{
	volume_t *v = dev;
	return bd_sync(v->disk);
}

static const bd_ops_t vol_ops = {.read = vol_read, .write = vol_write, .sync = vol_sync};

static volume_t *volume_find(loc_id_t id)
{
	fibril_mutex_lock(&vol_lock);
	volume_t *found = NULL;
	for (size_t i = 0; i < volume_count && found == NULL; i++) {
		if (volumes[i]->id == id)
			found = volumes[i];
	}
	fibril_mutex_unlock(&vol_lock);
	return found;
}

static void vol_connection(ipc_call_t *icall, void *arg)
{
	volume_t *v = volume_find(icall->args[2]);
	if (v == NULL) {
		DISCARD(answer, async_answer_0(icall, ENOENT));
		return;
	}
	bd_srv_conn(icall, &v->bd);
}

static errno_t disk_read(void *dev, uint64_t ba, size_t count, void *buf)
{
	return bd_read(dev, ba, count, buf);
}

/** Registers partition @a p of @a disk (named @a name) as a volume. */
static errno_t volume_add(
    bd_t *disk, const char *name, const part_t *p, category_id_t cat)
{
	volume_t *v = calloc(1, sizeof(*v));
	if (v == NULL)
		return ENOMEM;
	*v = (volume_t){.disk = disk, .part = *p};
	v->bd = (bd_srv_dev_t){.ops = &vol_ops,
	    .dev = v,
	    .block_size = disk->block_size,
	    .block_count = p->count};
	char fqn[LOC_NAME_MAX + 1];
	snprintf(fqn, sizeof(fqn), VOL_NS "%sp%u", name, p->number);
	fibril_mutex_lock(&vol_lock);
	errno_t rc = volume_count < VOLUMES_MAX ? EOK : ELIMIT;
	if (rc == EOK)
		rc = loc_service_register(fqn, &v->id);
	if (rc == EOK) {
		volumes[volume_count++] = v;
		rc = loc_service_add_to_cat(v->id, cat);
	}
	fibril_mutex_unlock(&vol_lock);
	if (rc == EOK)
		printf("%s: %s: blocks %llu..%llu\n", NAME, fqn,
		    (unsigned long long) p->first,
		    (unsigned long long) (p->first + p->count - 1));
	else
		printf("%s: cannot register %s: %s\n", NAME, fqn, strerror(rc));
	return rc;
}

static const char *table_name(part_table_t t)
{
	return t == PART_TABLE_GPT ? "GPT" : t == PART_TABLE_MBR ? "MBR" : "no table";
}

/** Reads the table of disk @a id and serves its partitions. */
static void disk_scan(loc_id_t id, category_id_t cat)
{
	char name[LOC_NAME_MAX + 1];
	bd_t *disk;
	if (loc_service_get_name(id, name, sizeof(name)) != EOK ||
	    strncmp(name, DEV_NS, strlen(DEV_NS)) != 0 || bd_open(id, &disk) != EOK)
		return;
	part_table_t table;
	part_t parts[PART_MAX];
	size_t n;
	errno_t rc = part_scan(
	    disk_read, disk, disk->block_size, disk->block_count, &table, parts, &n);
	if (rc != EOK)
		printf("%s: %s: cannot read the partition table: %s\n", NAME, name,
		    strerror(rc));
	else
		printf("%s: %s: %s, %zu partitions\n", NAME, name, table_name(table), n);
	for (size_t i = 0; rc == EOK && i < n; i++)
		DISCARD(
		    best_effort, volume_add(disk, name + strlen(DEV_NS), &parts[i], cat));
	if (rc != EOK || n == 0)
		bd_close(disk);
}

/** Whether disk @a id is new (then it is remembered). */
static bool disk_is_new(loc_id_t id)
{
	fibril_mutex_lock(&vol_lock);
	bool found = false;
	for (size_t i = 0; i < disk_count && !found; i++)
		found = disks[i] == id;
	bool added = !found && disk_count < DISKS_MAX;
	if (added)
		disks[disk_count++] = id;
	fibril_mutex_unlock(&vol_lock);
	return added;
}

/** Scans every disk of category "disk" not seen yet; scan_lock held. */
static void disks_scan_locked(void)
{
	category_id_t disk_cat, vol_cat;
	if (loc_category_get_id(BD_CATEGORY, &disk_cat, LOC_FLAG_BLOCKING) != EOK ||
	    loc_category_get_id(VOL_CATEGORY, &vol_cat, LOC_FLAG_BLOCKING) != EOK)
		return;
	loc_id_t ids[DISKS_MAX];
	size_t count;
	if (loc_category_get_svcs(disk_cat, ids, DISKS_MAX, &count) != EOK)
		return;
	for (size_t i = 0; i < count && i < DISKS_MAX; i++) {
		if (disk_is_new(ids[i]))
			disk_scan(ids[i], vol_cat);
	}
}

/** Scans the disks not seen yet, after any scan under way. */
static void disks_scan(void *arg)
{
	fibril_mutex_lock(&scan_lock);
	disks_scan_locked();
	fibril_mutex_unlock(&scan_lock);
}

/** The naming-service connection (VOL_IFACE): VOL_SCAN, answered once the
 *  disks are scanned. */
static void scan_connection(ipc_call_t *icall, void *arg)
{
	if (async_accept_0(icall) != EOK)
		return;
	ipc_call_t call;
	while (async_get_call(&call) && call.imethod != 0) {
		errno_t rc = ENOTSUP;
		if (call.imethod == VOL_SCAN) {
			disks_scan(NULL);
			rc = EOK;
		}
		DISCARD(answer, async_answer_0(&call, rc));
	}
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	errno_t rc = loc_server_register(NAME, vol_connection, NULL);
	if (rc == EOK)
		rc = loc_register_cat_change_cb(disks_scan, NULL);
	if (rc != EOK) {
		printf("%s: cannot register: %s\n", NAME, strerror(rc));
		return 1;
	}
	disks_scan(NULL);
	/* Last: connects held for the service (a start on demand) are let
	 * through only now, after the first scan. */
	rc = service_register(
	    service_id_from_name(VOL_SERVICE_NAME), VOL_IFACE, scan_connection, NULL);
	if (rc != EOK) {
		printf(
		    "%s: cannot register %s: %s\n", NAME, VOL_SERVICE_NAME, strerror(rc));
		return 1;
	}
	printf("%s: started\n", NAME);
	DISCARD(best_effort, task_retval(0));
	async_manager();
}
