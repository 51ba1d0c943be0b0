/*
 * The driver database and driver tasks.
 *
 * Drivers are /drv/NAME, their match ids (each driver's NAME.ma under a
 * header "[NAME]") in one index, /drv/match-ids, that the build makes
 * (boot/rootfs.mk) and devman reads once at start: one file read, not a
 * directory listing and a read per driver. A device's driver runs as a task of its own, devman's child,
 * started by a fibril (spawning waits for the loader) that then waits for
 * the task's end: so a driver that dies before it attaches is noticed as
 * well as one that dies later (whose connection also ends: driver_gone()
 * runs for whichever comes first and finds nothing to do the second time).
 * A wait that fails (not an end) is not taken for the driver's death.
 *
 * A driver that dies is started again for the same device (its functions,
 * and the devices below them, are dropped first: the new task makes them
 * anew), after DRIVER_RESTART_DELAY_USEC doubled at each death; the
 * DRIVER_RESTARTS_MAX + 1st death within the restart window marks the
 * device failed, as does a spawn that fails.
 *
 * A dead driver's device may still be set up to DMA into memory the dead
 * task owned (the rings of a NIC). So its bus is told first
 * (DEVMAN_BUS_CHILD_STOP: bus mastering off), before any restart; the bus
 * lets it DMA again (DEVMAN_BUS_CHILD_START) when the restarted driver asks
 * (DEVMAN_DEV_DMA_ENABLE), which it does once it has reset the device.
 */
#include "devman.h"
#include <async.h>
#include <fibril.h>
#include <fileload.h>
#include <loc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DRIVERS_MAX 64
#define INDEX_NAME  "match-ids"

static driver_desc_t drivers[DRIVERS_MAX];
static size_t driver_count;
static char driver_dir[64];
static uint64_t restart_window_ns = DRIVER_RESTART_WINDOW_SEC * 1000000000ull;

/** What a starting fibril needs, copied under tree_lock. */
typedef struct {
	uint64_t handle;
	char path[DEVMAN_PATH_MAX + 1]; /* the device's, for messages */
	char program[128];
	hw_resource_t res[DEVMAN_RESOURCES];
	size_t res_count;
	uint64_t delay_usec;	   /* waited before the spawn (a restart's back-off) */
	uint64_t bus_loc, bus_fun; /* DEVMAN_BUS_CHILD_STOP first, unless 0 */
} start_req_t;

/** A bus-control call: @a method for inner function @a fun of the bus whose
 *  function is locsrv service @a loc. */
typedef struct {
	uint64_t loc, fun;
	sysarg_t method;
} bus_req_t;

static void driver_start(dev_node_t *dev, uint64_t delay_usec);

/** The locsrv id of the bus control of @a dev's parent device (its function
 *  in DEVMAN_BUS_CATEGORY), 0 for none; under tree_lock. */
static uint64_t bus_loc_of(const dev_node_t *dev)
{
	const dev_node_t *parent = dev->pfun != NULL ? dev->pfun->dev : NULL;
	if (parent == NULL)
		return 0;
	list_foreach (parent->funs, link, fun_node_t, f) {
		if (f->type == FUN_EXPOSED && f->online && f->loc_id != 0 &&
		    strcmp(f->category, DEVMAN_BUS_CATEGORY) == 0)
			return f->loc_id;
	}
	return 0;
}

errno_t driver_bus_call(uint64_t loc, uint64_t fun, sysarg_t method)
{
	errno_t rc;
	async_sess_t *sess = loc_service_connect(loc, DEVMAN_IFACE_BUS, &rc);
	if (sess != NULL) {
		async_exch_t *exch = async_exchange_begin(sess);
		rc = exch != NULL ? async_req_1_0(exch, method, fun) : ENOMEM;
		if (exch != NULL)
			async_exchange_end(exch);
		DISCARD(cleanup, async_hangup(sess));
	}
	if (rc != EOK)
		printf("%s: bus control of function %llu: %s\n", NAME,
		    (unsigned long long) fun, str_error(rc));
	return rc;
}

/** Makes the bus-control call @a r (no lock held: it is IPC). A bus that
 *  cannot be reached is reported; the device goes on without the call. */
static void bus_call(const bus_req_t *r)
{
	DISCARD(reported, driver_bus_call(r->loc, r->fun, r->method));
}

static errno_t bus_fibril(void *arg)
{
	bus_call(arg);
	free(arg);
	return EOK;
}

/** Makes @a method's call for @a dev's function in the background (under
 *  tree_lock); nothing when the parent has no bus control. */
static void bus_notify(dev_node_t *dev, sysarg_t method)
{
	uint64_t loc = bus_loc_of(dev);
	if (loc == 0)
		return;
	bus_req_t *r = malloc(sizeof(*r));
	fid_t f = r != NULL ? fibril_create(bus_fibril, r) : 0;
	if (f == 0) {
		free(r);
		printf("%s: out of memory telling the bus of %s\n", NAME, dev->path);
		return;
	}
	*r = (bus_req_t){loc, dev->pfun->handle, method};
	fibril_detach(f);
	fibril_add_ready(f);
}

bool driver_dma_take(dev_node_t *dev, uint64_t *loc, uint64_t *fun)
{
	if (!dev->dma_stopped)
		return false;
	dev->dma_stopped = false;
	*loc = bus_loc_of(dev);
	*fun = dev->pfun->handle;
	return *loc != 0;
}
/** Reports a section of the index that is left out. */
static void index_bad(const char *name, size_t line, errno_t rc, void *arg)
{
	printf("%s: %s: line %zu: %s; driver %s skipped\n", NAME, (const char *) arg,
	    line, str_error(rc), *name != '\0' ? name : "(none)");
}

errno_t drivers_load(const char *dir)
{
	snprintf(driver_dir, sizeof(driver_dir), "%s", dir);
	char path[sizeof(driver_dir) + sizeof(INDEX_NAME) + 1];
	snprintf(path, sizeof(path), "%s/%s", dir, INDEX_NAME);
	char *text;
	errno_t rc = file_load(path, &text, NULL);
	if (rc != EOK)
		return rc;
	driver_count = match_index_parse(text, drivers, DRIVERS_MAX, index_bad, path);
	free(text);
	return EOK;
}

void driver_kill(task_id_t task)
{
	errno_t rc = task_kill(task);
	if (rc != EOK && rc != ENOENT)
		printf("%s: cannot stop driver task %llu: %s\n", NAME,
		    (unsigned long long) task, str_error(rc));
}

void drivers_set_restart_window(unsigned sec)
{
	restart_window_ns = (uint64_t) sec * 1000000000ull;
}

/** Counts a death of @a dev's driver; whether it may be started again. */
static bool driver_may_restart(dev_node_t *dev)
{
	uint64_t now = clock_ns();
	if (dev->deaths == 0 ||
	    (restart_window_ns != 0 && now - dev->first_death_ns > restart_window_ns)) {
		dev->deaths = 0;
		dev->first_death_ns = now;
	}
	dev->deaths++;
	return dev->deaths <= DRIVER_RESTARTS_MAX;
}

void driver_gone(uint64_t handle, task_id_t task)
{
	dev_node_t *dev = dev_find(handle);
	if (dev == NULL || dev->task != task || dev->state == DEVMAN_DEV_FAILED)
		return;
	dev->attached = false;
	dev->task = 0;
	dev_drop_functions(dev, driver_kill);
	dev->dma_stopped = bus_loc_of(dev) != 0;
	if (driver_may_restart(dev)) {
		printf("%s: driver %s of %s has gone; restarting it (%u of %u)\n", NAME,
		    dev->driver, dev->path, dev->deaths, DRIVER_RESTARTS_MAX);
		/* Its fibril stops the device's DMA before anything else. */
		driver_start(dev, DRIVER_RESTART_DELAY_USEC << (dev->deaths - 1));
	} else {
		bus_notify(dev, DEVMAN_BUS_CHILD_STOP);
		printf("%s: driver %s of %s has gone %u times; the device failed\n", NAME,
		    dev->driver, dev->path, dev->deaths);
		dev->state = DEVMAN_DEV_FAILED;
	}
	fibril_condvar_broadcast(&tree_changed);
}

/** Marks device @a handle failed to start (under tree_lock). */
static void start_failed(const start_req_t *req, errno_t rc)
{
	printf("%s: cannot start %s for %s: %s\n", NAME, req->program, req->path,
	    str_error(rc));
	dev_node_t *dev = dev_find(req->handle);
	if (dev != NULL && dev->state == DEVMAN_DEV_STARTING) {
		dev->state = DEVMAN_DEV_FAILED;
		fibril_condvar_broadcast(&tree_changed);
	}
}

/** Waits for the end of driver task @a id of @a req. Only an answer that
 *  the task ended says the driver died: a failed wait (the naming service,
 *  which keeps the tasks' records, went away) proves nothing, and the
 *  driver's connection ending is left to tell (driver_gone from
 *  devman.c). */
static void driver_watch(const start_req_t *req, task_id_t id, task_wait_t *wait)
{
	task_exit_t texit;
	errno_t rc = task_wait(wait, &texit, NULL);
	if (rc != EOK) {
		printf("%s: cannot watch driver %s (task %llu): %s\n", NAME, req->program,
		    (unsigned long long) id, str_error(rc));
		return;
	}
	fibril_mutex_lock(&tree_lock);
	driver_gone(req->handle, id);
	fibril_mutex_unlock(&tree_lock);
}

/** Whether device @a handle still waits for a driver task (the device
 *  may go away, its parent's driver dying, during a restart's delay). */
static bool dev_waits_for_driver(uint64_t handle)
{
	fibril_mutex_lock(&tree_lock);
	dev_node_t *dev = dev_find(handle);
	bool waits = dev != NULL && dev->state == DEVMAN_DEV_STARTING && dev->task == 0;
	fibril_mutex_unlock(&tree_lock);
	return waits;
}

/** Starts the driver task of @a req, then waits for its end. */
static errno_t driver_fibril(void *arg)
{
	start_req_t *req = arg;
	if (req->bus_loc != 0)
		bus_call(&(bus_req_t){req->bus_loc, req->bus_fun, DEVMAN_BUS_CHILD_STOP});
	if (req->delay_usec != 0) {
		fibril_usleep(req->delay_usec);
		if (!dev_waits_for_driver(req->handle)) {
			free(req);
			return EOK;
		}
	}
	char handle[24];
	snprintf(handle, sizeof(handle), "%llu", (unsigned long long) req->handle);
	const char *args[] = {req->program, "--dev", handle, NULL};
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.res = req->res;
	opts.res_count = req->res_count;
	task_id_t id;
	task_wait_t wait;
	errno_t rc = task_spawn_opts(&id, &wait, req->program, args, &opts);
	fibril_mutex_lock(&tree_lock);
	dev_node_t *dev = dev_find(req->handle);
	if (rc != EOK) {
		start_failed(req, rc);
	} else if (dev == NULL || dev->state != DEVMAN_DEV_STARTING) {
		driver_kill(id); /* the device went away meanwhile */
	} else {
		dev->task = id;
		fibril_condvar_broadcast(&tree_changed);
	}
	fibril_mutex_unlock(&tree_lock);
	if (rc == EOK)
		driver_watch(req, id, &wait);
	free(req);
	return EOK;
}

/** Starts @a dev's driver (dev->driver) in the background after
 *  @a delay_usec; under tree_lock. Out of memory, the device fails. */
static void driver_start(dev_node_t *dev, uint64_t delay_usec)
{
	start_req_t *req = calloc(1, sizeof(*req));
	fid_t f = req != NULL ? fibril_create(driver_fibril, req) : 0;
	if (f == 0) {
		free(req);
		dev->state = DEVMAN_DEV_FAILED;
		printf("%s: out of memory starting %s for %s\n", NAME, dev->driver,
		    dev->path);
		return;
	}
	req->handle = dev->handle;
	req->delay_usec = delay_usec;
	if (dev->dma_stopped) {
		req->bus_loc = bus_loc_of(dev);
		req->bus_fun = dev->pfun->handle;
	}
	strcpy(req->path, dev->path);
	snprintf(req->program, sizeof(req->program), "%s/%s", driver_dir, dev->driver);
	memcpy(req->res, dev->pfun->res, sizeof(req->res));
	req->res_count = dev->pfun->res_count;
	dev->state = DEVMAN_DEV_STARTING;
	fibril_detach(f); /* nobody joins it: its record goes when it ends */
	fibril_add_ready(f);
}

void driver_assign(dev_node_t *dev)
{
	const char *matched = NULL;
	const driver_desc_t *d = match_best(
	    drivers, driver_count, &dev->pfun->match, &matched);
	if (d == NULL) {
		dev->state = DEVMAN_DEV_NO_DRIVER;
		return;
	}
	strcpy(dev->driver, d->name);
	strcpy(dev->match, matched);
	driver_start(dev, 0);
}
