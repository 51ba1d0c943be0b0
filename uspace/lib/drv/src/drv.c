/*
 * The driver framework (drv.h): a driver task drives one device.
 *
 * The task holds one session to devman (EXCHANGE_SERIALIZE: one connection,
 * whose end tells devman the driver is gone). Functions are kept in the
 * device's list; client connections come through the location service to
 * the task's fallback port handler, which finds the function by the
 * service id in the connection's third argument.
 *
 * Fibrils: everything here runs in the driver's main fibril before
 * async_manager() except the connection handler, which only reads the
 * function list; functions are added before they go online, so a
 * connection never sees one half made.
 *
 * A driver whose device exposed a disk (category BD_CATEGORY) asks the
 * volume server for VOL_SCAN before it reports ready (abi/bd.h): init
 * starts that server on demand, and devman's readiness then means the
 * partitions are registered too. The scan reads the disk through this
 * task, served by connection fibrils while the main one waits.
 */
#include <bd.h>
#include <drv.h>
#include <common/adt/list.h>
#include <errno.h>
#include <loc.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

struct drv_fun {
	link_t link; /* drv_dev_t.funs */
	drv_dev_t *dev;
	uint64_t handle; /* devman's */
	unsigned type;
	char name[DEVMAN_NAME_MAX + 1];
	async_port_handler_t handler;
	void *arg;
	loc_id_t loc_id; /* 0 until online (exposed) */
};

struct drv_dev {
	uint64_t handle;
	char path[DEVMAN_PATH_MAX + 1];
	hw_resource_t res[DEVMAN_RESOURCES];
	size_t res_count;
	void *data;
	list_t funs;
};

static const driver_ops_t *driver;
static async_sess_t *devman;
static drv_dev_t the_dev;
static bool loc_registered;
static bool disks_exposed; /* a function went online in BD_CATEGORY */

/*
 * Requests to devman.
 */

static errno_t devman_req(
    sysarg_t method, sysarg_t a1, sysarg_t a2, sysarg_t a3, sysarg_t a4, sysarg_t *out)
{
	async_exch_t *exch = async_exchange_begin(devman);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_4_1(exch, method, a1, a2, a3, a4, out);
	async_exchange_end(exch);
	return rc;
}

/** @a method (@a a1, @a a2) followed by a data write of @a size bytes. */
static errno_t devman_req_write(sysarg_t method, sysarg_t a1, sysarg_t a2,
    const void *data, size_t size, sysarg_t *out)
{
	async_exch_t *exch = async_exchange_begin(devman);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_write(exch, method, a1, a2, data, size, out);
	async_exchange_end(exch);
	return rc;
}

/** @a method (@a a1) followed by a data read into @a buf (@a size bytes):
 *  the bytes read in *@a got, the answer's first argument in *@a out. */
static errno_t devman_req_read(
    sysarg_t method, sysarg_t a1, void *buf, size_t size, size_t *got, sysarg_t *out)
{
	async_exch_t *exch = async_exchange_begin(devman);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_read(exch, method, a1, 0, buf, size, got, out);
	async_exchange_end(exch);
	return rc;
}

/*
 * Devices.
 */

const char *drv_dev_path(const drv_dev_t *dev)
{
	return dev->path;
}

uint64_t drv_dev_handle(const drv_dev_t *dev)
{
	return dev->handle;
}

size_t drv_dev_resource_count(const drv_dev_t *dev)
{
	return dev->res_count;
}

const hw_resource_t *drv_dev_resource(const drv_dev_t *dev, size_t i)
{
	return i < dev->res_count ? &dev->res[i] : NULL;
}

const hw_resource_t *drv_dev_find_resource(
    const drv_dev_t *dev, uint32_t kind, size_t nth)
{
	for (size_t i = 0; i < dev->res_count; i++) {
		uint32_t k = dev->res[i].kind;
		if (k == HWRES_IRQ_SHARED && kind == HWRES_IRQ)
			k = HWRES_IRQ; /* a line is a line, shared or not */
		if (k == kind && nth-- == 0)
			return &dev->res[i];
	}
	return NULL;
}

void drv_dev_set_data(drv_dev_t *dev, void *data)
{
	dev->data = data;
}

void *drv_dev_data(const drv_dev_t *dev)
{
	return dev->data;
}

/** Fetches the device's path and resources from devman. */
static errno_t dev_fetch(drv_dev_t *dev)
{
	size_t got;
	sysarg_t count;
	errno_t rc = devman_req_read(
	    DEVMAN_DEV_GET_NAME, dev->handle, dev->path, DEVMAN_PATH_MAX, &got, &count);
	if (rc != EOK)
		return rc;
	dev->path[got] = '\0';
	rc = devman_req_read(DEVMAN_DEV_GET_RESOURCES, dev->handle, dev->res,
	    sizeof(dev->res), &got, &count);
	if (rc != EOK)
		return rc;
	dev->res_count = got / sizeof(hw_resource_t);
	return EOK;
}

/*
 * Functions.
 */

static bool fun_name_ok(const char *name)
{
	size_t len = strlen(name);
	return len > 0 && len <= DEVMAN_NAME_MAX && strchr(name, '/') == NULL;
}

drv_fun_t *drv_fun_create(drv_dev_t *dev, unsigned type, const char *name, errno_t *rc)
{
	if ((type != FUN_INNER && type != FUN_EXPOSED) || !fun_name_ok(name)) {
		*rc = EINVAL;
		return NULL;
	}
	drv_fun_t *fun = calloc(1, sizeof(*fun));
	if (fun == NULL) {
		*rc = ENOMEM;
		return NULL;
	}
	sysarg_t handle;
	*rc = devman_req_write(
	    DEVMAN_FUN_CREATE, dev->handle, type, name, strlen(name), &handle);
	if (*rc != EOK) {
		free(fun);
		return NULL;
	}
	fun->dev = dev;
	fun->handle = handle;
	fun->type = type;
	strcpy(fun->name, name);
	list_append(&fun->link, &dev->funs);
	return fun;
}

errno_t drv_fun_add_match_id(drv_fun_t *fun, const char *id, int score)
{
	size_t len = strlen(id);
	if (fun->type != FUN_INNER || len == 0 || len > DEVMAN_MATCH_ID_MAX ||
	    score < 1 || score > 100)
		return EINVAL;
	return devman_req_write(
	    DEVMAN_FUN_ADD_MATCH_ID, fun->handle, (sysarg_t) score, id, len, NULL);
}

errno_t drv_fun_add_resource(drv_fun_t *fun, uint32_t kind, uint64_t base, uint64_t size)
{
	if (fun->type != FUN_INNER)
		return EINVAL;
	return devman_req(DEVMAN_FUN_ADD_RESOURCE, fun->handle, kind, base, size, NULL);
}

void drv_fun_set_handler(drv_fun_t *fun, async_port_handler_t handler, void *arg)
{
	fun->handler = handler;
	fun->arg = arg;
}

const char *drv_fun_name(const drv_fun_t *fun)
{
	return fun->name;
}

errno_t drv_dev_dma_enable(drv_dev_t *dev)
{
	return devman_req(DEVMAN_DEV_DMA_ENABLE, dev->handle, 0, 0, 0, NULL);
}

uint64_t drv_fun_handle(const drv_fun_t *fun)
{
	return fun->handle;
}

uint64_t drv_fun_loc_id(const drv_fun_t *fun)
{
	return fun->loc_id;
}

/** Client connections to exposed functions, through locsrv: args[2] is the
 *  service id. */
static void drv_connection(ipc_call_t *icall, void *unused)
{
	loc_id_t id = icall->args[2];
	list_foreach (the_dev.funs, link, drv_fun_t, fun) {
		if (fun->loc_id == id && id != 0 && fun->handler != NULL) {
			fun->handler(icall, fun->arg);
			return;
		}
	}
	DISCARD(answer, async_answer_0(icall, ENOENT));
}

/** "devices/" and the path with '\' for '/', e.g. "devices/\hw\pc\com1\a". */
static errno_t loc_name_of(const drv_fun_t *fun, char *buf, size_t size)
{
	int n = snprintf(buf, size, "devices/%s/%s", fun->dev->path, fun->name);
	if (n < 0 || (size_t) n >= size)
		return ENAMETOOLONG;
	for (char *p = buf + strlen("devices/"); *p != '\0'; p++) {
		if (*p == '/')
			*p = '\\';
	}
	return EOK;
}

static errno_t fun_expose(drv_fun_t *fun, const char *category)
{
	if (fun->handler == NULL || category == NULL)
		return EINVAL;
	errno_t rc = EOK;
	if (!loc_registered)
		rc = loc_server_register(driver->name, drv_connection, NULL);
	if (rc != EOK)
		return rc;
	loc_registered = true;
	char name[LOC_NAME_MAX + 1];
	rc = loc_name_of(fun, name, sizeof(name));
	category_id_t cat;
	if (rc == EOK)
		rc = loc_category_get_id(category, &cat, LOC_FLAG_BLOCKING);
	loc_id_t id;
	if (rc == EOK)
		rc = loc_service_register(name, &id);
	if (rc != EOK)
		return rc;
	rc = loc_service_add_to_cat(id, cat);
	if (rc == EOK)
		rc = devman_req_write(DEVMAN_FUN_SET_LOC, fun->handle, id, category,
		    strlen(category), NULL);
	if (rc != EOK) {
		DISCARD(cleanup, loc_service_unregister(id));
		return rc;
	}
	fun->loc_id = id; /* connections find it from now on */
	disks_exposed |= strcmp(category, BD_CATEGORY) == 0;
	return EOK;
}

errno_t drv_fun_online(drv_fun_t *fun, const char *category)
{
	if (fun->type == FUN_EXPOSED) {
		errno_t rc = fun_expose(fun, category);
		if (rc != EOK)
			return rc;
	}
	return devman_req(DEVMAN_FUN_ONLINE, fun->handle, 0, 0, 0, NULL);
}

errno_t drv_fun_expose(drv_dev_t *dev, const char *name, const char *category,
    async_port_handler_t handler, void *arg, drv_fun_t **out)
{
	errno_t rc;
	drv_fun_t *fun = drv_fun_create(dev, FUN_EXPOSED, name, &rc);
	if (fun == NULL)
		return rc;
	drv_fun_set_handler(fun, handler, arg);
	rc = drv_fun_online(fun, category);
	if (rc == EOK && out != NULL)
		*out = fun;
	return rc;
}

/*
 * The driver task.
 */

/** The device handle from "--dev HANDLE". */
static errno_t parse_args(int argc, char **argv, uint64_t *handle)
{
	if (argc != 3 || strcmp(argv[1], "--dev") != 0)
		return EINVAL;
	char *end;
	unsigned long long v = strtoull(argv[2], &end, 0);
	if (argv[2][0] == '\0' || *end != '\0' || v == 0)
		return EINVAL;
	*handle = v;
	return EOK;
}

static errno_t attach(drv_dev_t *dev)
{
	errno_t rc;
	devman = service_connect_blocking(
	    service_id_from_name(DEVMAN_SERVICE_NAME), DEVMAN_IFACE_DRIVER, 0, &rc);
	if (devman == NULL)
		return rc;
	rc = devman_req(DEVMAN_DRIVER_ATTACH, dev->handle, 0, 0, 0, NULL);
	if (rc == EOK)
		rc = dev_fetch(dev);
	return rc;
}

/** Asks the volume server to scan the disks this driver exposed (which
 *  starts it on demand), so that their partitions are registered before the
 *  driver reports ready. No volume server (ENOENT: a test's boot) is no
 *  error; another failure is reported and the disks serve on without
 *  partitions. */
static void volumes_scan(const char *name)
{
	errno_t rc = vol_scan();
	if (rc != EOK && rc != ENOENT)
		printf("%s: the volume server did not scan the disks: %s\n", name,
		    strerror(rc));
}

int drv_main(const driver_ops_t *ops, int argc, char **argv)
{
	driver = ops;
	list_initialize(&the_dev.funs);
	if (parse_args(argc, argv, &the_dev.handle) != EOK) {
		printf("%s: a driver, started by the device manager (--dev HANDLE)\n",
		    ops->name);
		return 1;
	}
	errno_t rc = attach(&the_dev);
	if (rc != EOK) {
		printf("%s: cannot attach to device %llu: %s\n", ops->name,
		    (unsigned long long) the_dev.handle, strerror(rc));
		return 2;
	}
	rc = ops->dev_add(&the_dev);
	if (rc == EOK && disks_exposed)
		volumes_scan(ops->name);
	if (rc == EOK)
		rc = devman_req(DEVMAN_DRIVER_READY, the_dev.handle, 0, 0, 0, NULL);
	if (rc != EOK) {
		printf("%s: %s: %s\n", ops->name, the_dev.path, strerror(rc));
		return 3;
	}
	async_manager();
	return 0;
}
