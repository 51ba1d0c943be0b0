/*
 * What the IPC fast path's two files share (fastpath.c: the combined calls;
 * fastforward.c: forwarding and the plain wait): finding a thread that waits
 * for a box's next event, writing an event into it, and finishing its system
 * call for it so that it resumes straight at its return to user space.
 * Locks and CPU ownership as at the top of fastpath.c.
 */
#ifndef KERN_IPC_FASTPATH_PRIV_H
#define KERN_IPC_FASTPATH_PRIV_H

#include "ipc_priv.h"
#include <cpu.h>
#include <proc/exc.h>
#include <proc/scheduler.h>
#include <synch/waitq.h>

/* The helpers of the two fast entries are inlined into them: each entry is
 * one flat function (a call and its prologue cost more than most helpers). */
#define FAST_INLINE static inline __attribute__((always_inline))

/** The first thread blocked in a wait for @a box's next event, if it can
 *  take one delivered straight into its event (nothing queued ahead of it).
 *  Box locked: the thread stays blocked on the box until a waker takes it
 *  off under that lock. */
FAST_INLINE thread_t *box_first_waiter(answerbox_t *box)
{
	if (!box_quiet(box) || list_empty(&box->wq.sleepers))
		return NULL;
	thread_t *t = list_get_instance(box->wq.sleepers.head.next, thread_t, wait_link);
	/* A thread being killed leaves the event to the task's others. Its
	 * registers first: a fast-path sleeper's, the common one. */
	if ((t->ipc_ev_regs == NULL && t->ipc_ev == NULL) ||
	    __atomic_load_n(&t->kill_pending, __ATOMIC_RELAXED))
		return NULL;
	return t;
}

/** Such a thread that this CPU may also hand itself off to (priorities
 *  allow it, it runs here). Box locked. */
FAST_INLINE thread_t *box_idle_waiter(answerbox_t *box)
{
	thread_t *t = box_first_waiter(box);
	return t != NULL && scheduler_may_hand_off(t) ? t : NULL;
}

/** The event of deliver_event without its payload, into waiting thread
 *  @a r's saved registers @a s (r->ipc_ev_regs), whose R1..R6 the caller
 *  has written already; r's wait has its event then. */
FAST_INLINE void deliver_event_head(thread_t *r, ipc_regs_t *s, uint32_t kind,
    uint32_t seq, sysarg_t label, cap_handle_t h, uint64_t task_id)
{
	r->ipc_ev_ready = true;
	IPC_R0(s) = kind | (sysarg_t) seq << 32;
	IPC_R7(s) = label;
	IPC_R8(s) = h;
	IPC_R9(s) = task_id;
}

/** An event of @a kind (numbered @a seq: a request's, else 0) with @a
 *  call's payload into waiting thread @a r's saved registers or event
 *  buffer; r's wait has its event then. */
FAST_INLINE void deliver_event(thread_t *r, uint32_t kind, uint32_t seq,
    const call_t *call, sysarg_t label, cap_handle_t h, uint64_t task_id)
{
	ipc_regs_t *s = r->ipc_ev_regs;
	if (s != NULL) {
		ipc_data_to_regs(&call->data, s);
		deliver_event_head(r, s, kind, seq, label, h, task_id);
		return;
	}
	r->ipc_ev_ready = true;
	ipc_event_fill(r->ipc_ev, kind, call, label, h, task_id);
	r->ipc_ev->seq = seq;
}

/** The user registers of @a self's combined call @a s if a waker may finish
 *  the call for it while it sleeps until @a deadline: entered from user
 *  space (the system call's own frame) and no deadline to disarm. */
FAST_INLINE ipc_regs_t *resume_regs_offer(
    thread_t *self, ipc_regs_t *s, uint64_t deadline)
{
	return deadline == WAITQ_FOREVER && s == self->syscall_regs ? s : NULL;
}

/** The user registers of @a t, blocked and taken off its queue by this CPU
 *  (its owner), if its call can be finished for it now (it offered them,
 *  and neither a kill nor a debugger's stop waits for its way out). */
FAST_INLINE ipc_regs_t *resume_regs_taken(thread_t *t)
{
	ipc_regs_t *s = t->ipc_resume_regs;
	if (s == NULL || exc_debug_stops != 0 ||
	    __atomic_load_n(&t->kill_pending, __ATOMIC_RELAXED))
		return NULL;
	return s;
}

/** Finishes blocked @a t's system call for it, its event or answer in its
 *  registers @a s already: result EOK, out of the call, and when it next
 *  runs it resumes straight at its return to user space. */
FAST_INLINE void call_finish_for(thread_t *t, ipc_regs_t *s)
{
	IPC_RESULT(s) = EOK;
	t->ipc_resume_regs = NULL;
	t->ipc_ev_regs = NULL;
	__atomic_store_n(&t->syscall_regs, NULL, __ATOMIC_RELEASE);
	ipc_regs_resume_user(&t->context_sp, s);
}

/** An event just delivered into the registers of @a r (blocked, taken off
 *  the box's queue by this CPU, its owner): r's wait is finished for it
 *  when it can be. */
FAST_INLINE void event_finish_for(thread_t *r)
{
	ipc_regs_t *rs = resume_regs_taken(r);
	if (rs != NULL)
		call_finish_for(r, rs);
}

#endif
