/*
 * Spinlocks that disable interrupts on the local CPU while held, so a lock
 * taken in an interrupt handler can also be taken elsewhere. Debug builds
 * catch recursive locking and unlocking a lock not held.
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <types.h>

typedef struct {
	volatile int locked;
	bool irq_was_enabled;
	const char *name;
#ifdef CONFIG_DEBUG
	void *owner_ip;
#endif
} spinlock_t;

#define SPINLOCK_INITIALIZER(n) \
	{ \
		.locked = 0, .name = (n) \
	}

void spinlock_init(spinlock_t *lock, const char *name);
void spinlock_lock(spinlock_t *lock);
void spinlock_unlock(spinlock_t *lock);
bool spinlock_held(const spinlock_t *lock);
/** Releases @a lock but leaves interrupts disabled; returns whether they were
 *  enabled before the lock was taken (for a later irq_restore()). */
bool spinlock_unlock_keep_irq(spinlock_t *lock);

#endif
