/*
 * A lock for short, non-blocking sections shared by threads (and by the
 * fibrils on them): a test-and-set flag. A thread that finds it taken yields
 * instead of spinning, so on one CPU the holder gets to run. Not recursive;
 * never hold one across anything that blocks.
 */
#ifndef LIBC_SPINLOCK_H
#define LIBC_SPINLOCK_H

#include <stdbool.h>
#include <thread.h>

typedef struct {
	bool locked;
} spinlock_t;

#define SPINLOCK_INITIALIZER \
	{ \
		false \
	}

static inline void spinlock_initialize(spinlock_t *lock)
{
	lock->locked = false;
}

/** The wait for a lock found taken (yielding between tries); out of line so
 *  that the uncontended lock is one exchange. */
void spinlock_lock_contended(spinlock_t *lock);

static inline void spinlock_lock(spinlock_t *lock)
{
	if (__builtin_expect(
		__atomic_exchange_n(&lock->locked, true, __ATOMIC_ACQUIRE), 0))
		spinlock_lock_contended(lock);
}

static inline bool spinlock_trylock(spinlock_t *lock)
{
	return !__atomic_exchange_n(&lock->locked, true, __ATOMIC_ACQUIRE);
}

static inline void spinlock_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, false, __ATOMIC_RELEASE);
}

#endif
