/*
 * A network card's function for a driver on the driver framework: what
 * every NIC driver (e1000, virtio-net) does once its device runs.
 */
#ifndef LIBDRV_DRV_NIC_H
#define LIBDRV_DRV_NIC_H

#include <drv.h>
#include <nic_srv.h>

/** Exposes @a nic (set up with nic_srv_init, its MAC known) as function
 *  "port0" of @a dev in category "nic", served by nic_srv_conn, and prints
 *  "DRIVER: PATH/port0: MAC ..., link up|down" (or the error) under the
 *  name @a driver. @a nic must live as long as the driver. */
_NODISCARD errno_t drv_nic_expose(drv_dev_t *dev, nic_srv_t *nic, const char *driver);

#endif
