/*
 * drv_nic.h: exposing a NIC driver's card.
 */
#include <drv_nic.h>
#include <stdio.h>
#include <string.h>

static void nic_fun_connection(ipc_call_t *icall, void *arg)
{
	nic_srv_conn(icall, arg);
}

errno_t drv_nic_expose(drv_dev_t *dev, nic_srv_t *nic, const char *driver)
{
	errno_t rc = drv_fun_expose(
	    dev, "port0", NIC_CATEGORY, nic_fun_connection, nic, NULL);
	if (rc != EOK) {
		printf("%s: %s: %s\n", driver, drv_dev_path(dev), strerror(rc));
		return rc;
	}
	const uint8_t *m = nic->mac;
	printf("%s: %s/port0: MAC %02x:%02x:%02x:%02x:%02x:%02x, link %s\n", driver,
	    drv_dev_path(dev), m[0], m[1], m[2], m[3], m[4], m[5],
	    nic->link_up ? "up" : "down");
	return EOK;
}
