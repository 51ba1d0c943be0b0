/*
 * ns16550: the driver's entry point and its server side.
 *
 * Started by the device manager for a device with match id isa/ns16550:
 * drives the UART at the device's I/O range and IRQ (granted by devman),
 * exposed as function "a" in category "serial" (CHARDEV_IFACE).
 *
 * Every client connection runs in its own fibril: CHARDEV_READ waits in
 * rx_read (rx.c), CHARDEV_WRITE queues into the transmit ring (tx.c), so
 * one client's waiting read never holds up another's write.
 */
#include "ns16550.h"
#include <abi/chardev.h>
#include <async.h>
#include <chardev_srv.h>
#include <drv.h>
#include <fibril_synch.h>
#include <ipc.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define DRAIN_MAX 64 /* bytes the handler polls per interrupt */

typedef struct {
	uint16_t port;
	int irq;
} ns16550_conf_t;

static ns16550_conf_t conf;

/** The notification of an accepted interrupt: args[0..3] the bytes the IRQ
 *  program read, args[4] how many. Drains what else the FIFO holds, then
 *  unmasks the interrupt the program masked. */
static void ns16550_irq(ipc_call_t *call, void *arg)
{
	uint8_t buf[UART_RX_PER_IRQ + DRAIN_MAX];
	size_t n = call->args[4];
	if (n > UART_RX_PER_IRQ)
		n = UART_RX_PER_IRQ;
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t) call->args[i];
	while (n < sizeof(buf) && uart_rx_poll(conf.port, &buf[n]))
		n++;
	if (call->label > 1)
		rx_note_lost(call->label - 1);
	rx_push(buf, n);
	uart_rx_enable(conf.port);
}

static const chardev_ops_t ns16550_ops = {
    .read = rx_read, .write = tx_write, .unread = rx_unread};

static void ns16550_connection(ipc_call_t *icall, void *arg)
{
	chardev_srv_conn(icall, &ns16550_ops, NULL);
}

/** Programs the chip and starts taking its interrupts. */
static errno_t ns16550_start(void)
{
	errno_t rc = uart_init(conf.port);
	if (rc == EOK)
		rc = tx_start(conf.port);
	if (rc != EOK)
		return rc;
	uart_irq_prog_t prog;
	uart_irq_prog_build(conf.port, &prog);
	cap_handle_t handle;
	rc = async_irq_subscribe(
	    conf.irq, ns16550_irq, NULL, prog.cmds, prog.count, &handle);
	if (rc != EOK)
		return rc;
	uart_rx_enable(conf.port);
	return EOK;
}

/** Serves @a dev: the UART at its I/O range and IRQ, as function "a" in
 *  category "serial". */
static errno_t ns16550_dev_add(drv_dev_t *dev)
{
	const hw_resource_t *io = drv_dev_find_resource(dev, HWRES_IO, 0);
	const hw_resource_t *irq = drv_dev_find_resource(dev, HWRES_IRQ, 0);
	if (io == NULL || irq == NULL || io->size < UART_REG_COUNT)
		return ENOENT;
	conf.port = (uint16_t) io->base;
	conf.irq = (int) irq->base;
	errno_t rc = ns16550_start();
	if (rc != EOK) {
		printf("%s: no UART at %#x irq %d: %s\n", NAME, conf.port, conf.irq,
		    strerror(rc));
		return rc;
	}
	rc = drv_fun_expose(dev, "a", "serial", ns16550_connection, NULL, NULL);
	if (rc == EOK)
		printf("%s: %s/a at %#x, irq %d\n", NAME, drv_dev_path(dev), conf.port,
		    conf.irq);
	return rc;
}

static const driver_ops_t ns16550_driver = {.name = NAME, .dev_add = ns16550_dev_add};

int main(int argc, char **argv)
{
	return drv_main(&ns16550_driver, argc, argv);
}
