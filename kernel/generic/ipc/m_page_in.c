/*
 * IPC_M_PAGE_IN: a page of a pager-backed area asked of its pager (mm/pager.c,
 * abi/pager.h). Sent by the kernel only, on behalf of the faulting task,
 * whose thread waits for the answer:
 *   request:  args[0] = offset (bytes, page aligned), args[1] = size,
 *             args[2] = the pager's argument of the area
 *   answer:   EOK, args[0] = the address of the bytes in the answerer,
 *             args[1] = size (exactly the size asked for), or an error
 *   answerer: the bytes are copied in its context into a new frame
 *             (call->buffer); EINVAL for another size, EBADMEM for an
 *             unreadable address, ENOMEM. The frame goes to the faulting
 *             thread, or is freed with the call if nobody waits any more.
 */
#include <ipc/methods.h>
#include <arch/mm.h>
#include <mm/frame.h>
#include <mm/pager.h>
#include <uaccess.h>

/** Copies the page at @a src of the answerer into a new frame (call->buffer). */
static errno_t page_fill(call_t *call, uintptr_t src)
{
	if (!uspace_range_ok(src, call->buffer_size))
		return EBADMEM;
	paddr_t pa;
	if (frame_alloc(0, &pa) != EOK)
		return ENOMEM;
	errno_t rc = copy_from_uspace(phys_to_virt(pa), src, call->buffer_size);
	if (rc != EOK) {
		frame_free(pa);
		return rc;
	}
	call->buffer = phys_to_virt(pa);
	return EOK;
}

static errno_t pi_answer_preprocess(call_t *call)
{
	if ((errno_t) call->data.method != EOK)
		return EOK;
	size_t size = call->data.args[1];
	errno_t rc = size == call->buffer_size ? page_fill(call, call->data.args[0])
					       : EINVAL;
	if (rc != EOK) {
		call->share_flags = PAGE_IN_REFUSED;
		call->share_pages = size;
	}
	return rc;
}

void call_frame_cleanup(call_t *call)
{
	if (call->buffer != NULL)
		frame_free(virt_to_phys(call->buffer));
	call->buffer = NULL;
}

const ipc_method_ops_t ipc_m_page_in_ops = {
    .answer_preprocess = pi_answer_preprocess,
    .cleanup = call_frame_cleanup,
    .forwardable = true,
    .sendable = false,
};
