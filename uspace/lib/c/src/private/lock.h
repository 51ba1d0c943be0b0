/*
 * libc's internal lock (the heap, streams): a futex mutex (futex.h). Locks
 * are held only for short, non-blocking sections, so contention is rare on
 * one CPU; with a task's threads on several CPUs a locker that finds the
 * lock taken sleeps in the kernel until the holder lets go, instead of
 * yielding in a loop: a yielding waiter kept its CPU busy, and on a host
 * that runs the CPUs as threads of its own it took the time the holder's
 * CPU needed to finish (asynctest's malloc_stress on four CPUs took 79-87 s
 * once its two runners ran in parallel, 17-18 s with this mutex, 1-4 s on
 * one CPU; docs/kernel.md).
 */
#ifndef LIBC_PRIVATE_LOCK_H
#define LIBC_PRIVATE_LOCK_H

#include <futex.h>
#include <stdbool.h>

typedef futex_mutex_t libc_lock_t;

#define LIBC_LOCK_INITIALIZER FUTEX_MUTEX_INITIALIZER

/* The uncontended lock and unlock inline (one compare-exchange each, as
 * cheap as the spinlock before); the mutex's own functions do the rest. */
static inline void libc_lock(libc_lock_t *lock)
{
	uint32_t unlocked = 0;
	if (__builtin_expect(!__atomic_compare_exchange_n(&lock->state, &unlocked, 1,
				 false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED),
		0))
		futex_mutex_lock(lock);
}

static inline void libc_unlock(libc_lock_t *lock)
{
	uint32_t held = 1; /* 2: sleepers to wake */
	if (__builtin_expect(!__atomic_compare_exchange_n(&lock->state, &held, 0, false,
				 __ATOMIC_RELEASE, __ATOMIC_RELAXED),
		0))
		futex_mutex_unlock(lock);
}

#endif
