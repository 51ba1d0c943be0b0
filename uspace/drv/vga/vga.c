/*
 * vga: the driver's entry point and its server side.
 *
 * devman starts it for a VGA-compatible display controller (vga.ma: PCI
 * class 03, subclass 00) and grants it the legacy VGA ranges. It takes the
 * screen over from the kernel (which stops drawing there once the text
 * buffer is mapped), clears it and exposes function "screen" in category
 * "display" (protocol: abi/display.h).
 *
 * screen_lock guards the terminal and the hardware: every client
 * connection runs in its own fibril, and a write is drawn and shown
 * whole before another client's starts.
 */
#include "vga.h"
#include <abi/display.h>
#include <async.h>
#include <chardev_srv.h>
#include <drv.h>
#include <fibril_synch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FIBRIL_MUTEX_INITIALIZE(screen_lock);
static vt_t screen;
static vga_hw_t hw;

static errno_t vga_write(const uint8_t *buf, size_t size)
{
	fibril_mutex_lock(&screen_lock);
	vt_write(&screen, buf, size);
	vga_hw_show(&hw, &screen);
	fibril_mutex_unlock(&screen_lock);
	return EOK;
}

/** DISPLAY_GET_TEXT (row) + DATA_READ of DISPLAY_COLS bytes. */
static void vga_serve_get_text(ipc_call_t *call)
{
	ipc_call_t dcall;
	size_t size;
	errno_t rc = EOK;
	if (!async_data_read_receive(&dcall, &size) || size != DISPLAY_COLS ||
	    call->args[0] >= DISPLAY_ROWS)
		rc = EINVAL;
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(&dcall, rc));
		DISCARD(answer, async_answer_0(call, rc));
		return;
	}
	char text[DISPLAY_COLS];
	fibril_mutex_lock(&screen_lock);
	vt_row_text(&screen, (unsigned) call->args[0], text);
	fibril_mutex_unlock(&screen_lock);
	rc = async_data_read_finalize(&dcall, text, sizeof(text));
	DISCARD(answer, async_answer_0(call, rc));
}

static bool vga_call(ipc_call_t *call)
{
	if (call->imethod != DISPLAY_GET_TEXT)
		return false;
	vga_serve_get_text(call);
	return true;
}

/** A client: CHARDEV_WRITE draws, CHARDEV_READ gets ENOTSUP (a display has
 *  no input), DISPLAY_GET_TEXT reads a row back. */
static void vga_connection(ipc_call_t *icall, void *arg)
{
	static const chardev_ops_t ops = {.write = vga_write};
	chardev_srv_conn(icall, &ops, vga_call);
}

/** Takes the screen: checks the grants, maps it, shows a blank terminal. */
static errno_t vga_screen_start(drv_dev_t *dev)
{
	size_t n = drv_dev_resource_count(dev);
	hw_resource_t res[DEVMAN_RESOURCES];
	if (n > DEVMAN_RESOURCES)
		n = DEVMAN_RESOURCES;
	for (size_t i = 0; i < n; i++)
		res[i] = *drv_dev_resource(dev, i);
	if (!vga_hw_resources_ok(res, n))
		return ENOENT;
	errno_t rc = vga_hw_init(&hw);
	if (rc != EOK)
		return rc;
	vt_init(&screen);
	vga_hw_show(&hw, &screen);
	return EOK;
}

static errno_t vga_dev_add(drv_dev_t *dev)
{
	errno_t rc = vga_screen_start(dev);
	if (rc != EOK) {
		printf("%s: %s: no VGA text screen: %s\n", NAME, drv_dev_path(dev),
		    strerror(rc));
		return rc;
	}
	rc = drv_fun_expose(dev, "screen", DISPLAY_CATEGORY, vga_connection, NULL, NULL);
	if (rc != EOK)
		return rc;
	printf("%s: %s: text screen %dx%d\n", NAME, drv_dev_path(dev), VT_COLS, VT_ROWS);
	return EOK;
}

int main(int argc, char **argv)
{
	static const driver_ops_t ops = {.name = NAME, .dev_add = vga_dev_add};
	return drv_main(&ops, argc, argv);
}
