/*
 * The hand-off sleep (waitq_sleep_hand_off_inline), inline with the
 * hand-off's switch (scheduler_hand_off_inline): the IPC fast path sleeps
 * through it twice per round trip, and its call, frame and saved registers
 * cost more than its body. The enqueue step is
 * shared with the general sleep (synch/waitq.c), whose locking rules and
 * kill protocol (the top of waitq.c) hold here unchanged.
 */
#ifndef KERN_SYNCH_WAITQ_HAND_OFF_H
#define KERN_SYNCH_WAITQ_HAND_OFF_H

#include <synch/waitq.h>
#include <arch/asm.h>
#include <cpu.h>
#include <proc/scheduler_switch.h>
#include <proc/thread.h>
#include <time/timeout.h>

/** A sleep's timeout handler (@a arg: the thread), in waitq.c. */
void waitq_sleep_timed_out(void *arg);

/** Queues the current thread @a t on @a wq (lock held) as BLOCKED; false,
 *  queued nowhere, if the sleep is interruptible and a kill is pending. The
 *  kill is read after t->waitq is published (see the top of waitq.c). */
static inline __attribute__((always_inline)) bool waitq_enqueue_self(
    waitq_t *wq, thread_t *t, unsigned flags)
{
	list_append(&t->wait_link, &wq->sleepers);
	t->wait_flags = flags;
	t->wait_result = EOK;
	__atomic_store_n(&t->waitq, wq, __ATOMIC_SEQ_CST);
	if ((flags & WAITQ_INTERRUPTIBLE) &&
	    __atomic_load_n(&t->kill_pending, __ATOMIC_SEQ_CST)) {
		list_remove(&t->wait_link);
		t->waitq = NULL;
		return false;
	}
	t->state = THREAD_BLOCKED;
	return true;
}

/** Like waitq_sleep_until_locked, but hands the CPU straight to @a next, a
 *  blocked thread already taken off its queue, instead of asking the
 *  scheduler (and sleeps even if @a deadline_ns has passed: the timeout then
 *  fires at the next tick). Interrupts must be disabled since @a next was
 *  taken off. Only for a queue that lives as long as the sleeping thread
 *  (its task's box, its own ipc_wq): unlike the general sleep it returns
 *  without waiting for wakers to leave the queue. */
static inline __attribute__((always_inline)) errno_t waitq_sleep_hand_off_inline(
    waitq_t *wq, uint64_t deadline_ns, unsigned flags, thread_t *next)
{
	thread_t *t = THREAD;
	if (!waitq_enqueue_self(wq, t, flags)) {
		spinlock_unlock(&wq->lock);
		scheduler_ready_noirq(next); /* it must run anyway */
		return EINTR;
	}
	if (deadline_ns != WAITQ_FOREVER)
		timeout_register_at(
		    &t->wait_timeout, deadline_ns, waitq_sleep_timed_out, t);
	bool ints = spinlock_unlock_keep_irq(&wq->lock);
	scheduler_hand_off_inline(next);
	if (deadline_ns != WAITQ_FOREVER)
		timeout_unregister(&t->wait_timeout);
	irq_restore(ints);
	return t->wait_result;
}

#endif
