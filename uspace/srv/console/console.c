/*
 * console: entry point and client connections.
 *
 * Usage: console [SERIAL], by default serial0 (a character-device service).
 * Needs PERM_TASK for Ctrl-C. Registers "console" for CHARDEV_IFACE and
 * reports ready (task_retval(0)) once connected to the device.
 *
 * Each client connection runs in a fibril of its own; the terminal's state
 * is input.c's and output.c's, under their locks (order in console.h).
 */
#include "console.h"
#include <chardev_srv.h>
#include <abi/chardev.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define DEFAULT_SERIAL "serial0"

static const chardev_ops_t console_ops = {.read = input_read, .write = output_write};

/** Handles one call; false when the client hung up. */
static bool console_call(ipc_call_t *call)
{
	switch (call->imethod) {
	case 0:
		return false;
	case TERM_SET_MODE:
		async_answer_0(call, input_set_mode((unsigned) call->args[0]));
		break;
	case TERM_GET_MODE:
		async_answer_1(call, EOK, input_get_mode());
		break;
	case TERM_SET_FOREGROUND:
		input_set_foreground(call->args[0]);
		async_answer_0(call, EOK);
		break;
	default:
		if (!chardev_srv_call(call, &console_ops))
			async_answer_0(call, ENOTSUP);
		break;
	}
	return true;
}

static void console_connection(ipc_call_t *icall, void *arg)
{
	if (async_accept_0(icall) != EOK)
		return;
	ipc_call_t call;
	while (async_get_call(&call) && console_call(&call))
		;
}

/** Two sessions to the device: input blocks in reads on one of them. */
static errno_t console_connect(const char *name)
{
	service_id_t sid = service_id_from_name(name);
	errno_t rc;
	async_sess_t *in = service_connect_blocking(sid, CHARDEV_IFACE, 0, &rc);
	if (in == NULL)
		return rc;
	async_sess_t *out = service_connect_blocking(sid, CHARDEV_IFACE, 0, &rc);
	if (out == NULL) {
		async_hangup(in);
		return rc;
	}
	output_init(out);
	return input_start(in);
}

int main(int argc, char **argv)
{
	const char *serial = argc > 1 ? argv[1] : DEFAULT_SERIAL;
	errno_t rc = console_connect(serial);
	if (rc != EOK) {
		printf("%s: cannot connect to %s: %s\n", NAME, serial, str_error(rc));
		return 1;
	}
	rc = service_register(
	    service_id_from_name(NAME), CHARDEV_IFACE, console_connection, NULL);
	if (rc != EOK) {
		printf("%s: cannot register: %s\n", NAME, str_error(rc));
		return 2;
	}
	rc = task_retval(0);
	if (rc != EOK)
		printf("%s: cannot report ready: %s\n", NAME, str_error(rc));
	async_manager();
}
