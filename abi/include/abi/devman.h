/*
 * The device manager's protocol (service "devman", uspace/srv/devman).
 *
 * The device tree alternates devices and functions: the root device has
 * the functions its driver adds; an inner function becomes a child device
 * (matched to a driver again), an exposed one is a service of the driver's
 * in the location service. Every node has a handle (never reused).
 *
 * Drivers, on a connection for DEVMAN_IFACE_DRIVER (one per driver task;
 * devman starts one driver task per device and tells it the device's
 * handle as its argument `--dev HANDLE`):
 *   DEVMAN_DRIVER_ATTACH (dev) -> ()          the task takes up device dev;
 *       EPERM unless devman started this task for it. First on the
 *       connection; when the connection ends the driver is gone: the device
 *       is marked failed and its functions (and their subtrees) go away.
 *   DEVMAN_DEV_DMA_ENABLE (dev) -> ()  the driver has reset its device (it
 *       does not DMA into memory of a driver before): if its bus stopped
 *       the device's DMA when an earlier driver died, the bus lets it DMA
 *       again before the answer (DEVMAN_BUS_CHILD_START below). EOK with
 *       nothing to do otherwise. A driver of a device that DMAs calls it
 *       after its reset, before it starts its rings.
 *   DEVMAN_DRIVER_READY (dev) -> ()   the driver has added its functions
 *       (drv_main after dev_add): the device counts as running from now.
 *   DEVMAN_DEV_GET_NAME (dev) + DATA_READ -> ()  the device's path, e.g.
 *       "/hw/pc/com1"
 *   DEVMAN_DEV_GET_RESOURCES (dev) + DATA_READ -> (count)  hw_resource_t[]
 *   DEVMAN_FUN_CREATE (dev, FUN_INNER|FUN_EXPOSED) + DATA_WRITE name
 *       -> (fun)    EEXIST if the device has a function of that name
 *   DEVMAN_FUN_ADD_MATCH_ID (fun, score) + DATA_WRITE id -> ()
 *   DEVMAN_FUN_ADD_RESOURCE (fun, kind, base, size) -> ()
 *   DEVMAN_FUN_SET_LOC (fun, loc service id) + DATA_WRITE category -> ()
 *       (exposed functions) what the driver registered in locsrv, shown by
 *       `devices`
 *   DEVMAN_FUN_ONLINE (fun) -> ()   inner: its child device is made and
 *       matched, its driver started (in the background); exposed: shown
 *   DEVMAN_FUN_OFFLINE (fun) -> ()  the function and its subtree go away
 *
 * Bus control: a bus driver whose child devices may DMA (the PCI driver)
 * exposes a function in category DEVMAN_BUS_CATEGORY; devman connects to
 * it with DEVMAN_IFACE_BUS and calls, naming the inner function by its
 * handle:
 *   DEVMAN_BUS_CHILD_STOP (fun) -> ()   the driver of fun's device has
 *       gone: the device must not reach memory any more (bus mastering
 *       off), since what it was set up to DMA into was the dead task's.
 *       Called before the driver is started again.
 *   DEVMAN_BUS_CHILD_START (fun) -> ()  the restarted driver has reset its
 *       device and asked for DMA (DEVMAN_DEV_DMA_ENABLE): on again.
 *   The bus driver refuses callers without PERM_TASK (EPERM) and functions
 *   it does not have (ENOENT).
 *
 * Clients, on a connection for DEVMAN_IFACE_CLIENT:
 *   DEVMAN_GET_TREE + DATA_READ -> (count)   devman_node_info_t[] in
 *       depth-first order (a parent before its children)
 *   DEVMAN_WAIT_STABLE (usec) -> ()   waits until no driver is starting
 *       (ETIMEOUT after usec; 0: forever)
 */
#ifndef ABI_DEVMAN_H
#define ABI_DEVMAN_H

#include <abi/ipc.h>
#include <abi/hwres.h>

#define DEVMAN_SERVICE_NAME "devman"
#define DEVMAN_IFACE_DRIVER 0x64657601 /* "dev" 1 */
#define DEVMAN_IFACE_CLIENT 0x64657602
#define DEVMAN_IFACE_BUS    0x64657603
#define DEVMAN_BUS_CATEGORY "bus"

/* Both interfaces share one numbering. */
#define DEVMAN_METHODS(M) \
	M(DEVMAN_DRIVER_ATTACH, "devman.driver_attach") \
	M(DEVMAN_DRIVER_READY, "devman.driver_ready") \
	M(DEVMAN_DEV_GET_NAME, "devman.dev_get_name") \
	M(DEVMAN_DEV_GET_RESOURCES, "devman.dev_get_resources") \
	M(DEVMAN_FUN_CREATE, "devman.fun_create") \
	M(DEVMAN_FUN_ADD_MATCH_ID, "devman.fun_add_match_id") \
	M(DEVMAN_FUN_ADD_RESOURCE, "devman.fun_add_resource") \
	M(DEVMAN_FUN_SET_LOC, "devman.fun_set_loc") \
	M(DEVMAN_FUN_ONLINE, "devman.fun_online") \
	M(DEVMAN_FUN_OFFLINE, "devman.fun_offline") \
	M(DEVMAN_GET_TREE, "devman.get_tree") \
	M(DEVMAN_WAIT_STABLE, "devman.wait_stable") \
	M(DEVMAN_BUS_CHILD_STOP, "devman.bus_child_stop") \
	M(DEVMAN_BUS_CHILD_START, "devman.bus_child_start") \
	M(DEVMAN_DEV_DMA_ENABLE, "devman.dev_dma_enable")

IFACE_METHOD_ENUM(DEVMAN, DEVMAN_METHODS, IPC_FIRST_USER_METHOD);

#define FUN_INNER   1
#define FUN_EXPOSED 2

#define DEVMAN_NAME_MAX	    31	/* a function's name */
#define DEVMAN_MATCH_ID_MAX 63	/* a match id */
#define DEVMAN_MATCH_IDS    8	/* per function */
#define DEVMAN_RESOURCES    8	/* per function */
#define DEVMAN_NODES_MAX    256 /* in the whole tree */
#define DEVMAN_PATH_MAX	    255 /* a device's path, e.g. "/hw/pc/com1" */

/* Node states. */
#define DEVMAN_DEV_NO_DRIVER 1 /* no driver matches */
#define DEVMAN_DEV_STARTING  2 /* its driver is starting (until READY) */
#define DEVMAN_DEV_RUNNING   3 /* its driver is ready */
#define DEVMAN_DEV_FAILED    4 /* its driver failed to start or died */
#define DEVMAN_FUN_ON	     5 /* a function online */

#define DEVMAN_NODE_DEV 1
#define DEVMAN_NODE_FUN 2

typedef struct {
	uint64_t handle;
	uint64_t parent;   /* 0 for the root device */
	uint64_t task;	   /* devices: the driver task (0: none) */
	uint64_t loc_id;   /* exposed functions: the locsrv service (0: none) */
	uint32_t kind;	   /* DEVMAN_NODE_* */
	uint32_t state;	   /* DEVMAN_DEV_* or DEVMAN_FUN_ON */
	uint32_t depth;	   /* 0 for the root device */
	uint32_t fun_type; /* functions: FUN_INNER or FUN_EXPOSED */
	char name[DEVMAN_NAME_MAX + 1];	     /* devices: their function's name */
	char driver[DEVMAN_NAME_MAX + 1];    /* devices: the driver's name */
	char match[DEVMAN_MATCH_ID_MAX + 1]; /* devices: the id that matched */
	char category[DEVMAN_NAME_MAX + 1];  /* exposed functions */
} devman_node_info_t;

#endif
