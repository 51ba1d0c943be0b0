/*
 * IPC_M_SHARE_IN: the caller asks the receiver to share one of its areas.
 *   request:  args[0] = where the caller wants it (or AS_AREA_ANY),
 *             args[1] = size in bytes, args[2] = flags wanted (AS_AREA_*)
 *   received: args[0] = 0, args[1] = size, args[2] = flags
 *   answer:   EOK, args[0] = a page-aligned address in one of the
 *             receiver's areas, where the share starts (at least size
 *             bytes from there to the area's end; a file system shares a
 *             file's pages out of a bigger area so), args[1] = the flags the caller may have (AS_AREA_*,
 *             no more than the area's; 0: the area's own): fewer than the
 *             flags wanted is EPERM for both sides, and the caller's
 *             mapping never gains more (as_area_change_flags)
 *   caller:   args[0] = where the area was mapped
 */
#include <common/arch/page.h>
#include <ipc/methods.h>
#include <cpu.h>
#include <mm/as.h>
#include <proc/task.h>
#include <proc/thread.h>

static errno_t si_request_preprocess(call_t *call)
{
	size_t size = call->data.args[1];
	unsigned flags = (unsigned) call->data.args[2];
	if (size == 0 || call->data.args[2] > UINT32_MAX || !(flags & AS_AREA_READ))
		return EINVAL;
	call->user_addr = call->data.args[0];
	call->share_pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	call->share_flags = flags;
	call->data.args[0] = 0;
	return EOK;
}

static errno_t si_answer_preprocess(call_t *call)
{
	if ((errno_t) call->data.method != EOK)
		return EOK;
	size_t pages;
	unsigned area_flags;
	errno_t rc = as_area_share(THREAD->task->as, call->data.args[0], &call->shared,
	    &call->share_offset, &pages, &area_flags);
	if (rc != EOK)
		return rc;
	if (pages < call->share_pages)
		return ELIMIT;
	unsigned offered = (unsigned) call->data.args[1];
	if (offered == 0)
		offered = area_flags;
	if (call->data.args[1] > UINT32_MAX || (offered & ~area_flags) != 0)
		return EPERM; /* cannot give more than one has */
	if ((call->share_flags & ~offered) != 0)
		return EPERM;
	call->share_max = offered;
	return EOK;
}

static void si_answer_process(call_t *call, ipc_event_t *ev)
{
	if ((errno_t) ev->imethod != EOK)
		return;
	uintptr_t base = call->user_addr;
	errno_t rc = as_area_create_shared(THREAD->task->as, &base,
	    call->share_pages * PAGE_SIZE, call->share_flags, call->share_max,
	    call->shared, call->share_offset);
	if (rc != EOK)
		ev->imethod = (sysarg_t) rc;
	ev->args[0] = rc == EOK ? base : 0;
}

const ipc_method_ops_t ipc_m_share_in_ops = {
    .request_preprocess = si_request_preprocess,
    .answer_preprocess = si_answer_preprocess,
    .answer_process = si_answer_process,
    .cleanup = transfer_cleanup,
    .forwardable = true,
    .sendable = true,
};
