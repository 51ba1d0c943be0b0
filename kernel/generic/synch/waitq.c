/*
 * Wait queues. A sleeping thread is on exactly one wait queue (thread->waitq)
 * and, with a timeout, on its CPU's timeout list. Whoever removes it from the
 * queue first (wake-up, timeout, interrupt) decides the sleep's result.
 * Lock: wq->lock; interrupts stay disabled from the condition check to the
 * switch, so a wake-up cannot be lost.
 *
 * Several CPUs: a woken thread may run on its home CPU while its waker still
 * holds wq->lock, and a kill looks the queue up through thread->waitq from
 * any CPU. A wait queue may live on the sleeper's stack (thread_sleep) or in
 * an object freed once the wait ends, so the general sleep returns only once
 * nobody can still touch the queue:
 *  - a waker wakes under wq->lock: the sleeper waits for that lock to be
 *    released before it returns;
 *  - waitq_interrupt() holds thread->lock (THREAD, before WAITQ) from reading
 *    thread->waitq until it releases the queue's lock: the sleeper waits for
 *    its own thread->lock to be free before it returns.
 * A kill sets kill_pending and then reads thread->waitq; a sleeper publishes
 * thread->waitq and then reads kill_pending (both sequentially consistent),
 * so one of them sees the other and a kill is never lost.
 */
#include <synch/waitq.h>
#include <synch/waitq_hand_off.h>
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
	scheduler_ready_noirq(t); /* interrupts are off under wq->lock */
}

/** Ends @a t's sleep with @a result if it still sleeps (and is interruptible
 *  when asked). From any CPU: t->lock keeps the queue read from t->waitq
 *  alive until it is unlocked (see wait_end). */
static void wake_thread(thread_t *t, errno_t result, bool only_interruptible)
{
	spinlock_lock(&t->lock);
	waitq_t *wq = __atomic_load_n(&t->waitq, __ATOMIC_SEQ_CST);
	if (wq != NULL) {
		spinlock_lock(&wq->lock);
		if (t->waitq == wq &&
		    (!only_interruptible || (t->wait_flags & WAITQ_INTERRUPTIBLE)))
			wake_locked(wq, t, result);
		spinlock_unlock(&wq->lock);
	}
	spinlock_unlock(&t->lock);
}

void waitq_sleep_timed_out(void *arg)
{
	wake_thread(arg, ETIMEOUT, false);
}

/** The end of a general sleep on @a wq (interrupts off, no lock held):
 *  returns once no waker or interrupter can still touch @a wq, which the
 *  caller may free or leave (a stack frame) next. Waiting for each lock to
 *  be free is enough, no need to take it: the holder's release is its last
 *  touch of @a wq. An interrupter that takes t->lock after we saw it free
 *  reads t->waitq = NULL, so it never reaches @a wq: whoever cleared it
 *  made the store globally visible before we saw t->lock free (a remote
 *  waker by its locked exchange on our run queue before we could run, this
 *  CPU by the fence below), and x86 shows all CPUs one order of stores. */
static void wait_end(thread_t *t, waitq_t *wq)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* An interrupter holds t->lock until it has released wq->lock. */
	spinlock_wait_free(&t->lock);
	/* A waker held wq->lock when it made us ready. */
	spinlock_wait_free(&wq->lock);
}

/** Sleeps on @a wq (locked) until woken or @a deadline_ns, even if that has
 *  passed (the timeout then fires at the next tick). Inline in both callers:
 *  every blocking IPC wait goes through it. */
static inline __attribute__((always_inline)) errno_t sleep_until(
    waitq_t *wq, uint64_t deadline_ns, unsigned flags)
{
	thread_t *t = THREAD;
	if (!waitq_enqueue_self(wq, t, flags)) {
		bool ints = spinlock_unlock_keep_irq(&wq->lock);
		wait_end(t, wq);
		irq_restore(ints);
		return EINTR;
	}
	if (deadline_ns != WAITQ_FOREVER)
		timeout_register_at(
		    &t->wait_timeout, deadline_ns, waitq_sleep_timed_out, t);
	bool ints = spinlock_unlock_keep_irq(&wq->lock);
	schedule();
	if (deadline_ns != WAITQ_FOREVER)
		timeout_unregister(&t->wait_timeout);
	wait_end(t, wq);
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
