/*
 * i8042: the driver's entry point, its interrupt handler and its clients.
 *
 * devman starts it for the device "isa/i8042" with the resources IO data
 * port, IO command/status port, IRQ keyboard, IRQ mouse (the mouse's are
 * not used). It exposes function "kbd" in category "keyboard", serving
 * CHARDEV_READ (typed bytes) and KBD_GET_EVENT (key events), abi/kbd.h.
 *
 * The translator state is the interrupt handler's alone: the IRQ program
 * masks the keyboard until the handler has re-enabled it, so handlers never
 * run at the same time.
 */
#include "i8042.h"
#include <abi/kbd.h>
#include <async.h>
#include <chardev_srv.h>
#include <ddi.h>
#include <drv.h>
#include <stdio.h>
#include <string.h>

#define RES_DATA_PORT 0 /* the nth HWRES_IO resource */
#define RES_CTL_PORT  1
#define RES_KBD_IRQ   0 /* the nth HWRES_IRQ resource */

static i8042_ports_t ports;
static int kbd_irq;
static kbd_xlat_t xlat;

/** The notification of an accepted interrupt: args[0] the byte the IRQ
 *  program read, the keyboard now masked. */
static void i8042_irq(ipc_call_t *call, void *arg)
{
	if (call->label > 1)
		printf("%s: %llu scancodes lost\n", NAME,
		    (unsigned long long) (call->label - 1));
	kbd_event_t ev;
	if (kbd_xlat_feed(&xlat, (uint8_t) call->args[0], &ev))
		kbd_queue_push(&ev);
	errno_t rc = i8042_kbd_enable(&ports);
	if (rc != EOK)
		printf("%s: cannot re-enable the keyboard: %s\n", NAME, strerror(rc));
}

static errno_t kbd_write(const uint8_t *buf, size_t size)
{
	return ENOTSUP; /* a keyboard is input only */
}

static const chardev_ops_t kbd_chardev_ops = {
    .read = kbd_queue_read_bytes,
    .write = kbd_write,
    .unread = kbd_queue_unread_bytes,
};

static void kbd_answer_event(ipc_call_t *call)
{
	kbd_event_t ev;
	errno_t rc = kbd_queue_get_event((call->args[0] & KBD_NONBLOCK) != 0, &ev);
	if (rc != EOK)
		DISCARD(answer, async_answer_0(call, rc));
	else
		DISCARD(answer,
		    async_answer_4(call, EOK, ev.type, ev.key, ev.mods, (uint8_t) ev.c));
}

static bool kbd_call(ipc_call_t *call)
{
	if (call->imethod != KBD_GET_EVENT)
		return false;
	kbd_answer_event(call);
	return true;
}

/** One client: either interface, told apart by the method numbers. */
static void kbd_connection(ipc_call_t *icall, void *arg)
{
	chardev_srv_conn(icall, &kbd_chardev_ops, kbd_call);
}

/** Enables the I/O range of the @a nth HWRES_IO resource of @a dev, which
 *  must be one port; its number in *@a port. */
static errno_t i8042_port(drv_dev_t *dev, size_t nth, uint16_t *port)
{
	const hw_resource_t *io = drv_dev_find_resource(dev, HWRES_IO, nth);
	if (io == NULL || io->size != 1 || io->base > UINT16_MAX)
		return ENOENT;
	*port = (uint16_t) io->base;
	return iospace_enable((uint32_t) io->base, 1);
}

/** Sets up the controller and starts taking its keyboard interrupts (the
 *  keyboard itself still disabled). */
static errno_t i8042_start(drv_dev_t *dev)
{
	errno_t rc = i8042_port(dev, RES_DATA_PORT, &ports.data);
	if (rc == EOK)
		rc = i8042_port(dev, RES_CTL_PORT, &ports.ctl);
	const hw_resource_t *irq = drv_dev_find_resource(dev, HWRES_IRQ, RES_KBD_IRQ);
	if (rc == EOK && irq == NULL)
		rc = ENOENT;
	if (rc == EOK)
		rc = i8042_ctl_init(&ports);
	if (rc != EOK)
		return rc;
	kbd_irq = (int) irq->base;
	i8042_irq_prog_t prog;
	i8042_irq_prog_build(&ports, &prog);
	cap_handle_t handle;
	return async_irq_subscribe(
	    kbd_irq, i8042_irq, NULL, prog.cmds, prog.count, &handle);
}

static errno_t i8042_dev_add(drv_dev_t *dev)
{
	errno_t rc = i8042_start(dev);
	if (rc != EOK) {
		printf("%s: no controller at %s: %s\n", NAME, drv_dev_path(dev),
		    strerror(rc));
		return rc;
	}
	rc = drv_fun_expose(dev, "kbd", "keyboard", kbd_connection, NULL, NULL);
	if (rc == EOK)
		rc = i8042_kbd_enable(&ports);
	if (rc == EOK)
		printf("%s: keyboard at %#x/%#x, irq %d\n", NAME, ports.data, ports.ctl,
		    kbd_irq);
	return rc;
}

int main(int argc, char **argv)
{
	static const driver_ops_t ops = {.name = NAME, .dev_add = i8042_dev_add};
	return drv_main(&ops, argc, argv);
}
