/*
 * Spinlocks that disable interrupts on the local CPU while held, so a lock
 * taken in an interrupt handler can also be taken elsewhere.
 *
 * Every lock has a class (synch/lock_order.h, the kernel's one lock order).
 * With CONFIG_LOCKDEP (debug builds) every acquisition checks that the order
 * is kept, and recursive locking, unlocking a lock not held and a lock spun
 * on for far longer than any legitimate hold are caught (synch/lockdep.c):
 * a panic names the locks and call sites. Other debug builds keep only the
 * recursion (held by this CPU) and unlock checks; non-debug builds compile
 * none of it.
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <types.h>
#include <arch/asm.h>
#include <arch/cpu_local.h>
#include <synch/lock_order.h>

typedef struct {
	volatile int locked;
	bool irq_was_enabled;
	uint8_t lock_class; /* a lock_class_t */
	const char *name;
#ifdef CONFIG_DEBUG
	void *owner_ip;	 /* where the holder acquired it */
	void *owner_cpu; /* the holder's cpu_t; NULL: not recorded */
#endif
} spinlock_t;

#define SPINLOCK_INITIALIZER(n, cls) \
	{ \
		.locked = 0, .lock_class = LOCK_CLASS_##cls, .name = (n) \
	}

#ifdef CONFIG_LOCKDEP
/* Locks one CPU holds, in acquisition order (cpu_t.held_locks); only that
 * CPU touches it, with interrupts disabled. */
#define LOCK_HELD_MAX 16
typedef struct {
	unsigned depth;
	spinlock_t *locks[LOCK_HELD_MAX];
} lock_held_t;
#endif

/** @a cls: LOCK_CLASS_xxx, the lock's place in the lock order. */
void spinlock_init(spinlock_t *lock, const char *name, lock_class_t cls);
/** Out of line: the rare cases of spinlock_lock/unlock. */
void spinlock_contended(spinlock_t *lock);
NORETURN void spinlock_misuse(spinlock_t *lock, const char *what);

#ifdef CONFIG_LOCKDEP
/* The checked forms (synch/lockdep.c): out of line, so that the call site
 * is their return address. */
void spinlock_lock_checked(spinlock_t *lock);
void spinlock_unlock_checked(spinlock_t *lock);
#endif

/*
 * Lock and unlock are inline: they sit on every IPC path. The _noirq forms
 * are for code that runs with interrupts disabled already (the IPC fast
 * path): they leave the interrupt flag alone, and a lock taken with them
 * records "interrupts were off", so even a plain unlock keeps them off.
 */
static inline void spinlock_lock_noirq(spinlock_t *lock)
{
#ifdef CONFIG_LOCKDEP
	spinlock_lock_checked(lock);
#else
#ifdef CONFIG_DEBUG
	/* Held by this CPU already: waiting would never end. */
	if (unlikely(lock->locked && lock->owner_cpu == arch_cpu_local()))
		spinlock_misuse(lock, "recursive lock");
#endif
	if (unlikely(__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0))
		spinlock_contended(lock);
#ifdef CONFIG_DEBUG
	lock->owner_ip = __builtin_return_address(0);
	lock->owner_cpu = arch_cpu_local();
#endif
#endif
	lock->irq_was_enabled = false;
}

static inline void spinlock_lock(spinlock_t *lock)
{
	bool enabled = irq_save();
	spinlock_lock_noirq(lock);
	lock->irq_was_enabled = enabled;
}

static inline void spinlock_unlock_noirq(spinlock_t *lock)
{
#ifdef CONFIG_LOCKDEP
	spinlock_unlock_checked(lock);
#else
#ifdef CONFIG_DEBUG
	if (unlikely(!lock->locked))
		spinlock_misuse(lock, "unlock of a lock not held");
	lock->owner_cpu = NULL;
#endif
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
#endif
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
