/*
 * The debug build's lock checker (synch/lockdep.c): lock order, recursion,
 * unlock of a lock not held, spin-too-long. Each CPU keeps the locks it holds
 * in its cpu_t (held_locks). A violation panics naming the locks and call
 * sites; the checker's self-tests divert reports to a hook instead.
 */
#ifndef KERN_SYNCH_LOCKDEP_H
#define KERN_SYNCH_LOCKDEP_H

#include <spinlock.h>

typedef enum {
	LOCKDEP_ORDER,	   /* acquired after a lock of a class at or after its own */
	LOCKDEP_RECURSIVE, /* acquired by the CPU that holds it */
	LOCKDEP_NOT_HELD,  /* released by a CPU that does not hold it */
	LOCKDEP_SPIN,	   /* spun on for more than the spin limit */
} lockdep_kind_t;

typedef struct {
	lockdep_kind_t kind;
	const spinlock_t *lock; /* the lock being acquired or released */
	void *ip;		/* ... and where */
	const spinlock_t *held; /* the lock in the way (ORDER, RECURSIVE, SPIN) */
	void *held_ip;		/* where its holder acquired it */
} lockdep_report_t;

/* Spin iterations after which a waiter panics: far beyond any legitimate
 * hold (a hold is a few thousand instructions; this is tens of seconds of
 * spinning under emulation, longer than a loaded host holds back the
 * holder's vCPU), and counted, not timed. */
#define LOCKDEP_SPIN_LIMIT (1ull << 31)

#ifdef CONFIG_LOCKDEP
/** Starts checking; from here on the running CPU's cpu_t must be reachable. */
void lockdep_init(void);
/** Stops checking (panic: the report must get out whatever is held). */
void lockdep_disable(void);
/** Self-tests only: while @a hook is set, a violation is passed to it instead
 *  of panicking, and the operation then goes on as far as it safely can: an
 *  order violation acquires, a spin-too-long takes the lock over, a recursive
 *  acquisition or an unlock of a lock not held does nothing. NULL: panic. */
void lockdep_set_hook(void (*hook)(const lockdep_report_t *report));
/** Self-tests only: sets the spin limit (iterations); returns the old one. */
uint64_t lockdep_set_spin_limit(uint64_t iterations);
/** How many locks the running CPU holds. */
unsigned lockdep_depth(void);
#else
static inline void lockdep_init(void)
{
}
static inline void lockdep_disable(void)
{
}
#endif

/** "tasks", "box", ...: the short name of @a cls (from lock_order.h). */
const char *lock_class_name(lock_class_t cls);

#endif
