/*
 * IPC_M_DATA_READ: the caller asks the receiver for bytes.
 *   request:  args[0] = destination address, args[1] = maximum size (<= IPC_DATA_MAX)
 *   received: args[0] = 0, args[1] = maximum size
 *   answer:   EOK, args[0] = source address, args[1] = size (<= maximum)
 *   caller:   args[1] = bytes delivered
 * The receiver's bytes are copied into a kernel buffer in its context and
 * out to the caller when the caller picks the answer up. An answer with
 * bytes to a caller that has gone fails with EHANGUP (the caller gets
 * nothing), so the receiver knows the bytes reached nobody and can keep
 * them for its next reader (a device driver's input).
 */
#include <ipc/methods.h>
#include <uaccess.h>

static errno_t dr_request_preprocess(call_t *call)
{
	size_t size = call->data.args[1];
	if (size > IPC_DATA_MAX)
		return ELIMIT;
	if (!uspace_range_ok(call->data.args[0], size))
		return EBADMEM;
	call->buffer_size = size;
	/* Keep the destination where the receiver cannot see it. */
	call->user_addr = call->data.args[0];
	call->data.args[0] = 0;
	return EOK;
}

/** Whether the caller's task is dying: its box takes no more answers. The
 *  box lives while the call does. Its flag (written under the box's lock)
 *  is read without it: a caller that dies just after the check loses the
 *  bytes as it did before, and the answer path takes no extra lock. */
static bool dr_caller_gone(call_t *call)
{
	answerbox_t *box = call->caller_box;
	if (box == NULL)
		return false; /* a kernel-sent call: nobody to lose bytes to */
	return !__atomic_load_n(&box->active, __ATOMIC_ACQUIRE);
}

static errno_t dr_answer_preprocess(call_t *call)
{
	if ((errno_t) call->data.method != EOK)
		return EOK;
	if (call->data.args[1] > 0 && dr_caller_gone(call))
		return EHANGUP;
	size_t size = call->data.args[1];
	if (size > call->buffer_size)
		return EINVAL;
	return transfer_buffer_fill(call, call->data.args[0], size);
}

static void dr_answer_process(call_t *call, ipc_event_t *ev)
{
	if ((errno_t) ev->imethod != EOK)
		return;
	errno_t rc = copy_to_uspace(call->user_addr, call->buffer, call->buffer_size);
	if (rc != EOK)
		ev->imethod = (sysarg_t) rc;
	ev->args[0] = 0;
	ev->args[1] = call->buffer_size;
}

const ipc_method_ops_t ipc_m_data_read_ops = {
    .request_preprocess = dr_request_preprocess,
    .answer_preprocess = dr_answer_preprocess,
    .answer_process = dr_answer_process,
    .cleanup = transfer_cleanup,
    .forwardable = true,
    .sendable = true,
};
