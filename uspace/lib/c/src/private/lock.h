/*
 * libc's internal lock: a test-and-set flag. A thread that finds it taken
 * yields instead of spinning, so on one CPU the holder gets to run; locks are
 * held only for short, non-blocking sections (a heap operation, a stream
 * write), so contention is rare. Not recursive.
 */
#ifndef LIBC_PRIVATE_LOCK_H
#define LIBC_PRIVATE_LOCK_H

#include <stdbool.h>
#include <thread.h>

typedef struct {
	bool locked;
} libc_lock_t;

#define LIBC_LOCK_INITIALIZER \
	{ \
		false \
	}

static inline void libc_lock(libc_lock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, true, __ATOMIC_ACQUIRE))
		thread_yield();
}

static inline void libc_unlock(libc_lock_t *lock)
{
	__atomic_store_n(&lock->locked, false, __ATOMIC_RELEASE);
}

#endif
