/*
 * Data transfers, sharing and state changes: the client side of each
 * (a call and its answer's verdict) and the server side (receive the next
 * call if it is of that kind, then finalize it with the answer the kernel
 * method expects; see docs/ipc.md).
 */
#include "private/async.h"
#include <stdlib.h>
#include <string.h>

static const sysarg_t no_args[IPC_CALL_ARGS];

errno_t async_data_write_start(async_exch_t *exch, const void *src, size_t size)
{
	if (size > IPC_DATA_MAX)
		return ELIMIT;
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) src, size};
	ipc_call_t answer;
	return async_req_call(exch, IPC_M_DATA_WRITE, args, &answer);
}

aid_t async_data_read(async_exch_t *exch, void *dst, size_t size, ipc_call_t *dataptr)
{
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) dst, size};
	return async_send_args(exch, IPC_M_DATA_READ, args, dataptr);
}

errno_t async_data_read_start(async_exch_t *exch, void *dst, size_t size)
{
	if (size > IPC_DATA_MAX)
		return ELIMIT;
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) dst, size};
	ipc_call_t answer;
	return async_req_call(exch, IPC_M_DATA_READ, args, &answer);
}

errno_t async_req_steps(async_exch_t *exch, sysarg_t imethod,
    const sysarg_t args[IPC_CALL_ARGS], const async_step_t *steps, size_t count,
    ipc_call_t *answer)
{
	aid_t aid = async_send_args(exch, imethod, args, answer);
	if (aid == 0)
		return ENOMEM;
	errno_t step_rc = EOK;
	for (size_t i = 0; i < count && step_rc == EOK; i++)
		step_rc = steps[i].fn(exch, steps[i].arg);
	errno_t rc;
	async_wait_for(aid, &rc);
	return rc != EOK ? rc : step_rc;
}

errno_t async_step_write(async_exch_t *exch, void *arg)
{
	async_step_data_t *d = arg;
	return async_data_write_start(exch, d->buf, d->size);
}

errno_t async_step_read(async_exch_t *exch, void *arg)
{
	async_step_data_t *d = arg;
	if (d->size > IPC_DATA_MAX)
		return ELIMIT;
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) d->buf, d->size};
	ipc_call_t answer;
	errno_t rc = async_req_call(exch, IPC_M_DATA_READ, args, &answer);
	d->done = rc == EOK ? answer.args[1] : 0;
	return rc;
}

errno_t async_step_callback(async_exch_t *exch, void *arg)
{
	async_step_callback_t *cb = arg;
	return async_create_callback_port(
	    exch, cb->iface, 0, 0, cb->handler, cb->data, NULL);
}

/** A one-step request of @a imethod (@a arg1, @a arg2): its answer's first
 *  argument in *@a out unless NULL. */
static errno_t req_one_step(async_exch_t *exch, sysarg_t imethod, sysarg_t arg1,
    sysarg_t arg2, async_step_t step, sysarg_t *out)
{
	const sysarg_t args[IPC_CALL_ARGS] = {arg1, arg2};
	ipc_call_t answer;
	errno_t rc = async_req_steps(exch, imethod, args, &step, 1, &answer);
	if (rc == EOK && out != NULL)
		*out = answer.args[0];
	return rc;
}

errno_t async_req_write(async_exch_t *exch, sysarg_t imethod, sysarg_t arg1,
    sysarg_t arg2, const void *src, size_t size, sysarg_t *out)
{
	async_step_data_t d = {.buf = (void *) src, .size = size};
	return req_one_step(
	    exch, imethod, arg1, arg2, (async_step_t){async_step_write, &d}, out);
}

errno_t async_req_read(async_exch_t *exch, sysarg_t imethod, sysarg_t arg1, sysarg_t arg2,
    void *dst, size_t size, size_t *got, sysarg_t *out)
{
	async_step_data_t d = {.buf = dst, .size = size};
	errno_t rc = req_one_step(
	    exch, imethod, arg1, arg2, (async_step_t){async_step_read, &d}, out);
	if (rc == EOK && got != NULL)
		*got = d.done;
	return rc;
}

/** Takes the next call; true if its method is @a method. */
static bool receive(ipc_call_t *call, sysarg_t method)
{
	async_get_call(call);
	return call->imethod == method;
}

bool async_data_write_receive(ipc_call_t *call, size_t *size)
{
	if (!receive(call, IPC_M_DATA_WRITE))
		return false;
	if (size != NULL)
		*size = call->args[1];
	return true;
}

errno_t async_data_write_finalize(ipc_call_t *call, void *dst, size_t size)
{
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) dst, size};
	return async_answer_args(call, EOK, args);
}

/** Why a write of @a size bytes is refused (EOK: it is not). */
static errno_t write_size_check(
    size_t size, size_t min_size, size_t max_size, size_t granularity)
{
	if (max_size != 0 && size > max_size)
		return ELIMIT;
	if (size < min_size || (granularity != 0 && size % granularity != 0))
		return EINVAL;
	return EOK;
}

errno_t async_data_write_accept(void **data, bool nullterm, size_t min_size,
    size_t max_size, size_t granularity, size_t *received)
{
	ipc_call_t call;
	size_t size;
	if (!async_data_write_receive(&call, &size)) {
		DISCARD(answer, async_answer_args(&call, EINVAL, no_args));
		return EINVAL;
	}
	errno_t rc = write_size_check(size, min_size, max_size, granularity);
	char *buf = rc == EOK ? malloc(size + (nullterm ? 1 : 0)) : NULL;
	if (rc == EOK && buf == NULL)
		rc = ENOMEM;
	if (rc != EOK) {
		DISCARD(answer, async_answer_args(&call, rc, no_args));
		return rc;
	}
	rc = async_data_write_finalize(&call, buf, size);
	if (rc != EOK) {
		free(buf);
		return rc;
	}
	if (nullterm)
		buf[size] = '\0';
	*data = buf;
	if (received != NULL)
		*received = size;
	return EOK;
}

bool async_data_read_receive(ipc_call_t *call, size_t *size)
{
	if (!receive(call, IPC_M_DATA_READ))
		return false;
	if (size != NULL)
		*size = call->args[1];
	return true;
}

/** The data transfer of @a method that must follow @a call into @a tcall;
 *  when the next call is something else, that call and @a call get EINVAL. */
static bool receive_for(
    ipc_call_t *call, ipc_call_t *tcall, sysarg_t method, size_t *size)
{
	if (receive(tcall, method)) {
		*size = tcall->args[1];
		return true;
	}
	DISCARD(answer, async_answer_0(tcall, EINVAL));
	DISCARD(answer, async_answer_0(call, EINVAL));
	return false;
}

bool async_data_write_receive_for(ipc_call_t *call, ipc_call_t *wcall, size_t *size)
{
	return receive_for(call, wcall, IPC_M_DATA_WRITE, size);
}

bool async_data_read_receive_for(ipc_call_t *call, ipc_call_t *rcall, size_t *size)
{
	return receive_for(call, rcall, IPC_M_DATA_READ, size);
}

errno_t async_data_read_finalize(ipc_call_t *call, const void *src, size_t size)
{
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) src, size};
	return async_answer_args(call, EOK, args);
}

/** Middleman: sends @a imethod to @a exch's server and forwards our client's
 *  next call (which must be a @a method transfer) along with it. */
static errno_t data_forward(sysarg_t method, async_exch_t *exch, sysarg_t imethod,
    const sysarg_t args[IPC_CALL_ARGS], ipc_call_t *dataptr)
{
	ipc_call_t call;
	if (!receive(&call, method)) {
		DISCARD(answer, async_answer_args(&call, EINVAL, no_args));
		return EINVAL;
	}
	ipc_call_t answer;
	aid_t req = async_send_args(exch, imethod, args, &answer);
	if (req == 0) {
		DISCARD(answer, async_answer_args(&call, ENOMEM, no_args));
		return ENOMEM;
	}
	errno_t rc = async_forward_args(&call, exch, 0, no_args, IPC_FF_ROUTE_FROM_ME);
	if (rc != EOK) {
		async_forget(req);
		DISCARD(answer,
		    async_answer_args(
			&call, rc, no_args)); /* if the kernel left it to us */
		return rc;
	}
	errno_t retval;
	async_wait_for(req, &retval);
	if (dataptr != NULL)
		*dataptr = answer;
	return retval;
}

errno_t async_data_write_forward_fast(async_exch_t *exch, sysarg_t imethod, sysarg_t arg1,
    sysarg_t arg2, sysarg_t arg3, sysarg_t arg4, ipc_call_t *dataptr)
{
	const sysarg_t args[IPC_CALL_ARGS] = {arg1, arg2, arg3, arg4};
	return data_forward(IPC_M_DATA_WRITE, exch, imethod, args, dataptr);
}

errno_t async_data_read_forward_fast(async_exch_t *exch, sysarg_t imethod, sysarg_t arg1,
    sysarg_t arg2, sysarg_t arg3, sysarg_t arg4, ipc_call_t *dataptr)
{
	const sysarg_t args[IPC_CALL_ARGS] = {arg1, arg2, arg3, arg4};
	return data_forward(IPC_M_DATA_READ, exch, imethod, args, dataptr);
}

errno_t async_share_in_forward_fast(async_exch_t *exch, sysarg_t imethod, sysarg_t arg1,
    sysarg_t arg2, sysarg_t arg3, sysarg_t arg4, ipc_call_t *dataptr)
{
	const sysarg_t args[IPC_CALL_ARGS] = {arg1, arg2, arg3, arg4};
	return data_forward(IPC_M_SHARE_IN, exch, imethod, args, dataptr);
}

errno_t async_share_in_start(
    async_exch_t *exch, size_t size, sysarg_t arg, unsigned flags, void **dst)
{
	const sysarg_t args[IPC_CALL_ARGS] = {AS_AREA_ANY, size, flags, arg};
	ipc_call_t answer;
	errno_t rc = async_req_call(exch, IPC_M_SHARE_IN, args, &answer);
	if (rc == EOK)
		*dst = (void *) answer.args[0];
	return rc;
}

bool async_share_in_receive(ipc_call_t *call, size_t *size, unsigned *flags)
{
	if (!receive(call, IPC_M_SHARE_IN))
		return false;
	if (size != NULL)
		*size = call->args[1];
	if (flags != NULL)
		*flags = (unsigned) call->args[2];
	return true;
}

errno_t async_share_in_finalize(ipc_call_t *call, void *src)
{
	return async_share_in_finalize_flags(call, src, 0);
}

errno_t async_share_in_finalize_flags(ipc_call_t *call, void *src, unsigned flags)
{
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) src, flags};
	return async_answer_args(call, EOK, args);
}

errno_t async_share_out_start(async_exch_t *exch, void *src, unsigned flags)
{
	const sysarg_t args[IPC_CALL_ARGS] = {(sysarg_t) src, flags};
	ipc_call_t answer;
	return async_req_call(exch, IPC_M_SHARE_OUT, args, &answer);
}

bool async_share_out_receive(ipc_call_t *call, size_t *size, unsigned *flags)
{
	if (!receive(call, IPC_M_SHARE_OUT))
		return false;
	if (size != NULL)
		*size = call->args[1];
	if (flags != NULL)
		*flags = (unsigned) call->args[2];
	return true;
}

errno_t async_share_out_finalize(ipc_call_t *call, void **dst)
{
	ipc_payload_t answer = {.method = EOK, .args = {AS_AREA_ANY}};
	errno_t rc = async_answer_payload(call, &answer);
	if (rc == EOK)
		*dst = (void *) answer.args[0];
	return rc;
}

errno_t async_state_change_start(async_exch_t *exch, sysarg_t arg1, sysarg_t arg2,
    sysarg_t arg3, async_exch_t *other_exch)
{
	if (other_exch == NULL)
		return EINVAL;
	const sysarg_t args[IPC_CALL_ARGS] = {other_exch->phone->cap, arg1, arg2, arg3};
	ipc_call_t answer;
	return async_req_call(exch, IPC_M_STATE_CHANGE_AUTHORIZE, args, &answer);
}

bool async_state_change_receive(ipc_call_t *call, sysarg_t *other_label)
{
	if (!receive(call, IPC_M_STATE_CHANGE_AUTHORIZE))
		return false;
	if (other_label != NULL)
		*other_label = call->args[0];
	return true;
}
