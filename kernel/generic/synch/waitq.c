/*
 * Wait queues. A sleeping thread is on exactly one wait queue (thread->waitq)
 * and, with a timeout, on its CPU's timeout list. Whoever removes it from the
 * queue first (wake-up, timeout, interrupt) decides the sleep's result.
 * Lock: wq->lock; interrupts stay disabled from the condition check to the
 * switch, so a wake-up cannot be lost.
 */
#include <synch/waitq.h>
#include <arch/asm.h>
#include <cpu.h>
#include <proc/scheduler.h>
#include <proc/thread.h>
#include <time/clock.h>

void waitq_init(waitq_t *wq)
{
	waitq_init_class(wq, "waitq", LOCK_CLASS_WAITQ);
}

void waitq_init_class(waitq_t *wq, const char *name, lock_class_t cls)
{
	spinlock_init(&wq->lock, name, cls);
	list_initialize(&wq->sleepers);
}

/** Takes @a t off @a wq (whose lock is held) and makes it runnable. */
static void wake_locked(waitq_t *wq, thread_t *t, errno_t result)
{
	list_remove(&t->wait_link);
	t->waitq = NULL;
	t->wait_result = result;
	scheduler_ready(t);
}

/** Ends @a t's sleep with @a result if it still sleeps (and is interruptible when asked). */
static void wake_thread(thread_t *t, errno_t result, bool only_interruptible)
{
	bool ints = irq_save();
	waitq_t *wq = t->waitq;
	if (wq != NULL) {
		spinlock_lock(&wq->lock);
		if (t->waitq == wq &&
		    (!only_interruptible || (t->wait_flags & WAITQ_INTERRUPTIBLE)))
			wake_locked(wq, t, result);
		spinlock_unlock(&wq->lock);
	}
	irq_restore(ints);
}

static void sleep_timed_out(void *arg)
{
	wake_thread(arg, ETIMEOUT, false);
}

/** Queues the current thread on @a wq (lock held) as BLOCKED. */
static void enqueue_self(waitq_t *wq, unsigned flags)
{
	thread_t *t = THREAD;
	list_append(&t->wait_link, &wq->sleepers);
	t->waitq = wq;
	t->wait_flags = flags;
	t->wait_result = EOK;
	t->state = THREAD_BLOCKED;
}

/** Sleeps on @a wq (locked) until woken or @a deadline_ns, even if that has
 *  passed (the timeout then fires at the next tick). Inline in both callers:
 *  every blocking IPC wait goes through it. */
static inline __attribute__((always_inline)) errno_t sleep_until(
    waitq_t *wq, uint64_t deadline_ns, unsigned flags)
{
	thread_t *t = THREAD;
	if ((flags & WAITQ_INTERRUPTIBLE) && t->kill_pending) {
		spinlock_unlock(&wq->lock);
		return EINTR;
	}
	enqueue_self(wq, flags);
	if (deadline_ns != WAITQ_FOREVER)
		timeout_register_at(&t->wait_timeout, deadline_ns, sleep_timed_out, t);
	bool ints = spinlock_unlock_keep_irq(&wq->lock);
	schedule();
	if (deadline_ns != WAITQ_FOREVER)
		timeout_unregister(&t->wait_timeout);
	irq_restore(ints);
	return t->wait_result;
}

errno_t waitq_sleep_locked(waitq_t *wq, uint64_t timeout_ns, unsigned flags)
{
	return sleep_until(wq, waitq_deadline(timeout_ns), flags);
}

errno_t waitq_sleep_until_locked(waitq_t *wq, uint64_t deadline_ns, unsigned flags)
{
	if (deadline_ns != WAITQ_FOREVER && clock_ns() >= deadline_ns) {
		spinlock_unlock(&wq->lock);
		return ETIMEOUT;
	}
	return sleep_until(wq, deadline_ns, flags);
}

errno_t waitq_sleep_hand_off_locked(
    waitq_t *wq, uint64_t deadline_ns, unsigned flags, thread_t *next)
{
	thread_t *t = THREAD;
	if ((flags & WAITQ_INTERRUPTIBLE) && t->kill_pending) {
		spinlock_unlock(&wq->lock);
		scheduler_ready(next); /* it must run anyway */
		return EINTR;
	}
	enqueue_self(wq, flags);
	if (deadline_ns != WAITQ_FOREVER)
		timeout_register_at(&t->wait_timeout, deadline_ns, sleep_timed_out, t);
	bool ints = spinlock_unlock_keep_irq(&wq->lock);
	scheduler_hand_off(next);
	if (deadline_ns != WAITQ_FOREVER)
		timeout_unregister(&t->wait_timeout);
	irq_restore(ints);
	return t->wait_result;
}

void waitq_take_sleeper_locked(waitq_t *wq, thread_t *t)
{
	list_remove(&t->wait_link);
	t->waitq = NULL;
	t->wait_result = EOK;
}

errno_t waitq_sleep(waitq_t *wq, uint64_t timeout_ns, unsigned flags)
{
	spinlock_lock(&wq->lock);
	return waitq_sleep_locked(wq, timeout_ns, flags);
}

size_t waitq_wakeup_locked(waitq_t *wq, bool all)
{
	size_t n = 0;
	while (!list_empty(&wq->sleepers)) {
		thread_t *t = list_get_instance(
		    list_first(&wq->sleepers), thread_t, wait_link);
		wake_locked(wq, t, EOK);
		n++;
		if (!all)
			break;
	}
	return n;
}

size_t waitq_wakeup(waitq_t *wq, bool all)
{
	spinlock_lock(&wq->lock);
	size_t n = waitq_wakeup_locked(wq, all);
	spinlock_unlock(&wq->lock);
	return n;
}

void waitq_interrupt(thread_t *thread)
{
	wake_thread(thread, EINTR, true);
}

bool waitq_empty(waitq_t *wq)
{
	spinlock_lock(&wq->lock);
	bool empty = list_empty(&wq->sleepers);
	spinlock_unlock(&wq->lock);
	return empty;
}
