/*
 * User-space pagers (pager.h): the system call and the page-in protocol.
 */
#include <pager.h>
#include <syscall.h>

errno_t as_area_create_pager(
    uintptr_t *base, size_t size, unsigned flags, const as_pager_t *pager)
{
	return (errno_t) syscall4(
	    SYS_AS_AREA_CREATE_PAGER, (sysarg_t) base, size, flags, (sysarg_t) pager);
}

void pager_request_get(const ipc_call_t *call, pager_request_t *req)
{
	req->offset = ipc_get_arg1(call);
	req->size = ipc_get_arg2(call);
	req->arg = ipc_get_arg3(call);
}

errno_t pager_answer(cap_handle_t call, const void *page, size_t size)
{
	ipc_payload_t answer = {EOK, {(sysarg_t) page, size, 0, 0, 0}};
	return ipc_answer(call, &answer);
}

errno_t pager_page_out_read(cap_handle_t call, void *buf, size_t size)
{
	return (errno_t) syscall3(SYS_PAGER_PAGE_OUT_READ, call, (sysarg_t) buf, size);
}
