/*
 * Spinlocks: the rare paths (see spinlock.h for lock and unlock, and
 * synch/lockdep.c for the debug build's checked forms). Interrupts stay
 * disabled for as long as a lock is held; the interrupt state of the
 * outermost lock is restored on unlock.
 */
#include <spinlock.h>
#include <panic.h>
#include <arch/asm.h>

bool spinlock_cpus_shared;

void spinlock_init(spinlock_t *lock, const char *name, lock_class_t cls)
{
	lock->locked = 0;
	lock->irq_was_enabled = false;
	lock->lock_class = (uint8_t) cls;
	lock->name = name;
#ifdef CONFIG_DEBUG
	lock->owner_ip = NULL;
#endif
#ifdef CONFIG_LOCKDEP
	lock->owner_cpu = NULL;
#endif
}

void spinlock_contended(spinlock_t *lock)
{
#ifdef CONFIG_DEBUG
	uint64_t spins = 0;
#endif
	do {
		while (lock->locked) {
#ifdef CONFIG_DEBUG
			/* No legitimate hold lasts this long: the lock was
			 * taken twice by one CPU or never released. */
			if (++spins > SPINLOCK_SPIN_LIMIT)
				spinlock_misuse(lock,
				    "spun on for too long (recursive, or never "
				    "released)");
#endif
			cpu_relax();
		}
	} while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0);
}

void spinlock_misuse(spinlock_t *lock, const char *what)
{
#ifdef CONFIG_DEBUG
	panic("spinlock %s: %s (held from %p)", lock->name, what, lock->owner_ip);
#else
	panic("spinlock %s: %s", lock->name, what);
#endif
}

void spinlock_cpus_share(void)
{
	if (spinlock_cpus_shared)
		return;
	arch_cpus_shared_patch();
	__atomic_store_n(&spinlock_cpus_shared, true, __ATOMIC_SEQ_CST);
}
