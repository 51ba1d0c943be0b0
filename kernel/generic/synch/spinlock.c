/*
 * Spinlocks. Interrupts stay disabled for as long as a lock is held; the
 * interrupt state of the outermost lock is restored on unlock.
 */
#include <spinlock.h>
#include <panic.h>
#include <arch/asm.h>

void spinlock_init(spinlock_t *lock, const char *name)
{
	lock->locked = 0;
	lock->irq_was_enabled = false;
	lock->name = name;
#ifdef CONFIG_DEBUG
	lock->owner_ip = NULL;
#endif
}

void spinlock_lock(spinlock_t *lock)
{
	bool enabled = irq_save();
#ifdef CONFIG_DEBUG
	/* One CPU today: a held lock can only be ours, which would deadlock. */
	if (lock->locked)
		panic("spinlock %s: recursive lock (held from %p)", lock->name,
		    lock->owner_ip);
#endif
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0) {
		while (lock->locked)
			cpu_relax();
	}
	lock->irq_was_enabled = enabled;
#ifdef CONFIG_DEBUG
	lock->owner_ip = __builtin_return_address(0);
#endif
}

void spinlock_unlock(spinlock_t *lock)
{
#ifdef CONFIG_DEBUG
	if (!lock->locked)
		panic("spinlock %s: unlock of a lock not held", lock->name);
#endif
	bool enabled = lock->irq_was_enabled;
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	irq_restore(enabled);
}

bool spinlock_unlock_keep_irq(spinlock_t *lock)
{
	bool enabled = lock->irq_was_enabled;
	lock->irq_was_enabled = false;
	spinlock_unlock(lock);
	return enabled;
}

bool spinlock_held(const spinlock_t *lock)
{
	return lock->locked != 0;
}
