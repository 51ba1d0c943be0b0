/*
 * The device manager (abi/devman.h): the device tree (tree.c), the driver
 * database and driver tasks (drivers.c), the connections (devman.c).
 *
 * Locking: tree_lock guards the whole tree and the driver states; it is
 * never held across IPC (data transfers are received before it is taken,
 * tasks spawned after it is released).
 */
#ifndef DEVMAN_DEVMAN_H
#define DEVMAN_DEVMAN_H

#include "match.h"
#include <abi/devman.h>
#include <common/adt/list.h>
#include <fibril_synch.h>
#include <task.h>

#define NAME "devman"

typedef struct dev_node dev_node_t;

typedef struct {
	link_t link; /* dev_node_t.funs */
	link_t all_link;
	uint64_t handle;
	dev_node_t *dev;   /* the device it belongs to; NULL for the top one */
	dev_node_t *child; /* inner and online: the device it became */
	unsigned type;	   /* FUN_INNER, FUN_EXPOSED */
	bool online;
	char name[DEVMAN_NAME_MAX + 1];
	match_list_t match;
	hw_resource_t res[DEVMAN_RESOURCES];
	size_t res_count;
	uint64_t loc_id;
	char category[DEVMAN_NAME_MAX + 1];
} fun_node_t;

struct dev_node {
	link_t all_link;
	uint64_t handle;
	fun_node_t *pfun; /* the inner function it is */
	list_t funs;	  /* fun_node_t.link */
	unsigned state;	  /* DEVMAN_DEV_* */
	task_id_t task;	  /* its driver task; 0: none (yet) */
	bool attached;
	bool dma_stopped; /* its bus was told its driver died (DEVMAN_BUS_CHILD_STOP) */
	unsigned deaths;  /* its driver's deaths since first_death_ns */
	uint64_t first_death_ns; /* when the first of them was (clock_ns) */
	char path[DEVMAN_PATH_MAX + 1];
	char driver[DEVMAN_NAME_MAX + 1];
	char match[DEVMAN_MATCH_ID_MAX + 1];
};

extern fibril_mutex_t tree_lock;
/* Broadcast (under tree_lock) whenever a device's state or task changes. */
extern fibril_condvar_t tree_changed;

/*
 * tree.c (all under tree_lock)
 */

/** Makes the top function "hw" (match id platform/pc) and the root device. */
errno_t tree_init(dev_node_t **root);
dev_node_t *dev_find(uint64_t handle);
fun_node_t *fun_find(uint64_t handle);
/** EEXIST if @a dev has a function @a name, ELIMIT at DEVMAN_NODES_MAX. */
errno_t fun_create(dev_node_t *dev, unsigned type, const char *name, fun_node_t **out);
/** The device an inner function becomes when it goes online. */
errno_t dev_create(fun_node_t *fun, dev_node_t **out);
/** Removes @a fun and everything below it; driver tasks of the devices
 *  removed are handed to @a dead(task) (to be killed). */
void fun_remove(fun_node_t *fun, void (*dead)(task_id_t));
/** Removes all functions of @a dev (its driver has gone). */
void dev_drop_functions(dev_node_t *dev, void (*dead)(task_id_t));
/** Devices with a driver still starting. */
size_t tree_starting(void);
/** The tree in depth-first order into @a out (at most @a max); returns
 *  how many nodes there are. */
size_t tree_snapshot(devman_node_info_t *out, size_t max);

/*
 * drivers.c
 */

/* A driver that dies is started again after a growing delay
 * (DRIVER_RESTART_DELAY_USEC, doubled each time), at most
 * DRIVER_RESTARTS_MAX times within the restart window; one more death
 * within the window marks its device failed for good. */
#define DRIVER_RESTARTS_MAX	  3
#define DRIVER_RESTART_DELAY_USEC 100000
#define DRIVER_RESTART_WINDOW_SEC 60

/** Reads the drivers' match ids from DIR/match-ids (an error if it cannot
 *  be read); a driver whose section is malformed is reported and left
 *  out. */
errno_t drivers_load(const char *dir);
/** Sets the restart window to @a sec seconds; 0: deaths count for ever
 *  (a test's way to reach the failed state whatever the host's speed). */
void drivers_set_restart_window(unsigned sec);
/** Picks @a dev's driver and starts it in the background (under
 *  tree_lock); without one the device stays DEVMAN_DEV_NO_DRIVER. */
void driver_assign(dev_node_t *dev);
/** The driver task @a task of device @a handle has gone (its connection
 *  ended or the task did): drops the device's functions and starts the
 *  driver again, or, after too many deaths, marks the device failed and
 *  says so. Nothing if the device has another task by now. */
void driver_gone(uint64_t handle, task_id_t task);
/** Kills a driver task (of a device that went away). */
void driver_kill(task_id_t task);
/** Whether @a dev's DMA was stopped by its bus (a driver died): then its
 *  bus control's service (*@a loc) and function (*@a fun), and the device
 *  counts as no longer stopped. Under tree_lock. */
bool driver_dma_take(dev_node_t *dev, uint64_t *loc, uint64_t *fun);
/** Calls bus control @a loc with @a method for function @a fun (IPC: no
 *  lock held). */
errno_t driver_bus_call(uint64_t loc, uint64_t fun, sysarg_t method);

#endif
