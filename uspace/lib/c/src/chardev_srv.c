/*
 * The server side of the character-device protocol (chardev_srv.h).
 */
#include <chardev_srv.h>
#include <stdlib.h>

/** CHARDEV_READ (flags) + DATA_READ -> (bytes). */
static void serve_read(ipc_call_t *call, const chardev_ops_t *ops)
{
	ipc_call_t dcall;
	size_t size;
	if (!async_data_read_receive_for(call, &dcall, &size))
		return;
	uint8_t buf[CHARDEV_SRV_READ_MAX];
	if (size > sizeof(buf))
		size = sizeof(buf);
	size_t got = 0;
	errno_t rc = EOK;
	if (ops->read == NULL)
		rc = ENOTSUP;
	else if (size > 0)
		rc = ops->read(buf, size, call->args[0] & CHARDEV_NONBLOCK, &got);
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(&dcall, rc));
		DISCARD(answer, async_answer_0(call, rc));
		return;
	}
	rc = async_data_read_finalize(&dcall, buf, got);
	if (rc == EHANGUP && ops->unread != NULL)
		ops->unread(buf, got); /* the reader has gone: keep its bytes */
	DISCARD(answer, async_answer_1(call, rc, rc == EOK ? got : 0));
}

/** CHARDEV_WRITE + DATA_WRITE -> (bytes). */
static void serve_write(ipc_call_t *call, const chardev_ops_t *ops)
{
	void *data;
	size_t size;
	errno_t rc = async_data_write_accept(&data, false, 0, IPC_DATA_MAX, 0, &size);
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(call, rc));
		return;
	}
	rc = ops->write != NULL ? ops->write(data, size) : ENOTSUP;
	free(data);
	DISCARD(answer, async_answer_1(call, rc, rc == EOK ? size : 0));
}

bool chardev_srv_call(ipc_call_t *call, const chardev_ops_t *ops)
{
	if (call->imethod == CHARDEV_READ)
		serve_read(call, ops);
	else if (call->imethod == CHARDEV_WRITE)
		serve_write(call, ops);
	else
		return false;
	return true;
}

void chardev_srv_conn(
    ipc_call_t *icall, const chardev_ops_t *ops, bool (*other)(ipc_call_t *call))
{
	if (async_accept_0(icall) != EOK)
		return;
	for (;;) {
		ipc_call_t call;
		if (!async_get_call(&call) || call.imethod == 0)
			return;
		if (other != NULL && other(&call))
			continue;
		if (!chardev_srv_call(&call, ops))
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
	}
}
