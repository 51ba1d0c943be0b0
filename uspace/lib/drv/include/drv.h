/*
 * The driver framework: what a userspace driver is made of.
 *
 * The device manager (devman) starts one driver task per device, with the
 * device's handle as its argument, after granting it the device's hardware
 * resources (abi/hwres.h). The driver's main calls drv_main(), which
 * attaches to devman, fetches the device's path and resources and calls
 * the driver's dev_add(). There the driver programs its hardware and adds
 * functions:
 *   - inner functions (FUN_INNER) are devices further down the tree (a bus
 *     driver adds one per device it finds), with match ids and resources
 *     that devman uses to pick and start their drivers;
 *   - exposed functions (FUN_EXPOSED) are what clients use: each is
 *     registered in the location service as "devices/\hw\pc\com1" (its
 *     path with '\' for '/') and added to a category (serial, keyboard,
 *     ...); clients' connections come to the handler set for it.
 * After dev_add() the driver serves its clients (async_manager()). When the
 * task dies, devman marks the device failed and its functions disappear.
 *
 * A minimal driver:
 *
 *	static errno_t foo_dev_add(drv_dev_t *dev)
 *	{
 *		const hw_resource_t *io = drv_dev_find_resource(dev, HWRES_IO, 0);
 *		if (io == NULL || iospace_enable(io->base, io->size) != EOK)
 *			return ENOENT;
 *		return drv_fun_expose(dev, "a", "serial", foo_connection, NULL, NULL);
 *	}
 *
 *	int main(int argc, char **argv)
 *	{
 *		static const driver_ops_t ops = {.name = "foo", .dev_add = foo_dev_add};
 *		return drv_main(&ops, argc, argv);
 *	}
 *
 * Every driver directory also has NAME.ma, its match ids: lines
 * "SCORE MATCH-ID" (devman picks the driver whose id, matching one of the
 * device's, has the highest score product).
 */
#ifndef LIBDRV_DRV_H
#define LIBDRV_DRV_H

#include <discard.h>

#include <abi/devman.h>
#include <abi/hwres.h>
#include <async.h>
#include <errno.h>
#include <stddef.h>

typedef struct drv_dev drv_dev_t;
typedef struct drv_fun drv_fun_t;

typedef struct {
	const char *name;
	/** Takes up @a dev (hardware, functions). An error ends the driver
	 *  task with that status; devman marks the device failed. */
	errno_t (*dev_add)(drv_dev_t *dev);
} driver_ops_t;

/** The whole life of a driver task: attach, dev_add, serve. Returns only
 *  when it failed (an exit status to return from main, after a message). */
int drv_main(const driver_ops_t *ops, int argc, char **argv);

/** After the driver has reset its device (it no longer DMAs as an earlier
 *  driver set it up to): lets it DMA again if its bus stopped that when an
 *  earlier driver died (abi/devman.h DEVMAN_DEV_DMA_ENABLE). Drivers of
 *  devices that DMA call it before they start their rings. */
_NODISCARD errno_t drv_dev_dma_enable(drv_dev_t *dev);
/** The device's path in the tree, e.g. "/hw/pc/com1". */
const char *drv_dev_path(const drv_dev_t *dev);
/** Its handle in devman. */
uint64_t drv_dev_handle(const drv_dev_t *dev);
size_t drv_dev_resource_count(const drv_dev_t *dev);
/** Resource @a i (i < drv_dev_resource_count()). */
const hw_resource_t *drv_dev_resource(const drv_dev_t *dev, size_t i);
/** The @a nth resource of @a kind (HWRES_*; HWRES_IRQ finds shared lines
 *  too); NULL if there is none. */
const hw_resource_t *drv_dev_find_resource(
    const drv_dev_t *dev, uint32_t kind, size_t nth);
/** Driver-owned data of the device. */
void drv_dev_set_data(drv_dev_t *dev, void *data);
void *drv_dev_data(const drv_dev_t *dev);

/** A new function @a name (1..DEVMAN_NAME_MAX characters, no '/') of @a dev,
 *  of @a type FUN_INNER or FUN_EXPOSED; NULL with the error in *@a rc
 *  (EEXIST for a name the device already has, EINVAL, ENOMEM). */
drv_fun_t *drv_fun_create(drv_dev_t *dev, unsigned type, const char *name, errno_t *rc);
/** Inner functions, before drv_fun_online(): a match id (up to
 *  DEVMAN_MATCH_ID_MAX characters) with its @a score (1..100); at most
 *  DEVMAN_MATCH_IDS (ELIMIT). */
_NODISCARD errno_t drv_fun_add_match_id(drv_fun_t *fun, const char *id, int score);
/** Inner functions, before drv_fun_online(): a hardware resource the child
 *  device's driver will be granted; at most DEVMAN_RESOURCES (ELIMIT). */
_NODISCARD errno_t drv_fun_add_resource(
    drv_fun_t *fun, uint32_t kind, uint64_t base, uint64_t size);
/** Exposed functions, before drv_fun_online(): clients' connections run
 *  @a handler(icall, @a arg) in a fibril of their own. */
void drv_fun_set_handler(drv_fun_t *fun, async_port_handler_t handler, void *arg);
/** Brings @a fun online. Inner: devman makes the child device and starts
 *  its driver. Exposed: registered in the location service and added to
 *  @a category (a category name; exposed functions need one). */
_NODISCARD errno_t drv_fun_online(drv_fun_t *fun, const char *category);
/** The usual exposed function in one step: created as @a name, serving
 *  connections with @a handler(icall, @a arg), online in @a category; *@a
 *  out (unless NULL) gets it. */
_NODISCARD errno_t drv_fun_expose(drv_dev_t *dev, const char *name, const char *category,
    async_port_handler_t handler, void *arg, drv_fun_t **out);
/** The function's name, its handle in devman and, once online and
 *  exposed, its locsrv id. */
const char *drv_fun_name(const drv_fun_t *fun);
uint64_t drv_fun_handle(const drv_fun_t *fun);
uint64_t drv_fun_loc_id(const drv_fun_t *fun);

#endif
