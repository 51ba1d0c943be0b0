/*
 * IPC_M_SHARE_OUT: the caller shares one of its areas with the receiver.
 *   request:  args[0] = a page-aligned address in one of the caller's
 *             areas (the share runs from there to the area's end), args[1] = flags the
 *             receiver may have (AS_AREA_*; 0: the area's own)
 *   received: args[0] = 0, args[1] = size in bytes, args[2] = flags allowed
 *   answer:   EOK, args[0] = where to map (or AS_AREA_ANY), args[1] = flags
 *             (a subset of those allowed, else EPERM; 0: all); the answerer
 *             learns the address in args[0]. The mapping never gains more
 *             than allowed (as_area_change_flags)
 */
#include <common/arch/page.h>
#include <ipc/methods.h>
#include <cpu.h>
#include <mm/as.h>
#include <proc/task.h>
#include <proc/thread.h>

static errno_t so_request_preprocess(call_t *call)
{
	unsigned area_flags;
	errno_t rc = as_area_share(THREAD->task->as, call->data.args[0], &call->shared,
	    &call->share_offset, &call->share_pages, &area_flags);
	if (rc != EOK)
		return rc;
	unsigned allowed = (unsigned) call->data.args[1];
	if (allowed == 0)
		allowed = area_flags;
	if ((allowed & ~area_flags) != 0)
		return EPERM; /* cannot give more than one has */
	call->share_flags = allowed;
	call->data.args[0] = 0;
	call->data.args[1] = call->share_pages * PAGE_SIZE;
	call->data.args[2] = allowed;
	return EOK;
}

static errno_t so_answer_preprocess(call_t *call)
{
	if ((errno_t) call->data.method != EOK)
		return EOK;
	unsigned flags = (unsigned) call->data.args[1];
	if (flags == 0)
		flags = call->share_flags;
	if ((flags & ~call->share_flags) != 0)
		return EPERM;
	uintptr_t base = call->data.args[0];
	errno_t rc = as_area_create_shared(THREAD->task->as, &base,
	    call->share_pages * PAGE_SIZE, flags, call->share_flags, call->shared,
	    call->share_offset);
	if (rc == EOK)
		call->data.args[0] = base;
	return rc;
}

const ipc_method_ops_t ipc_m_share_out_ops = {
    .request_preprocess = so_request_preprocess,
    .answer_preprocess = so_answer_preprocess,
    .cleanup = transfer_cleanup,
    .forwardable = true,
    .sendable = true,
};
