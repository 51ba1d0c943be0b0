/*
 * IPC_M_DATA_WRITE: the caller sends bytes to the receiver. The kernel copies
 * them twice (caller -> kernel buffer at send, buffer -> receiver at answer);
 * the receiver chooses where they land.
 *   request:  args[0] = source address, args[1] = size (at most IPC_DATA_MAX)
 *   received: args[0] = 0, args[1] = size
 *   answer:   EOK, args[0] = destination, args[1] = bytes accepted (<= size)
 */
#include <ipc/methods.h>
#include <uaccess.h>

static errno_t dw_request_preprocess(call_t *call)
{
	size_t size = call->data.args[1];
	if (size > IPC_DATA_MAX)
		return ELIMIT;
	errno_t rc = transfer_buffer_fill(call, call->data.args[0], size);
	call->data.args[0] = 0; /* the sender's address means nothing to the receiver */
	return rc;
}

static errno_t dw_answer_preprocess(call_t *call)
{
	if ((errno_t) call->data.method != EOK)
		return EOK;
	size_t size = call->data.args[1];
	if (size > call->buffer_size)
		return EINVAL;
	return copy_to_uspace(call->data.args[0], call->buffer, size);
}

const ipc_method_ops_t ipc_m_data_write_ops = {
    .request_preprocess = dw_request_preprocess,
    .answer_preprocess = dw_answer_preprocess,
    .cleanup = transfer_cleanup,
    .forwardable = true,
    .sendable = true,
};
