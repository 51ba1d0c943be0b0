/*
 * ns16550: the driver's entry point and its server side.
 *
 * Usage: ns16550 [PORT [IRQ [SERVICE]]], by default 0x3f8 4 serial0. Needs
 * PERM_IO and PERM_IRQ. Registers SERVICE for CHARDEV_IFACE and reports
 * ready (task_retval(0)) once interrupts flow.
 *
 * Every client connection runs in its own fibril: CHARDEV_READ waits in
 * rx_read (rx.c), CHARDEV_WRITE transmits under tx_lock, so one client's
 * waiting read never holds up another's write.
 */
#include "ns16550.h"
#include <abi/chardev.h>
#include <async.h>
#include <chardev_srv.h>
#include <fibril_synch.h>
#include <ipc.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define DEFAULT_PORT	 0x3f8
#define DEFAULT_IRQ	 4
#define DEFAULT_SERVICE	 "serial0"
#define SERVICE_NAME_MAX 8  /* what a service id holds */
#define DRAIN_MAX	 64 /* bytes the handler polls per interrupt */

typedef struct {
	uint16_t port;
	int irq;
	const char *service;
} ns16550_conf_t;

static ns16550_conf_t conf;
static FIBRIL_MUTEX_INITIALIZE(tx_lock);

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

static errno_t tx_write(const uint8_t *buf, size_t size)
{
	fibril_mutex_lock(&tx_lock);
	uart_write(conf.port, buf, size);
	fibril_mutex_unlock(&tx_lock);
	return EOK;
}

static const chardev_ops_t ns16550_ops = {.read = rx_read, .write = tx_write};

static void ns16550_connection(ipc_call_t *icall, void *arg)
{
	if (async_accept_0(icall) != EOK)
		return;
	for (;;) {
		ipc_call_t call;
		if (!async_get_call(&call) || call.imethod == 0)
			return;
		if (!chardev_srv_call(&call, &ns16550_ops))
			async_answer_0(&call, ENOTSUP);
	}
}

/** Makes the device reachable by name. The one place that knows where
 *  devices are registered (the naming service, until the location service
 *  takes over). */
static errno_t ns16550_register(const char *name)
{
	return service_register(
	    service_id_from_name(name), CHARDEV_IFACE, ns16550_connection, NULL);
}

static errno_t parse_number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (*s == '\0' || *end != '\0' || v > max)
		return EINVAL;
	*out = v;
	return EOK;
}

static errno_t parse_args(int argc, char **argv, ns16550_conf_t *c)
{
	unsigned long port = DEFAULT_PORT, irq = DEFAULT_IRQ;
	c->service = DEFAULT_SERVICE;
	if (argc > 4)
		return EINVAL;
	if (argc > 1 && parse_number(argv[1], 0xfff8, &port) != EOK)
		return EINVAL;
	if (argc > 2 && parse_number(argv[2], 255, &irq) != EOK)
		return EINVAL;
	if (argc > 3)
		c->service = argv[3];
	size_t len = strlen(c->service);
	if (len == 0 || len > SERVICE_NAME_MAX)
		return EINVAL;
	c->port = (uint16_t) port;
	c->irq = (int) irq;
	return EOK;
}

/** Programs the chip and starts taking its interrupts. */
static errno_t ns16550_start(void)
{
	errno_t rc = uart_init(conf.port);
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

int main(int argc, char **argv)
{
	if (parse_args(argc, argv, &conf) != EOK) {
		printf("usage: %s [PORT [IRQ [SERVICE]]] (SERVICE: 1..8 characters)\n",
		    NAME);
		return 1;
	}
	errno_t rc = ns16550_start();
	if (rc != EOK) {
		printf("%s: no UART at %#x irq %d: %s\n", NAME, conf.port, conf.irq,
		    str_error(rc));
		return 2;
	}
	rc = ns16550_register(conf.service);
	if (rc != EOK) {
		printf("%s: cannot register %s: %s\n", NAME, conf.service, str_error(rc));
		return 3;
	}
	printf("%s: %s at %#x, irq %d\n", NAME, conf.service, conf.port, conf.irq);
	rc = task_retval(0);
	if (rc != EOK)
		printf("%s: cannot report ready: %s\n", NAME, str_error(rc));
	async_manager();
}
