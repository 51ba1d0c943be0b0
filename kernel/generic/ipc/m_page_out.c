/*
 * IPC_M_PAGE_OUT: a written page of a write-back pager area sent back to its
 * pager (mm/pager.c, abi/pager.h). Sent by the kernel only: on msync or
 * munmap on behalf of the task, whose thread waits for the answer; when
 * the area's object dies (the task's end), from the kernel, and nobody
 * waits (the answer is dropped).
 *   request:  args[0] = offset (bytes, page aligned), args[1] = size,
 *             args[2] = the pager's argument of the area
 *   data:     the page's bytes, which the pager copies out with
 *             SYS_PAGER_PAGE_OUT_READ before it answers
 *   answer:   EOK once the bytes are stored, or an error (the page stays
 *             dirty and the error goes to the msync caller)
 * The call owns its frame (call->buffer, direct map), freed with the call.
 */
#include <ipc/methods.h>

const ipc_method_ops_t ipc_m_page_out_ops = {
    .cleanup = call_frame_cleanup,
    .forwardable = true,
    .sendable = false,
};
