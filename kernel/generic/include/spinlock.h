/*
 * Spinlocks that disable interrupts on the local CPU while held, so a lock
 * taken in an interrupt handler can also be taken elsewhere.
 *
 * Every lock has a class (synch/lock_order.h, the kernel's one lock order).
 * With CONFIG_LOCKDEP (debug builds) every acquisition checks that the order
 * is kept, and recursive locking, unlocking a lock not held and a lock spun
 * on for far longer than any legitimate hold are caught (synch/lockdep.c):
 * a panic names the locks and call sites. Other debug builds (the
 * benchmark's kernels) record where a lock was taken and check unlocks; a
 * lock taken recursively or never released spins out of line until a limit
 * and panics naming its holder's call site (on several CPUs; on one, see
 * spinlock_cpus_shared). Non-debug builds compile none of it. The
 * uncontended lock of those builds writes no CPU record: on the IPC paths,
 * which take a dozen locks per round trip, that record was about a third of
 * a lock pair's instructions.
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <types.h>
#include <arch/asm.h>
#include <arch/cpu_local.h>
#include <arch/cpus_shared.h>
#include <synch/lock_order.h>

typedef struct {
	volatile int locked;
	bool irq_was_enabled;
	uint8_t lock_class; /* a lock_class_t */
	const char *name;
#ifdef CONFIG_DEBUG
	void *owner_ip; /* where the holder acquired it */
#endif
#ifdef CONFIG_LOCKDEP
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
/** Out of line: the rare cases of spinlock_lock/unlock. Spins until @a lock
 *  is free and takes it; debug builds panic past SPINLOCK_SPIN_LIMIT spins
 *  (a lock taken twice by one CPU, or never released). */
void spinlock_contended(spinlock_t *lock);
#define SPINLOCK_SPIN_LIMIT (1ull << 31)
NORETURN void spinlock_misuse(spinlock_t *lock, const char *what);

#ifdef CONFIG_LOCKDEP
/* The checked forms (synch/lockdep.c): out of line, so that the call site
 * is their return address. */
void spinlock_lock_checked(spinlock_t *lock);
void spinlock_unlock_checked(spinlock_t *lock);
#endif

/* False while the kernel runs on one CPU; set for good before a second CPU
 * starts (spinlock_cpus_share, from smp_cpu_prepare) and never cleared.
 * Builds without the lock checker do not read it: their locks test
 * arch_cpus_shared(), the same decision patched into the code, one no-op
 * while one CPU runs. Then a lock is only its interrupt-flag work: with
 * interrupts off nothing else runs on the only CPU, so no other holder can
 * exist, and the lock word is left alone (spinlock_held reads such a lock
 * free, spinlock_wait_free never waits). Such builds then miss a lock taken
 * twice on one CPU or an unlock of a lock not held; the lock checker of
 * debug builds (CONFIG_LOCKDEP) checks every acquisition in either mode. */
extern bool spinlock_cpus_shared;

/** Switches every lock to its several-CPU form for good: once, on the boot
 *  CPU, before a second CPU starts and while no lock is held (a lock taken
 *  in the one-CPU form must not be released in the other). */
void spinlock_cpus_share(void);

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
	/* One CPU, interrupts off: nothing to do. */
	if (arch_cpus_shared()) {
		if (unlikely(
			__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0))
			spinlock_contended(lock);
#ifdef CONFIG_DEBUG
		lock->owner_ip = __builtin_return_address(0);
#endif
	}
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
	if (!arch_cpus_shared())
		return; /* one CPU: the word was left alone */
#ifdef CONFIG_DEBUG
	if (unlikely(!arch_lock_word_release_held(&lock->locked)))
		spinlock_misuse(lock, "unlock of a lock not held");
#else
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
#endif
#endif
}

static inline void spinlock_unlock(spinlock_t *lock)
{
	bool enabled = lock->irq_was_enabled;
	spinlock_unlock_noirq(lock);
	irq_restore(enabled);
}

/** Whether @a lock is held; a lock of a build without the lock checker
 *  reads free while one CPU runs (spinlock_cpus_shared). */
static inline bool spinlock_held(const spinlock_t *lock)
{
	return lock->locked != 0;
}

/** Returns once @a lock is free (its holder has released it), without
 *  taking it: for a thread that must know that whoever held the lock when
 *  it was woken is done with the memory the lock guards. */
static inline void spinlock_wait_free(const spinlock_t *lock)
{
	while (unlikely(__atomic_load_n(&lock->locked, __ATOMIC_ACQUIRE) != 0))
		cpu_relax();
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
