/*
 * The IPC fast path (docs/performance.md, "The fast path").
 *
 * It takes the common case of the two combined calls straight from the
 * system-call entry, before the general dispatch, with interrupts still
 * disabled from the entry:
 *  - call-and-wait of a user method through a connected phone with a free
 *    slot, to a box whose task has a thread blocked in a wait with nothing
 *    queued ahead of it: the request goes straight into that thread's event,
 *    its call capability is installed, and the CPU goes to it while the
 *    caller blocks for its answer (or, with IPC_CALL_WAIT_ANY, for its
 *    task's next event);
 *  - answer-and-wait of such a call (forwarded or not) from a task with nothing
 *    queued: the answer goes straight to the caller blocked for it, or to a
 *    thread of the caller's task blocked for its next event, and the CPU
 *    goes there while the server blocks for its next event.
 * A thread woken by a hand-off that slept here from a system call with no
 * deadline has its call ended by the waker (its event or answer in its
 * registers, the call's end, the result) and resumes straight at its
 * return to user space (ipc_regs_resume_user), not through its frames.
 * Timeouts are allowed (the hand-off sleep arms them). The payload is read
 * from and written to the saved user registers in place (arch/ipc_regs.h).
 * Nothing is allocated: the call is the caller thread's spare one, and an
 * answer handed to a waiting thread leaves the call in that thread's cache.
 *
 * Each entry either returns false having changed nothing, and the general
 * path (the reference, ipc.c) then does the work from the same registers, or
 * commits and returns true with the result in the registers. The IPC log on,
 * or boot option ipcfast=off, keeps everything on the general path (one
 * byte, ipc_fast_blocked, says either).
 *
 * Several CPUs: a hand-off runs the other thread on this CPU, so it is taken
 * only for a thread whose home CPU is this one (scheduler_may_hand_off);
 * such a thread, blocked, cannot run or time out while interrupts are off
 * here. Other CPUs may still wake it (a kill): every decision is made under
 * the lock of the wait queue it sleeps on (box->wq, or its ipc_wq, re-checked
 * in answer_to_waiter); the box a thread sleeps on for its next event is
 * looked at again under that lock before the hand-off (sleep_handing_off). The locks are taken in the core's order (phone->lock
 * -> box lock -> cap table lock; a thread's ipc_wq lock innermost, alone).
 * A thread on another CPU is reached through the general path, whose
 * wake-up queues it there and sends an IPI.
 */
#include <ipc/fastpath.h>
#include "ipc_priv.h"
#include "fastpath_priv.h"
#include <ipc/methods.h>
#include <cmdline.h>
#include <cpu.h>
#include <log/ipclog.h>
#include <proc/exc.h>
#include <proc/scheduler.h>
#include <proc/task.h>
#include <smp.h>
#include <string.h>
#include <synch/waitq_hand_off.h>

bool ipc_fastpath = true;
volatile uint8_t ipc_fast_blocked;

uint64_t ipc_fastpath_taken(void)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < CPU_MAX; i++)
		sum += __atomic_load_n(&cpus[i].fastpath_taken, __ATOMIC_RELAXED);
	return sum;
}

void ipc_fastpath_boot(const char *cmdline)
{
	char value[8];
	if (cmdline_get(cmdline, "ipcfast", value, sizeof(value)) == EOK)
		ipc_fastpath = strcmp(value, "off") != 0;
	if (!ipc_fastpath)
		__atomic_or_fetch(
		    &ipc_fast_blocked, IPC_FAST_BLOCKED_BOOT, __ATOMIC_RELAXED);
}

void ipc_fastpath_log_on(bool on)
{
	if (on)
		__atomic_or_fetch(
		    &ipc_fast_blocked, IPC_FAST_BLOCKED_LOG, __ATOMIC_SEQ_CST);
	else
		__atomic_and_fetch(
		    &ipc_fast_blocked, ~IPC_FAST_BLOCKED_LOG, __ATOMIC_SEQ_CST);
}

/** The phone @a h names, with a reference for the call; NULL if none. */
FAST_INLINE phone_t *phone_lookup(task_t *task, cap_handle_t h)
{
	spinlock_lock_noirq(&task->caps.lock);
	cap_slot_t *s = cap_slot_locked(&task->caps, h);
	/* The rights check: without CAP_RIGHT_CALL the general path says EPERM. */
	kobject_t *obj = s != NULL && s->obj->type == KOBJECT_PHONE &&
		(s->rights & CAP_RIGHT_CALL)
	    ? s->obj
	    : NULL;
	if (obj != NULL)
		kobject_get(obj);
	spinlock_unlock_noirq(&task->caps.lock);
	return (phone_t *) obj;
}

/** The payload (method or answer value and five arguments) a combined call
 *  carries in @a s's saved registers, into @a d and, unless @a to is NULL,
 *  into R1..R6 of the register image @a to of the thread it goes to: each
 *  word loaded once, register to register. */
FAST_INLINE void data_from_regs(ipc_data_t *d, const ipc_regs_t *s, ipc_regs_t *to)
{
	if (to == NULL) {
		d->method = IPC_R1(s);
		d->args[0] = IPC_R2(s);
		d->args[1] = IPC_R3(s);
		d->args[2] = IPC_R4(s);
		d->args[3] = IPC_R5(s);
		d->args[4] = IPC_R6(s);
		return;
	}
	/* One word at a time: a load and its two stores (no spills). */
	d->method = IPC_R1(to) = IPC_R1(s);
	d->args[0] = IPC_R2(to) = IPC_R2(s);
	d->args[1] = IPC_R3(to) = IPC_R3(s);
	d->args[2] = IPC_R4(to) = IPC_R4(s);
	d->args[3] = IPC_R5(to) = IPC_R5(s);
	d->args[4] = IPC_R6(to) = IPC_R6(s);
}

/** Makes the caller's spare call the request in @a s: synchronous (the
 *  answer goes to this thread) unless @a any; its payload also into @a rs
 *  (the receiver's registers, or NULL). The call is written once,
 *  field by field, with only what a user method's call holds (its
 *  system-method state is zero in the cache, see call_init): the payload
 *  straight from the registers, the references counted before the call is
 *  published (the flight's, the receiver's capability's and, synchronous,
 *  the waiter's), both task references of the sender (it is also the
 *  caller) in one addition. */
FAST_INLINE call_t *request_init(
    thread_t *self, const ipc_regs_t *s, phone_t *phone, bool any, ipc_regs_t *rs)
{
	/* The entry saw the spare call; nothing fills or empties the cache of
	 * a running thread but the thread itself. */
	call_t *call = call_take_spare(self);
	task_t *task = self->task;
	/* A cached call has been one: its type and destructor are set, and its
	 * link is on no list (list_remove leaves a link initialised). */
	assert_hot(call->kobj.type == KOBJECT_CALL && call->kobj.destroy == call_destroy);
	call->kobj.refcount = any ? 2 : 3;
	data_from_regs(&call->data, s, rs);
	call->request_method = IPC_R1(s);
	call->ops = &ipc_user_method_ops; /* the entry checked the method */
	call->request_label = phone->label;
	call->answer_label = IPC_R7(s);
	task_get_n(task, 2); /* the sender's and the caller box's */
	call->sender = task;
	call->caller_box = &task->box;
	call->phone = phone; /* the lookup's reference moves to the call */
	call->id = 0;	     /* given if the call is logged (ipc_call_id) */
	call->flags = CALL_OWN;
	call->sync = any ? CALL_SYNC_NONE : CALL_SYNC_WAITING;
	call->waiter = any ? NULL : self;
	return call;
}

/** Answer @a call as an answer event into @a s, whose payload (R1..R6)
 *  is written already. */
FAST_INLINE void answer_head_to_regs(const call_t *call, ipc_regs_t *s)
{
	IPC_R0(s) = IPC_EVENT_ANSWER;
	IPC_R7(s) = call->answer_label;
	IPC_R8(s) = CAP_NULL;
	IPC_R9(s) = 0;
}

/** The waiter @a self's reference to its answered synchronous @a call ends
 *  (@a refs of them with the answerer's, which ends the call for it).
 *  The common last end, inline: a user method's call that self sent
 *  (CALL_OWN), holding no phone any more (the answer dropped it), goes back
 *  into self's empty cache with its two references to self's task dropped
 *  at once (self keeps one of its own); anything else is destroyed as usual
 *  (call_destroy_into). */
FAST_INLINE void call_end_in_waiter(thread_t *self, call_t *call, uint64_t refs)
{
	if (__atomic_sub_fetch(&call->kobj.refcount, refs, __ATOMIC_ACQ_REL) != 0)
		return;
	task_t *task = self->task;
	/* An answerer ending the call with the waiter's (refs > 1) has just
	 * dropped its phone. */
	if (!(call->flags & CALL_OWN) || (refs == 1 && call->phone != NULL) ||
	    self->cached_call != NULL || self->kill_pending) {
		call_destroy_into(call, self);
		return;
	}
	assert_hot(call->ops == &ipc_user_method_ops && call->sender == task &&
	    call->caller_box == &task->box);
	task_put_n_alive(task, 2); /* the sender's and the caller box's */
	call_cache_put(self, call);
}

/** Synchronous @a call's answer, taken by its waiter @a self, into @a s,
 *  whose payload (R1..R6) the answerer wrote already; the waiter's
 *  reference ends. */
FAST_INLINE errno_t answer_head_taken(
    thread_t *self, call_t *call, ipc_regs_t *s, uint64_t refs)
{
	answer_head_to_regs(call, s);
	self->task->ipc_stats.answers_received++;
	call_end_in_waiter(self, call, refs);
	return EOK;
}

/** Synchronous @a call's answer, taken by its waiter @a self, into @a s;
 *  the waiter's reference ends. */
FAST_INLINE errno_t answer_taken(thread_t *self, call_t *call, ipc_regs_t *s)
{
	ipc_data_to_regs(&call->data, s);
	return answer_head_taken(self, call, s, 1);
}

/** Sleeps until synchronous @a call is answered (first through a hand-off
 *  to @a next), up to @a deadline; the answer into @a s. The waiter's
 *  reference ends here. */
FAST_INLINE errno_t await_answer(
    thread_t *self, call_t *call, thread_t *next, uint64_t deadline, ipc_regs_t *s)
{
	waitq_t *wq = &self->ipc_wq;
	spinlock_lock_noirq(&wq->lock);
	self->ipc_resume_regs = resume_regs_offer(self, s, deadline);
	errno_t rc = waitq_sleep_hand_off_inline(wq, deadline, WAITQ_INTERRUPTIBLE, next);
	self->ipc_resume_regs = NULL; /* woken otherwise: the answer is ours to take */
	/* The common end: answered, and we run because of it. The answerer set
	 * the flag under wq->lock before it woke us; once it lets go of the
	 * lock it touches neither the queue nor the flag again. */
	if (__atomic_load_n(&call->flags, __ATOMIC_ACQUIRE) & CALL_ANSWERED) {
		spinlock_wait_free(&wq->lock);
		return answer_taken(self, call, s);
	}
	unsigned how = WAITQ_INTERRUPTIBLE;
	spinlock_lock_noirq(&wq->lock);
	while (!(call->flags & CALL_ANSWERED)) {
		if (rc != EOK && call_release_waiter(call)) {
			/* Given up: the answer will go to the box. */
			spinlock_unlock_noirq(&wq->lock);
			kobject_put(&call->kobj);
			return rc;
		}
		if (rc != EOK) { /* an answerer's claim: its answer comes at once */
			deadline = WAITQ_FOREVER;
			how = 0;
		}
		rc = waitq_sleep_until_locked(wq, deadline, how);
		spinlock_lock_noirq(&wq->lock);
	}
	spinlock_unlock_noirq(&wq->lock);
	return answer_taken(self, call, s);
}

/** Whether another CPU may be changing IPC state while this one runs the
 *  fast path. Not on a kernel running on one CPU: the fast path keeps
 *  interrupts off from the entry to its sleep, and cpu_count only grows
 *  (a CPU runs threads only once it is counted, smp.c). */
static inline bool other_cpus_run(void)
{
	return cpu_count > 1;
}

/** Sleeps on the task's @a box for its next event, running @a next (blocked
 *  until now, taken off its queue) in its place, if the box is still quiet:
 *  the caller looked at it earlier without holding its lock to the sleep,
 *  and another CPU may have queued work since (the general path's wake-up
 *  then found no sleeper). Not quiet: @a next is made ready and EAGAIN says
 *  the general wait must take the work. */
FAST_INLINE errno_t sleep_handing_off(
    thread_t *self, answerbox_t *box, thread_t *next, uint64_t deadline, ipc_regs_t *s)
{
	spinlock_lock_noirq(&box->wq.lock);
	if (other_cpus_run() && !box_quiet(box)) {
		spinlock_unlock_noirq(&box->wq.lock);
		scheduler_ready_noirq(next);
		return EAGAIN;
	}
	self->ipc_ev_regs = s; /* a hand-off delivers straight into them */
	self->ipc_ev_ready = false;
	self->ipc_resume_regs = resume_regs_offer(self, s, deadline);
	errno_t rc = waitq_sleep_hand_off_inline(
	    &box->wq, deadline, WAITQ_INTERRUPTIBLE, next);
	self->ipc_ev_regs = NULL;
	self->ipc_resume_regs = NULL;
	return rc;
}

/** Waits like ipc_wait (blocking, up to @a deadline) for the next event of
 *  the task, first running @a next (blocked until now) if there is one, else
 *  through the general path; the event into @a s. After a hand-off that ends
 *  without an event (a wake-up that found nothing, or the deadline), or when
 *  work arrived before the hand-off, the general path looks at the box: an
 *  event there is delivered. */
FAST_INLINE errno_t await_event(
    thread_t *self, thread_t *next, uint64_t deadline, ipc_regs_t *s)
{
	answerbox_t *box = &self->task->box;
	errno_t rc = EOK;
	if (next != NULL) {
		rc = sleep_handing_off(self, box, next, deadline, s);
		if (rc != EAGAIN && self->ipc_ev_ready)
			return EOK;
	}
	if (rc != EINTR) {
		ipc_event_t ev;
		irq_enable(); /* the general path runs with interrupts on */
		rc = ipc_wait_until(deadline, 0, &ev);
		irq_disable();
		if (rc == EOK)
			ipc_event_to_regs(&ev, s);
	}
	return rc;
}

/** The deadline of a wait of @a usec µs from user space (0: forever); the
 *  conversion and the clock only when a timeout is set. */
FAST_INLINE uint64_t fast_deadline(sysarg_t usec)
{
	return usec == 0 ? WAITQ_FOREVER : waitq_deadline(ipc_usec_to_ns(usec));
}

/** Whether the current task's box has nothing queued. */
static bool own_box_quiet(answerbox_t *box)
{
	spinlock_lock_noirq(&box->wq.lock);
	bool quiet = box_quiet(box);
	spinlock_unlock_noirq(&box->wq.lock);
	return quiet;
}

bool ipc_fast_call_wait(ipc_regs_t *s)
{
	thread_t *self = THREAD;
	sysarg_t flags = IPC_R9(s);
	if (ipc_fast_blocked != 0 || (flags & ~IPC_CALL_WAIT_ANY) != 0 ||
	    IPC_R1(s) <= IPC_M_LAST_SYSTEM || self->cached_call == NULL ||
	    self->kill_pending)
		return false;
	task_t *task = self->task;
	bool any = flags & IPC_CALL_WAIT_ANY;
	if (any && !own_box_quiet(&task->box))
		return false; /* the wait would return at once: the general path */
	phone_t *phone = phone_lookup(task, IPC_R0(s));
	if (phone == NULL)
		return false;
	spinlock_lock_noirq(&phone->lock);
	answerbox_t *box = phone->callee;
	thread_t *r = NULL;
	if (phone->state == PHONE_CONNECTED &&
	    phone_active_calls(phone) < IPC_MAX_ASYNC_CALLS) {
		spinlock_lock_noirq(&box->wq.lock);
		r = box_idle_waiter(box);
		spinlock_lock_noirq(&box->task->caps.lock);
		if (r == NULL || box->task->caps.free_head == 0) {
			spinlock_unlock_noirq(&box->task->caps.lock);
			spinlock_unlock_noirq(&box->wq.lock);
			r = NULL;
		}
	}
	if (r == NULL) {
		spinlock_unlock_noirq(&phone->lock);
		kobject_put(&phone->kobj);
		return false;
	}

	/* Committed: phone, box and the receiver's cap table locked. The phone
	 * is let go before the call is published (its capability installed):
	 * from then on an answer may end the call, and with it the reference
	 * that keeps the phone, on another CPU. */
	CPU->fastpath_taken++;
	/* r is blocked and stays so (the box is locked): its registers (or its
	 * event buffer) take the request. */
	ipc_regs_t *rs = r->ipc_ev_regs;
	call_t *call = request_init(self, s, phone, any, rs);
	phone_charge_locked(phone);
	spinlock_unlock_noirq(&phone->lock);
	cap_handle_t h = CAP_NULL;
	cap_install_locked(&box->task->caps, &call->kobj, &h);
	spinlock_unlock_noirq(&box->task->caps.lock);
	box->task->ipc_stats.calls_received++;
	waitq_take_sleeper_locked(&box->wq, r);
	if (rs != NULL) /* the payload is there already */
		deliver_event_head(r, rs, IPC_EVENT_REQUEST, box_number_request(box),
		    call->request_label, h, task->id);
	else
		deliver_event(r, IPC_EVENT_REQUEST, box_number_request(box), call,
		    call->request_label, h, task->id);
	event_finish_for(r);
	task->ipc_stats.calls_sent++;
	spinlock_unlock_noirq(&box->wq.lock);

	uint64_t deadline = fast_deadline(IPC_R8(s));
	IPC_RESULT(s) = (sysarg_t) (any ? await_event(self, r, deadline, s)
					: await_answer(self, call, r, deadline, s));
	return true;
}

/** Whether the fast path can answer received @a call with @a retval: an
 *  answer without hooks that goes to a caller's box (CALL_OWN says both at
 *  once), not EHANGUP to a forwarded call (the general path makes it
 *  EFORWARD), not through a revoked phone (the general path answers
 *  EHANGUP). */
FAST_INLINE bool call_fast_answerable(const call_t *call, sysarg_t retval)
{
	unsigned f = call->flags;
	bool plain = (f & CALL_OWN) ||
	    (!(f & CALL_DISCARD) && call->caller_box != NULL &&
		call->ops->answer_preprocess == NULL &&
		call->ops->answer_process == NULL);
	bool forward_ok = !(f & CALL_FORWARDED) || retval != (sysarg_t) EHANGUP;
	return plain && forward_ok && !call->phone->revoked;
}

/** Call @a h of @a task if the fast path can answer it with return value
 *  @a retval (a user method; forwarded, unless the answer is EHANGUP, which
 *  the general path turns into EFORWARD; a synchronous caller still
 *  waiting for it): taken out of the table (nothing else names a received
 *  call), its capability's reference now the caller's. Its waiter, claimed,
 *  into *@a waiter (NULL: the call is asynchronous). Box locked. */
FAST_INLINE call_t *take_answerable(
    task_t *task, cap_handle_t h, sysarg_t retval, thread_t **waiter)
{
	cap_table_t *caps = &task->caps;
	spinlock_lock_noirq(&caps->lock);
	cap_slot_t *slot = cap_slot_locked(caps, h);
	/* Without CAP_RIGHT_ANSWER the general path says EPERM. */
	call_t *call = slot != NULL && slot->obj->type == KOBJECT_CALL &&
		(slot->rights & CAP_RIGHT_ANSWER)
	    ? (call_t *) slot->obj
	    : NULL;
	thread_t *w = call != NULL ? call->waiter : NULL;
	bool ok = call != NULL && call_fast_answerable(call, retval);
	/* The waiter is read only under a claim, which keeps its thread (a
	 * waiter that gave up makes the call an ordinary one, for the box). */
	bool claimed = ok && w != NULL && call_claim_waiter(call);
	if (claimed) {
		ok = w->state == THREAD_BLOCKED && w->waitq == &w->ipc_wq &&
		    scheduler_may_hand_off(w);
		if (!ok)
			call_unclaim_waiter(call); /* the general path answers */
	}
	if (!ok) {
		spinlock_unlock_noirq(&caps->lock);
		return NULL;
	}
	cap_release_locked(caps, slot);
	spinlock_unlock_noirq(&caps->lock);
	*waiter = claimed ? w : NULL;
	return call;
}

/** Answers synchronous @a call, whose waiter @a w is claimed. Returns the
 *  waiter, taken off its wait queue for a hand-off, the capability's and
 *  the flight's references still the caller's (the waiter cannot run
 *  before this CPU lets it); or NULL if another CPU woke it meanwhile (a
 *  kill): those two references end, before it can see the answer (its own
 *  end of the call then comes after), and it finds the answer itself. */
FAST_INLINE thread_t *answer_to_waiter(call_t *call, thread_t *w)
{
	spinlock_lock_noirq(&w->ipc_wq.lock);
	call->flags |= CALL_ANSWERED;
	bool sleeping = w->waitq == &w->ipc_wq;
	if (sleeping)
		waitq_take_sleeper_locked(&w->ipc_wq, w);
	else
		__atomic_sub_fetch(&call->kobj.refcount, 2, __ATOMIC_RELEASE);
	spinlock_unlock_noirq(&w->ipc_wq.lock);
	return sleeping ? w : NULL;
}

/** Hands @a call's answer straight to a thread of the caller's task waiting
 *  for its next event, if there is one that can take it now; the call then
 *  ends and goes to that thread's cache for its next send. */
FAST_INLINE thread_t *answer_to_box_waiter(call_t *call)
{
	answerbox_t *box = call->caller_box;
	spinlock_lock_noirq(&box->wq.lock);
	thread_t *r = box_idle_waiter(box);
	if (r != NULL) {
		waitq_take_sleeper_locked(&box->wq, r);
		deliver_event(
		    r, IPC_EVENT_ANSWER, 0, call, call->answer_label, CAP_NULL, 0);
		box->task->ipc_stats.answers_received++;
		event_finish_for(r);
	}
	spinlock_unlock_noirq(&box->wq.lock);
	/* Interrupts are off: r does not run yet, its cache is ours to fill. */
	if (r != NULL &&
	    __atomic_sub_fetch(&call->kobj.refcount, 2, __ATOMIC_ACQ_REL) == 0)
		call_destroy_into(call, r);
	return r;
}

bool ipc_fast_answer_wait(ipc_regs_t *s)
{
	thread_t *self = THREAD;
	if (ipc_fast_blocked != 0 || IPC_R8(s) != 0 || self->kill_pending)
		return false;
	task_t *task = self->task;
	answerbox_t *box = &task->box;
	spinlock_lock_noirq(&box->wq.lock);
	thread_t *w = NULL;
	call_t *call = box_quiet(box) ? take_answerable(task, IPC_R0(s), IPC_R1(s), &w)
				      : NULL;
	spinlock_unlock_noirq(&box->wq.lock);
	if (call == NULL)
		return false;

	/* Committed. The registers a claimed waiter offered to be resumed in
	 * take the payload now, whoever ends its call: the waiter writes them
	 * (the same words) only once it sees the answer set, after these
	 * stores (answer_to_waiter), and stays in its call until then. */
	CPU->fastpath_taken++;
	bool sync = w != NULL; /* claimed above */
	ipc_regs_t *to = sync ? w->ipc_resume_regs : NULL;
	data_from_regs(&call->data, s, to);
	task->ipc_stats.answers_sent++;
	phone_t *phone = call->phone;
	phone_uncharge(phone);
	call->phone = NULL;		  /* uncharged; its reference goes below */
	if (call->flags & CALL_CHARGED) { /* sent by the general path */
		call->flags &= ~CALL_CHARGED;
		quota_calls_uncharge(call->caller_box->task);
	}
	thread_t *next = sync ? answer_to_waiter(call, w) : answer_to_box_waiter(call);
	ipc_regs_t *ws = sync && next != NULL ? resume_regs_taken(next) : NULL;
	if (ws != NULL) { /* its answer taken for it: the call ends */
		assert_hot(ws == to);
		answer_head_taken(next, call, ws, 3); /* with ours: 3 references */
		call_finish_for(next, ws);
	} else if (sync && next != NULL) { /* it takes the answer when it runs */
		__atomic_sub_fetch(&call->kobj.refcount, 2, __ATOMIC_RELEASE);
	}
	if (next == NULL && !sync) {
		call_deliver_answer(call); /* queued in the caller's box */
		kobject_put(&call->kobj);  /* the capability's */
	}
	kobject_put(&phone->kobj);
	IPC_RESULT(s) = (sysarg_t) await_event(self, next, fast_deadline(IPC_R7(s)), s);
	return true;
}

/*
 * In-kernel callers (the kernel's IPC tests) take the same fast path through
 * a register image of their arguments, so that it is tested from both sides.
 */

static void regs_to_event(const ipc_regs_t *s, ipc_event_t *ev)
{
	ev->kind = IPC_EVENT_KIND(IPC_R0(s));
	ev->seq = IPC_EVENT_SEQ(IPC_R0(s));
	ev->imethod = IPC_R1(s);
	ev->args[0] = IPC_R2(s);
	ev->args[1] = IPC_R3(s);
	ev->args[2] = IPC_R4(s);
	ev->args[3] = IPC_R5(s);
	ev->args[4] = IPC_R6(s);
	ev->label = IPC_R7(s);
	ev->cap = IPC_R8(s);
	ev->task_id = IPC_R9(s);
}

/** A wait queue's timeout (0: forever) in µs, rounded up. */
static sysarg_t ns_to_usec(uint64_t ns)
{
	return ns / 1000 + (ns % 1000 != 0);
}

/** Runs fast-path entry @a fast on register image @a s with interrupts off. */
static bool run_fast(
    bool (*fast)(ipc_regs_t *), ipc_regs_t *s, ipc_event_t *ev, errno_t *rc)
{
	bool ints = irq_save();
	bool done = fast(s);
	irq_restore(ints);
	if (done) {
		*rc = (errno_t) IPC_RESULT(s);
		if (*rc == EOK)
			regs_to_event(s, ev);
	}
	return done;
}

bool ipc_fast_call_wait_kernel(cap_handle_t phone_h, const ipc_data_t *data,
    sysarg_t label, uint64_t timeout_ns, unsigned flags, ipc_event_t *ev, errno_t *rc)
{
	ipc_regs_t s = {0};
	IPC_R0(&s) = phone_h;
	ipc_data_to_regs(data, &s);
	IPC_R7(&s) = label;
	IPC_R8(&s) = ns_to_usec(timeout_ns);
	IPC_R9(&s) = flags;
	return run_fast(ipc_fast_call_wait, &s, ev, rc);
}

bool ipc_fast_answer_wait_kernel(cap_handle_t call_h, const ipc_data_t *answer,
    uint64_t timeout_ns, unsigned flags, ipc_event_t *ev, errno_t *rc)
{
	ipc_regs_t s = {0};
	IPC_R0(&s) = call_h;
	ipc_data_to_regs(answer, &s);
	IPC_R7(&s) = ns_to_usec(timeout_ns);
	IPC_R8(&s) = flags;
	return run_fast(ipc_fast_answer_wait, &s, ev, rc);
}
