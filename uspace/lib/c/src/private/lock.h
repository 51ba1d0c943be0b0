/*
 * libc's internal lock: the public spinlock (spinlock.h) under the name
 * libc's files use. Locks are held only for short, non-blocking sections (a
 * heap operation, a stream write), so contention is rare.
 */
#ifndef LIBC_PRIVATE_LOCK_H
#define LIBC_PRIVATE_LOCK_H

#include <spinlock.h>

typedef spinlock_t libc_lock_t;

#define LIBC_LOCK_INITIALIZER SPINLOCK_INITIALIZER

static inline void libc_lock(libc_lock_t *lock)
{
	spinlock_lock(lock);
}

static inline void libc_unlock(libc_lock_t *lock)
{
	spinlock_unlock(lock);
}

#endif
