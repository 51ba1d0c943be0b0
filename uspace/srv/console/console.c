/*
 * console: entry point and client connections.
 *
 * Usage: console [SERVICE]. Without SERVICE the devices come from the
 * location service's categories (devices.c); with it, the naming-service
 * character device SERVICE (e.g. serial0) is the one device. Needs
 * PERM_TASK for Ctrl-C. Registers "console" for CHARDEV_IFACE in the naming
 * service and, without SERVICE, "term/console" (category "console") in the
 * location service, which makes it the file /loc/term/console (the shell
 * hands it to programs as their stdin, stdout and stderr). Reports ready
 * (task_retval(0)) once it has its devices (or waited for them).
 *
 * Each client connection runs in a fibril of its own; the terminal's state
 * is input.c's and output.c's, under their locks (order in console.h).
 */
#include "console.h"
#include <chardev_srv.h>
#include <abi/chardev.h>
#include <loc.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <getopt.h>

#define USAGE "[SERVICE] (a server; init starts it, as /cfg/init.conf says)"

static const chardev_ops_t console_ops = {
    .read = input_read, .write = output_write, .unread = input_unread};

/** Handles one call; false when the client hung up. */
static bool console_call(ipc_call_t *call)
{
	switch (call->imethod) {
	case 0:
		return false;
	case TERM_SET_MODE:
		DISCARD(answer,
		    async_answer_0(call, input_set_mode((unsigned) call->args[0])));
		break;
	case TERM_GET_MODE:
		DISCARD(answer, async_answer_1(call, EOK, input_get_mode()));
		break;
	case TERM_SET_FOREGROUND:
		input_set_foreground(call->args[0]);
		DISCARD(answer, async_answer_0(call, EOK));
		break;
	case TERM_ADD_FOREGROUND:
		DISCARD(
		    answer, async_answer_0(call, input_add_foreground(call->args[0])));
		break;
	default:
		if (!chardev_srv_call(call, &console_ops))
			DISCARD(answer, async_answer_0(call, ENOTSUP));
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

/** Finds the devices: those of the locsrv categories, or naming-service
 *  device @a service alone if it is not NULL. */
static errno_t console_devices(const char *service)
{
	if (service != NULL)
		return devices_start_ns(service);
	return devices_start_loc();
}

/** Makes the terminal the service term/console of the location service. */
static errno_t console_register_loc(void)
{
	errno_t rc = loc_server_register(NAME, console_connection, NULL);
	loc_id_t id;
	if (rc == EOK)
		rc = loc_service_register(LOC_TERMINAL_NAME, &id);
	category_id_t cat;
	if (rc == EOK)
		rc = loc_category_get_id(LOC_TERMINAL_CATEGORY, &cat, LOC_FLAG_BLOCKING);
	if (rc == EOK)
		rc = loc_service_add_to_cat(id, cat);
	return rc;
}

int main(int argc, char **argv)
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	if (argc > 2) {
		printf("usage: %s [SERVICE]\n", NAME);
		return 1;
	}
	const char *service = argc > 1 ? argv[1] : NULL;
	errno_t rc = console_devices(service);
	if (rc != EOK) {
		printf("%s: cannot connect to %s: %s\n", NAME,
		    service != NULL ? service : "the location service", str_error(rc));
		return 1;
	}
	rc = service_register(
	    service_id_from_name(NAME), CHARDEV_IFACE, console_connection, NULL);
	if (rc == EOK && service == NULL)
		rc = console_register_loc();
	if (rc != EOK) {
		printf("%s: cannot register: %s\n", NAME, str_error(rc));
		return 2;
	}
	rc = task_retval(0);
	if (rc != EOK)
		printf("%s: cannot report ready: %s\n", NAME, str_error(rc));
	async_manager();
}
