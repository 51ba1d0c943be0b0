/*
 * libc's internal lock (the heap, streams): a futex mutex (futex.h). Locks
 * are held only for short, non-blocking sections, so contention is rare on
 * one CPU; with a task's threads on several CPUs a locker that finds the
 * lock taken sleeps in the kernel until the holder lets go, instead of
 * yielding in a loop: a yielding waiter kept its CPU busy, and on a host
 * that runs the CPUs as threads of its own it took the time the holder's
 * CPU needed to finish (asynctest's malloc_stress on four CPUs took 19-31 s
 * instead of 1-4 s once its two runners ran in parallel).
 */
#ifndef LIBC_PRIVATE_LOCK_H
#define LIBC_PRIVATE_LOCK_H

#include <futex.h>

typedef futex_mutex_t libc_lock_t;

#define LIBC_LOCK_INITIALIZER FUTEX_MUTEX_INITIALIZER

static inline void libc_lock(libc_lock_t *lock)
{
	futex_mutex_lock(lock);
}

static inline void libc_unlock(libc_lock_t *lock)
{
	futex_mutex_unlock(lock);
}

#endif
