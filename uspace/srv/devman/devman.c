/*
 * devman: the device manager (protocol: abi/devman.h).
 *
 * Usage: devman [-w SECONDS] [DRIVER-DIR], the driver directory by default
 * /drv, -w the window within which a driver may be restarted
 * DRIVER_RESTARTS_MAX times (default DRIVER_RESTART_WINDOW_SEC; 0: for
 * ever). Needs PERM_IO, PERM_IRQ and
 * PERM_PHYSMEM (to grant drivers their resources) and PERM_TASK (to stop
 * drivers of devices that went away). Registers "devman" and reports ready
 * (task_retval(0)) once the drivers started at boot are ready or have
 * failed (at most BOOT_WAIT_USEC).
 *
 * A driver's connection belongs to the device it attached to: every call
 * on it may touch only that device and its functions (EPERM otherwise).
 */
#include "devman.h"
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#define USAGE \
	"[-w SECONDS] [DRIVER-DIR] (a server; init starts it, as /cfg/init.conf says)"

#define DEFAULT_DRIVER_DIR "/drv"
#define BOOT_WAIT_USEC	   (20 * 1000 * 1000)

/*
 * Driver connections.
 */

/** Takes device @a handle for @a task, which devman started for it; waits
 *  while the spawning fibril has not yet learned the task's id. */
static errno_t driver_attach(uint64_t handle, task_id_t task)
{
	fibril_mutex_lock(&tree_lock);
	dev_node_t *dev = dev_find(handle);
	while (dev != NULL && dev->state == DEVMAN_DEV_STARTING && dev->task == 0) {
		fibril_condvar_wait(&tree_changed, &tree_lock);
		dev = dev_find(handle);
	}
	errno_t rc = EPERM;
	if (dev == NULL)
		rc = ENOENT;
	else if (dev->task == task && !dev->attached && dev->state == DEVMAN_DEV_STARTING)
		rc = EOK;
	if (rc == EOK)
		dev->attached = true;
	fibril_mutex_unlock(&tree_lock);
	return rc;
}

/** The function @a handle of device @a dev; NULL unless it is one. */
static fun_node_t *own_fun(dev_node_t *dev, uint64_t handle)
{
	fun_node_t *fun = fun_find(handle);
	return fun != NULL && fun->dev == dev ? fun : NULL;
}

/** Takes the data read that follows a call and answers it with @a size
 *  bytes of @a data, or with @a rc unless that is EOK. */
static errno_t answer_read(errno_t rc, const void *data, size_t size)
{
	ipc_call_t rcall;
	size_t max;
	if (!async_data_read_receive(&rcall, &max)) {
		if (rcall.imethod != 0)
			DISCARD(answer, async_answer_0(&rcall, EINVAL));
		return EINVAL;
	}
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(&rcall, rc));
		return rc;
	}
	return async_data_read_finalize(&rcall, data, size < max ? size : max);
}

static errno_t fun_online(fun_node_t *fun)
{
	if (fun->online)
		return EEXIST;
	if (fun->type == FUN_INNER) {
		dev_node_t *child;
		errno_t rc = dev_create(fun, &child);
		if (rc != EOK)
			return rc;
		driver_assign(child);
		fibril_condvar_broadcast(&tree_changed);
	}
	fun->online = true;
	return EOK;
}

static errno_t fun_add_resource(fun_node_t *fun, const ipc_call_t *call)
{
	if (fun->type != FUN_INNER || fun->online)
		return EINVAL;
	if (fun->res_count == DEVMAN_RESOURCES)
		return ELIMIT;
	uint64_t kind = call->args[1], base = call->args[2], size = call->args[3];
	if ((kind != HWRES_IO && kind != HWRES_MEM && kind != HWRES_IRQ &&
		kind != HWRES_IRQ_SHARED) ||
	    size == 0 || base + size < base)
		return EINVAL;
	hw_resource_t *r = &fun->res[fun->res_count++];
	r->kind = (uint32_t) kind;
	r->base = base;
	r->size = size;
	return EOK;
}

/** Calls carrying a string (received before the tree is locked). */
static void driver_call_string(uint64_t handle, task_id_t task, ipc_call_t *call)
{
	char *s;
	size_t max = call->imethod == DEVMAN_FUN_ADD_MATCH_ID ? DEVMAN_MATCH_ID_MAX
							      : DEVMAN_NAME_MAX;
	errno_t rc = async_data_write_accept((void **) &s, true, 1, max, 0, NULL);
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(call, rc));
		return;
	}
	fibril_mutex_lock(&tree_lock);
	dev_node_t *dev = dev_find(handle);
	fun_node_t *fun = NULL;
	if (dev == NULL || dev->task != task) {
		rc = EHANGUP;
	} else if (call->imethod == DEVMAN_FUN_CREATE) {
		rc = EPERM;
		if (call->args[0] == handle)
			rc = (call->args[1] == FUN_INNER ||
				 call->args[1] == FUN_EXPOSED) &&
				strchr(s, '/') == NULL
			    ? fun_create(dev, (unsigned) call->args[1], s, &fun)
			    : EINVAL;
	} else if ((fun = own_fun(dev, call->args[0])) == NULL) {
		rc = EPERM;
	} else if (call->imethod == DEVMAN_FUN_ADD_MATCH_ID) {
		rc = fun->online ? EINVAL
				 : match_list_add(&fun->match, s, (int) call->args[1]);
	} else {
		fun->loc_id = call->args[1];
		strcpy(fun->category, s);
	}
	uint64_t fh = call->imethod == DEVMAN_FUN_CREATE && rc == EOK ? fun->handle : 0;
	fibril_mutex_unlock(&tree_lock);
	free(s);
	DISCARD(answer, async_answer_1(call, rc, fh));
}

/** Calls with plain arguments, under tree_lock; data to send back (a path,
 *  resources) is copied into @a out (*@a out_size bytes). */
static errno_t driver_call_plain(
    dev_node_t *dev, ipc_call_t *call, void *out, size_t *out_size, sysarg_t *ret)
{
	fun_node_t *fun;
	switch (call->imethod) {
	case DEVMAN_DRIVER_READY:
		if (dev->state != DEVMAN_DEV_STARTING)
			return EINVAL;
		dev->state = DEVMAN_DEV_RUNNING;
		fibril_condvar_broadcast(&tree_changed);
		return EOK;
	case DEVMAN_DEV_GET_NAME:
		*out_size = strlen(dev->path);
		memcpy(out, dev->path, *out_size);
		return call->args[0] == dev->handle ? EOK : EPERM;
	case DEVMAN_DEV_GET_RESOURCES:
		*out_size = dev->pfun->res_count * sizeof(hw_resource_t);
		memcpy(out, dev->pfun->res, *out_size);
		*ret = dev->pfun->res_count;
		return call->args[0] == dev->handle ? EOK : EPERM;
	}
	if ((fun = own_fun(dev, call->args[0])) == NULL)
		return EPERM;
	switch (call->imethod) {
	case DEVMAN_FUN_ADD_RESOURCE:
		return fun_add_resource(fun, call);
	case DEVMAN_FUN_ONLINE:
		return fun_online(fun);
	case DEVMAN_FUN_OFFLINE:
		fun_remove(fun, driver_kill);
		fibril_condvar_broadcast(&tree_changed);
		return EOK;
	default:
		return ENOTSUP;
	}
}

/** DEVMAN_DEV_DMA_ENABLE: the driver of device @a handle has reset it; if
 *  its bus stopped the device's DMA when a driver before died, the bus lets
 *  it DMA again (answered once the bus did, so the driver starts its rings
 *  only then). */
static void driver_dma_enable(uint64_t handle, task_id_t task, ipc_call_t *call)
{
	fibril_mutex_lock(&tree_lock);
	dev_node_t *dev = dev_find(handle);
	errno_t rc = EHANGUP;
	bool stopped = false;
	uint64_t loc = 0, fun = 0;
	if (dev != NULL && dev->task == task) {
		rc = call->args[0] == handle ? EOK : EPERM;
		stopped = rc == EOK && driver_dma_take(dev, &loc, &fun);
	}
	fibril_mutex_unlock(&tree_lock);
	if (stopped)
		rc = driver_bus_call(loc, fun, DEVMAN_BUS_CHILD_START);
	DISCARD(answer, async_answer_0(call, rc));
}

static void driver_call(uint64_t handle, task_id_t task, ipc_call_t *call)
{
	switch (call->imethod) {
	case DEVMAN_DEV_DMA_ENABLE:
		driver_dma_enable(handle, task, call);
		return;
	case DEVMAN_FUN_CREATE:
	case DEVMAN_FUN_ADD_MATCH_ID:
	case DEVMAN_FUN_SET_LOC:
		driver_call_string(handle, task, call);
		return;
	}
	union {
		char path[DEVMAN_PATH_MAX];
		hw_resource_t res[DEVMAN_RESOURCES];
	} out;
	size_t out_size = 0;
	sysarg_t ret = 0;
	fibril_mutex_lock(&tree_lock);
	dev_node_t *dev = dev_find(handle);
	errno_t rc = EHANGUP;
	if (dev != NULL && dev->task == task)
		rc = driver_call_plain(dev, call, &out, &out_size, &ret);
	fibril_mutex_unlock(&tree_lock);
	if (call->imethod == DEVMAN_DEV_GET_NAME ||
	    call->imethod == DEVMAN_DEV_GET_RESOURCES)
		rc = answer_read(rc, &out, out_size);
	DISCARD(answer, async_answer_1(call, rc, ret));
}

static void driver_connection(ipc_call_t *icall, void *arg)
{
	/* The connection speaks for the driver of one device: not to be
	 * copied to another task nor to carry forwarded calls. */
	if (async_accept_withholding(icall, CAP_RIGHT_CLONE | CAP_RIGHT_FORWARD) != EOK)
		return;
	ipc_call_t call;
	if (!async_get_call(&call) || call.imethod == 0)
		return;
	uint64_t handle = call.args[0];
	task_id_t task = call.task_id;
	errno_t rc = call.imethod == DEVMAN_DRIVER_ATTACH ? driver_attach(handle, task)
							  : EINVAL;
	DISCARD(answer, async_answer_0(&call, rc));
	if (rc != EOK)
		return;
	while (async_get_call(&call) && call.imethod != 0)
		driver_call(handle, task, &call);
	fibril_mutex_lock(&tree_lock);
	driver_gone(handle, task);
	fibril_mutex_unlock(&tree_lock);
}

/*
 * Client connections.
 */

static void client_get_tree(ipc_call_t *call)
{
	devman_node_info_t *buf = malloc(DEVMAN_NODES_MAX * sizeof(*buf));
	if (buf == NULL) {
		DISCARD(answer, async_answer_0(call, answer_read(ENOMEM, NULL, 0)));
		return;
	}
	fibril_mutex_lock(&tree_lock);
	size_t count = tree_snapshot(buf, DEVMAN_NODES_MAX);
	fibril_mutex_unlock(&tree_lock);
	size_t n = count < DEVMAN_NODES_MAX ? count : DEVMAN_NODES_MAX;
	errno_t rc = answer_read(EOK, buf, n * sizeof(*buf));
	free(buf);
	DISCARD(answer, async_answer_1(call, rc, count));
}

/** Waits until no driver is starting, at most @a usec (0: forever). */
static errno_t wait_stable(uint64_t usec)
{
	errno_t rc = EOK;
	fibril_mutex_lock(&tree_lock);
	while (tree_starting() > 0 && rc == EOK) {
		if (usec == 0)
			fibril_condvar_wait(&tree_changed, &tree_lock);
		else
			rc = fibril_condvar_wait_timeout(&tree_changed, &tree_lock, usec);
	}
	if (rc == ETIMEOUT && tree_starting() == 0)
		rc = EOK;
	fibril_mutex_unlock(&tree_lock);
	return rc;
}

static void client_connection(ipc_call_t *icall, void *arg)
{
	if (async_accept_0(icall) != EOK)
		return;
	ipc_call_t call;
	while (async_get_call(&call) && call.imethod != 0) {
		switch (call.imethod) {
		case DEVMAN_GET_TREE:
			client_get_tree(&call);
			break;
		case DEVMAN_WAIT_STABLE:
			DISCARD(answer, async_answer_0(&call, wait_stable(call.args[0])));
			break;
		default:
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
			break;
		}
	}
}

static errno_t devman_start(const char *dir)
{
	errno_t rc = drivers_load(dir);
	if (rc != EOK) {
		printf("%s: cannot read drivers in %s: %s\n", NAME, dir, str_error(rc));
		return rc;
	}
	service_id_t sid = service_id_from_name(DEVMAN_SERVICE_NAME);
	rc = service_register(sid, DEVMAN_IFACE_DRIVER, driver_connection, NULL);
	if (rc == EOK)
		rc = service_register(sid, DEVMAN_IFACE_CLIENT, client_connection, NULL);
	if (rc != EOK) {
		printf("%s: cannot register: %s\n", NAME, str_error(rc));
		return rc;
	}
	fibril_mutex_lock(&tree_lock);
	dev_node_t *root;
	rc = tree_init(&root);
	if (rc == EOK)
		driver_assign(root);
	fibril_mutex_unlock(&tree_lock);
	return rc;
}

/** Reads the options into the driver settings: the index of the first
 *  operand, or -1 after a bad option (reported, with the usage line). */
static int devman_options(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "w:")) != -1) {
		if (c != 'w')
			return -1; /* getopt reported it */
		char *end;
		unsigned long sec = strtoul(optarg, &end, 10);
		if (*optarg == '\0' || *end != '\0' || sec > 86400) {
			printf("%s: bad restart window %s\n", NAME, optarg);
			cmd_usage_error(argv[0], USAGE);
			return -1;
		}
		drivers_set_restart_window((unsigned) sec);
	}
	return optind;
}

int main(int argc, char **argv)
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	int first = devman_options(argc, argv);
	if (first < 0)
		return CMD_EXIT_USAGE;
	if (argc - first > 1)
		return cmd_usage_error(argv[0], USAGE);
	errno_t rc = devman_start(first < argc ? argv[first] : DEFAULT_DRIVER_DIR);
	if (rc != EOK)
		return 2;
	if (wait_stable(BOOT_WAIT_USEC) != EOK)
		printf("%s: drivers still starting after %d s; going on\n", NAME,
		    BOOT_WAIT_USEC / 1000000);
	printf("%s: started\n", NAME);
	rc = task_retval(0);
	if (rc != EOK)
		printf("%s: cannot report ready: %s\n", NAME, str_error(rc));
	async_manager();
}
