/*
 * The lock checker of the debug build (synch/lockdep.h, lock_order.h).
 *
 * Each CPU records the spinlocks it holds in its cpu_t (held_locks), in
 * acquisition order. Invariant: the record is sorted by class rank, because
 * an acquisition is allowed only above the last entry (a higher rank, or the
 * same rank at a higher address for a LOCK_NEST_BY_ADDRESS class), and a
 * release removes its entry wherever it is. So checking an acquisition
 * against the last entry checks it against every lock held.
 *
 * Only the owning CPU touches its record, with interrupts disabled (every
 * lock operation runs with them off). The checker itself takes no lock.
 */
#include <synch/lockdep.h>
#include <cpu.h>
#include <panic.h>
#include <symtab.h>

static const char *const class_names[LOCK_CLASS_COUNT] = {
#define LOCK_CLASS_NAME(id, what, flags) [LOCK_CLASS_##id] = #id,
    LOCK_ORDER_TABLE(LOCK_CLASS_NAME)
#undef LOCK_CLASS_NAME
};

const char *lock_class_name(lock_class_t cls)
{
	return cls < LOCK_CLASS_COUNT ? class_names[cls] : "?";
}

#ifdef CONFIG_LOCKDEP

static const uint8_t class_flags[LOCK_CLASS_COUNT] = {
#define LOCK_CLASS_FLAGS(id, what, flags) [LOCK_CLASS_##id] = (flags),
    LOCK_ORDER_TABLE(LOCK_CLASS_FLAGS)
#undef LOCK_CLASS_FLAGS
};

static bool lockdep_on;
static uint64_t spin_limit = LOCKDEP_SPIN_LIMIT;
static void (*report_hook)(const lockdep_report_t *report);

void lockdep_init(void)
{
	lockdep_on = true;
}

void lockdep_disable(void)
{
	lockdep_on = false;
}

void lockdep_set_hook(void (*hook)(const lockdep_report_t *report))
{
	report_hook = hook;
}

uint64_t lockdep_set_spin_limit(uint64_t iterations)
{
	uint64_t old = spin_limit;
	spin_limit = iterations;
	return old;
}

unsigned lockdep_depth(void)
{
	return lockdep_on ? CPU->held_locks.depth : 0;
}

static const char *const kind_text[] = {
    [LOCKDEP_ORDER] = "lock order violated",
    [LOCKDEP_RECURSIVE] = "recursive lock",
    [LOCKDEP_NOT_HELD] = "unlock of a lock this CPU does not hold",
    [LOCKDEP_SPIN] = "spun on for too long",
};

/** The symbol @a ip is in (for a report), "?" if none. */
static const char *site_symbol(void *ip, uintptr_t *off)
{
	*off = 0;
	const char *sym = symtab_lookup((uintptr_t) ip, off);
	return sym != NULL ? sym : "?";
}

/** Hands @a r to the test hook, or panics with it (panic() first puts the
 *  console into panic mode, so a lock held by this CPU is no obstacle). */
static void report(const lockdep_report_t *r)
{
	if (report_hook != NULL) {
		report_hook(r);
		return;
	}
	lockdep_on = false;
	const spinlock_t *held = r->held != NULL ? r->held : r->lock;
	uintptr_t off, held_off;
	const char *sym = site_symbol(r->ip, &off);
	const char *held_sym = site_symbol(r->held_ip, &held_off);
	panic("lockdep: CPU %u: %s\n"
	      "  this lock: %s (%s) at %p %s+%#lx\n"
	      "  %s: %s (%s) at %p %s+%#lx",
	    CPU->id, kind_text[r->kind], r->lock->name,
	    lock_class_name(r->lock->lock_class), r->ip, sym, (unsigned long) off,
	    r->kind == LOCKDEP_ORDER ? "after" : "held", held->name,
	    lock_class_name(held->lock_class), r->held_ip, held_sym,
	    (unsigned long) held_off);
}

/** Whether @a next may be acquired while @a top (the last lock held) is. */
static bool order_allows(const spinlock_t *top, const spinlock_t *next)
{
	if (next->lock_class != top->lock_class)
		return next->lock_class > top->lock_class;
	return (class_flags[next->lock_class] & LOCK_NEST_BY_ADDRESS) &&
	    (uintptr_t) next > (uintptr_t) top;
}

/** The first lock held that @a next may not be acquired after. */
static spinlock_t *first_conflict(lock_held_t *h, const spinlock_t *next)
{
	for (unsigned i = 0; i < h->depth; i++) {
		if (!order_allows(h->locks[i], next))
			return h->locks[i];
	}
	return h->locks[h->depth - 1];
}

/** Checks an acquisition of @a lock at @a ip by @a cpu; false: do not
 *  acquire (reported to the test hook). */
static bool check_acquire(cpu_t *cpu, spinlock_t *lock, void *ip)
{
	lock_held_t *h = &cpu->held_locks;
	lockdep_report_t r = {.lock = lock, .ip = ip};
	if (lock->locked && lock->owner_cpu == cpu) {
		r.kind = LOCKDEP_RECURSIVE;
		r.held = lock;
		r.held_ip = lock->owner_ip;
		report(&r);
		return false;
	}
	if (h->depth > 0 && !order_allows(h->locks[h->depth - 1], lock)) {
		r.kind = LOCKDEP_ORDER;
		r.held = first_conflict(h, lock);
		r.held_ip = r.held->owner_ip;
		report(&r);
	}
	if (h->depth == LOCK_HELD_MAX)
		panic("lockdep: CPU %u holds %u locks, taking %s", cpu->id, h->depth,
		    lock->name);
	return true;
}

/** Spins until @a lock is free and takes it; past the spin limit reports the
 *  holder (a test hook then lets the caller take the lock over). */
static void spin_acquire(spinlock_t *lock, void *ip)
{
	uint64_t spins = 0;
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0) {
		while (lock->locked) {
			if (++spins > spin_limit) {
				lockdep_report_t r = {.kind = LOCKDEP_SPIN,
				    .lock = lock,
				    .ip = ip,
				    .held = lock,
				    .held_ip = lock->owner_ip};
				report(&r);
				return; /* the test hook took it over */
			}
			cpu_relax();
		}
	}
}

void spinlock_lock_checked(spinlock_t *lock)
{
	void *ip = __builtin_return_address(0);
	if (!lockdep_on) {
		if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0)
			spin_acquire(lock, ip);
		lock->owner_cpu = NULL;
		lock->owner_ip = ip;
		return;
	}
	cpu_t *cpu = CPU;
	if (!check_acquire(cpu, lock, ip))
		return;
	if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0)
		spin_acquire(lock, ip);
	lock->owner_cpu = cpu;
	lock->owner_ip = ip;
	lock_held_t *h = &cpu->held_locks;
	h->locks[h->depth++] = lock;
}

/** Takes @a lock out of @a h; false if it is not there. */
static bool held_remove(lock_held_t *h, const spinlock_t *lock)
{
	for (unsigned i = h->depth; i-- > 0;) {
		if (h->locks[i] != lock)
			continue;
		for (unsigned j = i + 1; j < h->depth; j++)
			h->locks[j - 1] = h->locks[j];
		h->depth--;
		return true;
	}
	return false;
}

void spinlock_unlock_checked(spinlock_t *lock)
{
	void *ip = __builtin_return_address(0);
	/* Acquired before the checker started or while it was off: not recorded. */
	bool recorded = lock->owner_cpu != NULL;
	if (lockdep_on &&
	    (!lock->locked || (recorded && !held_remove(&CPU->held_locks, lock)))) {
		lockdep_report_t r = {.kind = LOCKDEP_NOT_HELD, .lock = lock, .ip = ip};
		report(&r);
		return;
	}
	if (!lockdep_on && !lock->locked)
		spinlock_misuse(lock, "unlock of a lock not held");
	lock->owner_cpu = NULL;
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

#endif
