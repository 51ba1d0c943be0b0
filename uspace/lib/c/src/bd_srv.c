/*
 * The server side of the block-device protocol (bd_srv.h). Every call is
 * decoded and checked here before the device's functions run, so a bad
 * range, size or buffer is refused the same way by every driver. The
 * session's shared buffer belongs to the connection's fibril and is
 * unmapped when the client hangs up.
 */
#include <as.h>
#include <bd_srv.h>
#include <stdint.h>
#include <stdlib.h>

/* One connection's state: its shared buffer (NULL if none). */
typedef struct {
	const bd_srv_dev_t *dev;
	uint8_t *shared;
	size_t shared_size;
} bd_conn_t;

bool bd_srv_range_ok(
    size_t block_size, uint64_t block_count, uint64_t ba, uint64_t count, size_t bytes)
{
	if (count == 0 || ba >= block_count || count > block_count - ba)
		return false;
	if (count > SIZE_MAX / block_size)
		return false;
	return bytes == count * block_size;
}

/** BD_READ (ba, count) + DATA_READ. */
static void serve_read(ipc_call_t *call, const bd_srv_dev_t *dev)
{
	ipc_call_t dcall;
	size_t size;
	if (!async_data_read_receive_for(call, &dcall, &size))
		return;
	uint64_t ba = call->args[0], count = call->args[1];
	errno_t rc = EINVAL;
	void *buf = NULL;
	if (size <= IPC_DATA_MAX &&
	    bd_srv_range_ok(dev->block_size, dev->block_count, ba, count, size)) {
		buf = malloc(size);
		rc = buf == NULL ? ENOMEM : dev->ops->read(dev->dev, ba, count, buf);
	}
	if (rc == EOK)
		rc = async_data_read_finalize(&dcall, buf, size);
	else
		DISCARD(answer, async_answer_0(&dcall, rc));
	free(buf);
	DISCARD(answer, async_answer_0(call, rc));
}

/** BD_WRITE (ba, count) + DATA_WRITE. */
static void serve_write(ipc_call_t *call, const bd_srv_dev_t *dev)
{
	ipc_call_t dcall;
	size_t size;
	if (!async_data_write_receive_for(call, &dcall, &size))
		return;
	uint64_t ba = call->args[0], count = call->args[1];
	void *buf = NULL;
	errno_t rc = EINVAL;
	if (size <= IPC_DATA_MAX &&
	    bd_srv_range_ok(dev->block_size, dev->block_count, ba, count, size)) {
		buf = malloc(size);
		rc = buf == NULL ? ENOMEM : EOK;
	}
	if (rc == EOK)
		rc = async_data_write_finalize(&dcall, buf, size);
	else
		DISCARD(answer, async_answer_0(&dcall, rc));
	if (rc == EOK)
		rc = dev->ops->write(dev->dev, ba, count, buf);
	free(buf);
	DISCARD(answer, async_answer_0(call, rc));
}

/** BD_SHARE + SHARE_OUT: replaces the connection's shared buffer. */
static void serve_share(ipc_call_t *call, bd_conn_t *conn)
{
	ipc_call_t scall;
	size_t size;
	unsigned flags;
	if (!async_share_out_receive(&scall, &size, &flags)) {
		DISCARD(answer, async_answer_0(&scall, EINVAL));
		DISCARD(answer, async_answer_0(call, EINVAL));
		return;
	}
	errno_t rc = EOK;
	if (size == 0 || size > BD_SHARED_MAX ||
	    (flags & (AS_AREA_READ | AS_AREA_WRITE)) != (AS_AREA_READ | AS_AREA_WRITE))
		rc = EINVAL;
	void *dst = NULL;
	if (rc == EOK)
		rc = async_share_out_finalize(&scall, &dst);
	else
		DISCARD(answer, async_answer_0(&scall, rc));
	if (rc == EOK) {
		if (conn->shared != NULL)
			DISCARD(best_effort, as_area_destroy((uintptr_t) conn->shared));
		conn->shared = dst;
		conn->shared_size = size;
	}
	DISCARD(answer, async_answer_0(call, rc));
}

/** BD_READ_SHARED / BD_WRITE_SHARED (ba, count, offset). */
static void serve_shared_io(ipc_call_t *call, bd_conn_t *conn, bool write)
{
	const bd_srv_dev_t *dev = conn->dev;
	uint64_t ba = call->args[0], count = call->args[1], offset = call->args[2];
	errno_t rc = EINVAL;
	if (conn->shared != NULL && offset < conn->shared_size && count > 0 &&
	    count <= (conn->shared_size - offset) / dev->block_size &&
	    bd_srv_range_ok(
		dev->block_size, dev->block_count, ba, count, count * dev->block_size)) {
		uint8_t *buf = conn->shared + offset;
		rc = write ? dev->ops->write(dev->dev, ba, count, buf)
			   : dev->ops->read(dev->dev, ba, count, buf);
	}
	DISCARD(answer, async_answer_0(call, rc));
}

static void serve_call(ipc_call_t *call, bd_conn_t *conn)
{
	const bd_srv_dev_t *dev = conn->dev;
	switch (call->imethod) {
	case BD_GET_INFO:
		DISCARD(
		    answer, async_answer_2(call, EOK, dev->block_size, dev->block_count));
		break;
	case BD_READ:
		serve_read(call, dev);
		break;
	case BD_WRITE:
		serve_write(call, dev);
		break;
	case BD_SYNC:
		DISCARD(answer,
		    async_answer_0(
			call, dev->ops->sync != NULL ? dev->ops->sync(dev->dev) : EOK));
		break;
	case BD_SHARE:
		serve_share(call, conn);
		break;
	case BD_READ_SHARED:
	case BD_WRITE_SHARED:
		serve_shared_io(call, conn, call->imethod == BD_WRITE_SHARED);
		break;
	default:
		DISCARD(answer, async_answer_0(call, ENOTSUP));
		break;
	}
}

void bd_srv_conn(ipc_call_t *icall, const bd_srv_dev_t *dev)
{
	if (async_accept_0(icall) != EOK)
		return;
	bd_conn_t conn = {.dev = dev};
	for (;;) {
		ipc_call_t call;
		if (!async_get_call(&call) || call.imethod == 0)
			break;
		serve_call(&call, &conn);
	}
	if (conn.shared != NULL)
		DISCARD(best_effort, as_area_destroy((uintptr_t) conn.shared));
}
