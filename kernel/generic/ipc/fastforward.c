/*
 * The IPC fast path for a forwarding middleman (docs/performance.md, "The
 * fast forward").
 *
 * A middleman's turn is: a request arrives, it forwards the request to the
 * final server (which answers the original caller), and it waits for its
 * next event. Hooks on the general path take the common case of that turn
 * without changing what it does:
 *  - ipc_fast_forward, called by SYS_IPC_FORWARD: a forward without a
 *    rewrite whose handles pass every check of ipc_forward is decoded in one
 *    hold of the task's table lock (the general path looks the call up
 *    twice and the phone once); the rest is ipc_forward's own tail
 *    (ipc_forward_taken), with the delivery below;
 *  - ipc_fast_forward_deliver, called by ipc_forward once the general path
 *    has made every check and taken the call out of the forwarder's table:
 *    when the target box has a thread blocked in a wait for its next event
 *    with nothing queued ahead of it (box_first_waiter) and at home on this
 *    CPU, and a free slot in its task's table, the request goes straight
 *    into that thread's event, as a fast call's does: its call capability
 *    installed, the request numbered, the thread's system call finished for
 *    it when it offered its registers (it resumes at its return to user
 *    space), and the thread made ready here. The forwarder runs on, so the
 *    CPU is not handed over: its own wait, next, lets the scheduler run the
 *    target. Anything else (queued work, no such waiter, a full table, a
 *    dead or hung-up target, a system method with a receive hook) is the
 *    general path's queueing, unchanged.
 *  - ipc_fast_wait, called by SYS_IPC_WAIT: a blocking wait without a
 *    timeout on a quiet box sleeps offering its saved registers, so that
 *    whoever delivers its next event on a fast path (a fast call, a fast
 *    forward) writes it there and finishes the system call for it: it
 *    resumes straight at its return to user space instead of unwinding the
 *    general wait. Woken without an event, it leaves the look at the box to
 *    the general wait.
 * All three are off with the IPC log on (its events are the general path's) and
 * with boot option ipcfast=off. cpu_t.fastforward_taken counts forwards
 * delivered here (ipc_fastforward_taken()).
 *
 * Locks: as in the IPC core (phone->lock -> box lock -> cap table lock),
 * taken with interrupts off. A waiter is found and taken off its queue under
 * its box's lock and is at home on this CPU, so no other CPU can run it
 * until it is made ready; its registers are written before that (see the
 * top of fastpath.c for the resume protocol).
 */
#include <ipc/fastforward.h>
#include "fastpath_priv.h"
#include <ipc/fastpath.h>
#include <log/ipclog.h>
#include <synch/waitq_hand_off.h>

uint64_t ipc_fastforward_taken(void)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < CPU_MAX; i++)
		sum += __atomic_load_n(&cpus[i].fastforward_taken, __ATOMIC_RELAXED);
	return sum;
}

/** A thread of @a box's task that waits for its next event, can take one
 *  straight into its event and is at home on this CPU, with a free slot in
 *  the task's table for the call's capability: returned with the box and
 *  the table locked. NULL (nothing locked) if there is none. */
static thread_t *box_lock_home_waiter(answerbox_t *box)
{
	spinlock_lock_noirq(&box->wq.lock);
	thread_t *r = box_first_waiter(box);
	if (r != NULL && r->cpu == CPU) {
		spinlock_lock_noirq(&box->task->caps.lock);
		if (box->task->caps.free_head != 0)
			return r;
		spinlock_unlock_noirq(&box->task->caps.lock);
	}
	spinlock_unlock_noirq(&box->wq.lock);
	return NULL;
}

/** Forwarded @a call as request event of waiting @a r (taken off @a box's
 *  queue here), its capability installed in the table of box's task. Box
 *  and table locked; the table is unlocked here. */
static void forward_into_waiter(answerbox_t *box, thread_t *r, call_t *call)
{
	cap_table_t *caps = &box->task->caps;
	cap_handle_t h = CAP_NULL;
	kobject_get(&call->kobj); /* the receiver's capability's */
	cap_install_locked(caps, &call->kobj, &h);
	spinlock_unlock_noirq(&caps->lock);
	box->task->ipc_stats.calls_received++;
	waitq_take_sleeper_locked(&box->wq, r);
	deliver_event(r, IPC_EVENT_REQUEST, box_number_request(box), call,
	    call->request_label, h, call->sender->id);
	event_finish_for(r);
}

bool ipc_fast_forward_deliver(phone_t *phone, call_t *call)
{
	if (ipc_fast_blocked != 0 || call->ops->request_process != NULL)
		return false;
	bool ints = irq_save();
	spinlock_lock_noirq(&phone->lock);
	/* A connected phone keeps its callee's task, and so the box, alive. */
	answerbox_t *box = phone->state == PHONE_CONNECTED ? phone->callee : NULL;
	thread_t *r = box != NULL ? box_lock_home_waiter(box) : NULL;
	if (r != NULL) {
		call->request_label = phone->label;
		forward_into_waiter(box, r, call);
		spinlock_unlock_noirq(&box->wq.lock);
	}
	spinlock_unlock_noirq(&phone->lock);
	if (r != NULL) {
		/* Off every queue and BLOCKED: only this CPU can make it ready. */
		scheduler_ready_noirq(r);
		CPU->fastforward_taken++;
	}
	irq_restore(ints);
	return r != NULL;
}

/** Received call @a call_h and phone @a phone_h of @a task, if the forward
 *  may pass the one through the other (the call's CAP_RIGHT_PASS, a
 *  forwardable method; the phone's CAP_RIGHT_FORWARD): the call taken out
 *  of the table (its capability's reference now the caller's) and the phone
 *  with a new reference, under one hold of the table's lock. NULL (nothing
 *  changed) otherwise: the general path finds the error. */
static call_t *take_forwardable(
    task_t *task, cap_handle_t call_h, cap_handle_t phone_h, phone_t **phone)
{
	cap_table_t *caps = &task->caps;
	spinlock_lock(&caps->lock);
	cap_slot_t *cs = cap_slot_locked(caps, call_h);
	cap_slot_t *ps = cap_slot_locked(caps, phone_h);
	bool ok = cs != NULL && ps != NULL && cs->obj->type == KOBJECT_CALL &&
	    (cs->rights & CAP_RIGHT_PASS) && ((call_t *) cs->obj)->ops->forwardable &&
	    ps->obj->type == KOBJECT_PHONE && (ps->rights & CAP_RIGHT_FORWARD);
	call_t *call = NULL;
	if (ok) {
		*phone = (phone_t *) ps->obj;
		kobject_get(&(*phone)->kobj);
		call = (call_t *) cap_release_locked(caps, cs);
	}
	spinlock_unlock(&caps->lock);
	return call;
}

bool ipc_fast_forward(ipc_regs_t *s, errno_t *rc)
{
	sysarg_t mode = IPC_R8(s);
	if (ipc_fast_blocked != 0 || (mode & ~(sysarg_t) IPC_FF_ROUTE_FROM_ME) != 0)
		return false; /* a rewrite and bad modes: the general path */
	task_t *self = THREAD->task;
	phone_t *phone = NULL;
	call_t *call = take_forwardable(self, IPC_R0(s), IPC_R1(s), &phone);
	if (call == NULL)
		return false;
	kobject_put(&call->kobj); /* the capability's; the flight's remains */
	*rc = ipc_forward_taken(self, call, phone, IPC_R1(s), NULL, (unsigned) mode);
	return true;
}

/** Sleeps on the task's box @a wq (locked; released here) with no deadline
 *  until woken, through the scheduler. Like the hand-off sleep it returns
 *  without waiting for wakers to leave the queue: the box lives as long as
 *  the thread. Interrupts off. */
static errno_t box_sleep_offering(waitq_t *wq)
{
	thread_t *t = THREAD;
	if (!waitq_enqueue_self(wq, t, WAITQ_INTERRUPTIBLE)) {
		spinlock_unlock_noirq(&wq->lock);
		return EINTR;
	}
	spinlock_unlock_noirq(&wq->lock);
	schedule();
	return t->wait_result;
}

bool ipc_fast_wait(ipc_regs_t *s, errno_t *rc)
{
	thread_t *self = THREAD;
	if (ipc_fast_blocked != 0 || IPC_R0(s) != 0 || IPC_R1(s) != 0 ||
	    self->kill_pending)
		return false;
	answerbox_t *box = &self->task->box;
	/* An event already queued (often so in a busy server): no lock taken,
	 * the general wait takes it at once. Looked at again under the lock. */
	if (__atomic_load_n(&box->pending, __ATOMIC_RELAXED) != 0)
		return false;
	bool ints = irq_save();
	spinlock_lock_noirq(&box->wq.lock);
	if (!box_quiet(box)) {
		spinlock_unlock_noirq(&box->wq.lock);
		irq_restore(ints);
		return false; /* an event is there: the general wait takes it */
	}
	self->ipc_ev_regs = s; /* a fast delivery writes straight into them */
	self->ipc_ev_ready = false;
	self->ipc_resume_regs = resume_regs_offer(self, s, WAITQ_FOREVER);
	*rc = box_sleep_offering(&box->wq);
	self->ipc_ev_regs = NULL;
	self->ipc_resume_regs = NULL;
	bool done = self->ipc_ev_ready || *rc == EINTR;
	if (self->ipc_ev_ready)
		*rc = EOK;
	irq_restore(ints);
	return done; /* else woken to look: the general wait looks */
}
