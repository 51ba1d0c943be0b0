/*
 * The IPC fast path (kernel/generic/ipc/fastpath.c): the combined calls'
 * common case, taken from the system-call entry with interrupts disabled.
 */
#ifndef KERN_IPC_FASTPATH_H
#define KERN_IPC_FASTPATH_H

#include <arch/ipc_regs.h>
#include <ipc/ipc.h>

/**
 * SYS_IPC_CALL_WAIT and SYS_IPC_ANSWER_WAIT on the saved registers @a s
 * (layout in abi/syscall.h). False: not the common case, nothing changed,
 * the general path must run. True: done, result and event in @a s.
 * Interrupts disabled.
 */
bool ipc_fast_call_wait(ipc_regs_t *s);
/** Calls and answers the fast path has carried on every CPU (for the
 *  tests; each CPU counts its own in cpu_t.fastpath_taken). */
uint64_t ipc_fastpath_taken(void);
bool ipc_fast_answer_wait(ipc_regs_t *s);

/** The same for in-kernel callers of ipc_call_wait and ipc_answer_wait. */
bool ipc_fast_call_wait_kernel(cap_handle_t phone_h, const ipc_data_t *data,
    sysarg_t label, uint64_t timeout_ns, unsigned flags, ipc_event_t *ev, errno_t *rc);
bool ipc_fast_answer_wait_kernel(cap_handle_t call_h, const ipc_data_t *answer,
    uint64_t timeout_ns, unsigned flags, ipc_event_t *ev, errno_t *rc);

#endif
