/*
 * Spinlocks that disable interrupts on the local CPU while held, so a lock
 * taken in an interrupt handler can also be taken elsewhere. Debug builds
 * catch recursive locking and unlocking a lock not held.
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <types.h>
#include <arch/asm.h>

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
/** Out of line: the rare cases of spinlock_lock/unlock. */
void spinlock_contended(spinlock_t *lock);
NORETURN void spinlock_misuse(spinlock_t *lock, const char *what);

/*
 * Lock and unlock are inline: they sit on every IPC path. The _noirq forms
 * are for code that runs with interrupts disabled already (the IPC fast
 * path): they leave the interrupt flag alone, and a lock taken with them
 * records "interrupts were off", so even a plain unlock keeps them off.
 */
static inline void spinlock_lock_noirq(spinlock_t *lock)
{
#ifdef CONFIG_DEBUG
	/* One CPU today: a held lock can only be ours, which would deadlock. */
	if (unlikely(lock->locked))
		spinlock_misuse(lock, "recursive lock");
#endif
	if (unlikely(__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0))
		spinlock_contended(lock);
	lock->irq_was_enabled = false;
#ifdef CONFIG_DEBUG
	lock->owner_ip = __builtin_return_address(0);
#endif
}

static inline void spinlock_lock(spinlock_t *lock)
{
	bool enabled = irq_save();
	spinlock_lock_noirq(lock);
	lock->irq_was_enabled = enabled;
}

static inline void spinlock_unlock_noirq(spinlock_t *lock)
{
#ifdef CONFIG_DEBUG
	if (unlikely(!lock->locked))
		spinlock_misuse(lock, "unlock of a lock not held");
#endif
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static inline void spinlock_unlock(spinlock_t *lock)
{
	bool enabled = lock->irq_was_enabled;
	spinlock_unlock_noirq(lock);
	irq_restore(enabled);
}

static inline bool spinlock_held(const spinlock_t *lock)
{
	return lock->locked != 0;
}

/** Releases @a lock but leaves interrupts disabled; returns whether they were
 *  enabled before the lock was taken (for a later irq_restore()). */
static inline bool spinlock_unlock_keep_irq(spinlock_t *lock)
{
	bool enabled = lock->irq_was_enabled;
	lock->irq_was_enabled = false;
	spinlock_unlock(lock);
	return enabled;
}

#endif
