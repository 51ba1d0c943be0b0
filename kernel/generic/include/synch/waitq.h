/*
 * Wait queues: threads sleep on a queue until woken, timed out or (for
 * interruptible sleeps) interrupted by a kill. Everything else that blocks
 * (mutex, semaphore, condvar, IPC wait, join) is built on them.
 *
 * The sleeping pattern: take wq->lock, test the condition, and if the thread
 * must wait call waitq_sleep_locked(), which releases the lock atomically with
 * respect to wake-ups.
 */
#ifndef KERN_SYNCH_WAITQ_H
#define KERN_SYNCH_WAITQ_H

#include <common/adt/list.h>
#include <spinlock.h>
#include <time/clock.h>
#include <types.h>

#define WAITQ_INTERRUPTIBLE 0x1 /* a kill or poke ends the sleep with EINTR */

#define WAITQ_FOREVER 0 /* timeout or deadline value: none */

typedef struct waitq {
	spinlock_t lock;
	list_t sleepers; /* thread_t.wait_link, in arrival order */
} waitq_t;

struct thread;

/** A wait queue whose lock is of class WAITQ (synch/lock_order.h). */
void waitq_init(waitq_t *wq);
/** A wait queue whose lock plays another part in the lock order (a box). */
void waitq_init_class(waitq_t *wq, const char *name, lock_class_t cls);
/** Sleeps until woken (EOK), @a timeout_ns passed (ETIMEOUT) or interrupted (EINTR).
 *  The caller holds wq->lock; it is released. */
errno_t waitq_sleep_locked(waitq_t *wq, uint64_t timeout_ns, unsigned flags);
/** The deadline (a clock_ns() value) @a timeout_ns from now; WAITQ_FOREVER
 *  for WAITQ_FOREVER. A caller that may sleep several times for one wait
 *  computes it once, so that wake-ups finding nothing do not lengthen it. */
static inline uint64_t waitq_deadline(uint64_t timeout_ns)
{
	return timeout_ns == WAITQ_FOREVER ? WAITQ_FOREVER : clock_ns() + timeout_ns;
}
/** Like waitq_sleep_locked, up to @a deadline_ns (WAITQ_FOREVER: none);
 *  ETIMEOUT at once, without sleeping, if it has passed. */
errno_t waitq_sleep_until_locked(waitq_t *wq, uint64_t deadline_ns, unsigned flags);
/* waitq_sleep_hand_off_inline(): the hand-off sleep, in synch/waitq_hand_off.h. */
/* waitq_take_sleeper_locked(): inline in proc/thread.h (it needs thread_t). */
/** Same without a condition check. */
errno_t waitq_sleep(waitq_t *wq, uint64_t timeout_ns, unsigned flags);
/** Wakes the first sleeper (or all with @a all); returns how many were woken. */
size_t waitq_wakeup(waitq_t *wq, bool all);
/** Same with wq->lock already held. */
size_t waitq_wakeup_locked(waitq_t *wq, bool all);
/** Ends @a thread's interruptible sleep with EINTR; no effect otherwise. */
void waitq_interrupt(struct thread *thread);
bool waitq_empty(waitq_t *wq);

#endif
