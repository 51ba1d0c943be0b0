/*
 * The child servers of loctest. Every connection the location service
 * forwards reaches child_connection(): LOCTEST_IFACE answers which service
 * it was for; CHARDEV_IFACE is an echo device (what is written is read
 * back) on test/alpha only.
 */
#include "loctest.h"
#include <abi/chardev.h>
#include <fibril.h>
#include <stdlib.h>

#define ECHO_MAX 4096

static loc_id_t alpha_id;
static char echo_buf[ECHO_MAX];
static size_t echo_len;

static void echo_write(ipc_call_t *call)
{
	void *data;
	size_t len;
	errno_t rc = async_data_write_accept(&data, false, 0, ECHO_MAX, 0, &len);
	if (rc == EOK) {
		memcpy(echo_buf, data, len);
		echo_len = len;
		free(data);
	}
	DISCARD(answer, async_answer_1(call, rc, rc == EOK ? len : 0));
}

static void echo_read(ipc_call_t *call)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive_for(call, &rcall, &size))
		return;
	if (echo_len == 0) {
		DISCARD(answer, async_answer_0(&rcall, EAGAIN));
		DISCARD(answer, async_answer_0(call, EAGAIN));
		return;
	}
	size_t n = echo_len < size ? echo_len : size;
	errno_t rc = async_data_read_finalize(&rcall, echo_buf, n);
	echo_len = 0;
	DISCARD(answer, async_answer_1(call, rc, n));
}

/** Serves one forwarded connection for @a iface to service @a id. */
static void serve(iface_t iface, loc_id_t id)
{
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			return;
		if (iface == LOCTEST_IFACE && call.imethod == LOCTEST_WHO)
			DISCARD(answer, async_answer_1(&call, EOK, id));
		else if (iface == CHARDEV_IFACE && call.imethod == CHARDEV_WRITE)
			echo_write(&call);
		else if (iface == CHARDEV_IFACE && call.imethod == CHARDEV_READ)
			echo_read(&call);
		else
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
	}
}

static void child_connection(ipc_call_t *icall, void *arg)
{
	iface_t iface = icall->args[0];
	loc_id_t id = icall->args[2];
	bool ok = iface == LOCTEST_IFACE || (iface == CHARDEV_IFACE && id == alpha_id);
	if (!ok) {
		DISCARD(answer, async_answer_0(icall, ENOTSUP));
		return;
	}
	if (async_accept_0(icall) == EOK)
		serve(iface, id);
}

static int child_server(void)
{
	loc_id_t id;
	category_id_t cat;
	if (loc_server_register("loctest-child", child_connection, NULL) != EOK)
		return 2;
	if (loc_service_register("test/alpha", &alpha_id) != EOK ||
	    loc_service_register("test/beta", &id) != EOK ||
	    loc_service_register("plain", &id) != EOK)
		return 3;
	if (loc_category_get_id("testcat", &cat, LOC_FLAG_BLOCKING) != EOK ||
	    loc_service_add_to_cat(alpha_id, cat) != EOK)
		return 4;
	if (loc_service_register("test/ready", &id) != EOK)
		return 5;
	async_manager(); /* until killed */
}

static int child_late(void)
{
	fibril_usleep(300000);
	loc_id_t id;
	if (loc_server_register("loctest-late", child_connection, NULL) != EOK ||
	    loc_service_register("test/late", &id) != EOK)
		return 2;
	async_manager();
}

int child_main(const char *mode)
{
	if (strcmp(mode, "server") == 0)
		return child_server();
	if (strcmp(mode, "late") == 0)
		return child_late();
	return 1;
}
