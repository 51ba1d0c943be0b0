/*
 * The IPC fast path for a forwarding middleman
 * (kernel/generic/ipc/fastforward.c): hooks on the general path.
 */
#ifndef KERN_IPC_FASTFORWARD_H
#define KERN_IPC_FASTFORWARD_H

#include <arch/ipc_regs.h>
#include <ipc/ipc.h>

/**
 * Forwarded @a call (every check of ipc_forward made, the call taken out of
 * the forwarder's table, ready to be queued) straight into the event of a
 * thread waiting on the box @a phone (referenced by the caller) is connected
 * to, which is made ready. False: no such thread or not the common case,
 * nothing changed, the general path queues the call.
 */
bool ipc_fast_forward_deliver(phone_t *phone, struct call *call);
/**
 * SYS_IPC_FORWARD on the saved registers @a s (R0 call, R1 phone, R8 mode)
 * without a rewrite: true when done, *@a rc the result; false when not the
 * common case (nothing changed, the general path runs).
 */
bool ipc_fast_forward(ipc_regs_t *s, errno_t *rc);
/**
 * SYS_IPC_WAIT on the saved registers @a s (blocking, no timeout, nothing
 * queued): sleeps so that a fast delivery can finish the system call.
 * True: done, *@a rc the result and the event in @a s. False: the general
 * wait must run (nothing was taken).
 */
bool ipc_fast_wait(ipc_regs_t *s, errno_t *rc);
/** Forwards ipc_fast_forward_deliver carried, summed over the CPUs. */
uint64_t ipc_fastforward_taken(void);

#endif
