/*
 * The IPC fast path (kernel/generic/ipc/fastpath.c): the combined calls'
 * common case, taken from the system-call entry with interrupts disabled.
 */
#ifndef KERN_IPC_FASTPATH_H
#define KERN_IPC_FASTPATH_H

#include <arch/ipc_regs.h>
#include <ipc/ipc.h>
#include <proc/task.h>

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
/** Whether ipc_fast_request_to_waiter or ipc_fast_answer_take_waiter may
 *  find a thread in @a box (locked): a one-thread task with a thread
 *  waiting. Inline: the general path asks it for every call and answer,
 *  and most boxes with a waiter belong to servers with several threads. */
static inline bool ipc_fast_box_may_deliver(const answerbox_t *box)
{
	return ipc_fastpath && !list_empty(&box->wq.sleepers) &&
	    __atomic_load_n(&box->task->thread_count, __ATOMIC_RELAXED) == 1;
}

/** Request @a call, queued by the general path on @a box (locked, active),
 *  straight into the event of the task's only thread, waiting for one with
 *  nothing queued ahead of it: its call capability installed (the
 *  capability's reference taken; the flight's goes with the call, as when
 *  it is queued) and the thread woken. False, nothing changed, when there
 *  is no such thread or free capability slot, the method has a request
 *  hook, the IPC log is on or the fast path is off: the caller queues the
 *  call, as it does when the task has several threads (the queue keeps
 *  events in order for whichever runs first). From any CPU: the thread
 *  cannot leave its wait before the box lock is released. */
bool ipc_fast_request_to_waiter(answerbox_t *box, call_t *call);
/** The same for the answer of @a call to its caller's @a box (locked,
 *  active), but the thread that takes it is returned taken off the box's
 *  queue, still blocked (NULL, nothing changed, if none can or the method
 *  has an answer hook): the caller releases the box lock and then calls
 *  ipc_fast_answer_resume, which alone may make that thread ready. */
struct thread *ipc_fast_answer_take_waiter(answerbox_t *box, call_t *call);
/** Drops the reference that would have gone with @a call's answer to the
 *  box (a last one leaves the call in @a r's cache for r's next send) and
 *  makes @a r, taken by ipc_fast_answer_take_waiter, ready. No lock held. */
void ipc_fast_answer_resume(struct thread *r, call_t *call);
bool ipc_fast_answer_wait(ipc_regs_t *s);

/** The same for in-kernel callers of ipc_call_wait and ipc_answer_wait. */
bool ipc_fast_call_wait_kernel(cap_handle_t phone_h, const ipc_data_t *data,
    sysarg_t label, uint64_t timeout_ns, unsigned flags, ipc_event_t *ev, errno_t *rc);
bool ipc_fast_answer_wait_kernel(cap_handle_t call_h, const ipc_data_t *answer,
    uint64_t timeout_ns, unsigned flags, ipc_event_t *ev, errno_t *rc);

#endif
