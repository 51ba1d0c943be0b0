/*
 * Self-tests of the debug build's lock checker (synch/lockdep.c): order
 * inversions, same-class nesting, recursion, unlocking a lock not held and
 * spinning too long are reported naming the locks and call sites; legal
 * nesting is not. Reports go to a hook instead of panicking. Each test does
 * its lock operations first (interrupts off) and checks afterwards, so an
 * early return never leaves a lock held.
 */
#include <test.h>
#include <cpu.h>
#include <string.h>
#include <synch/lockdep.h>

#ifdef CONFIG_LOCKDEP

#define REPORTS_MAX 4

static lockdep_report_t reports[REPORTS_MAX];
static unsigned report_count;

static void record_report(const lockdep_report_t *r)
{
	if (report_count < REPORTS_MAX)
		reports[report_count] = *r;
	report_count++;
}

static void hook_off(void *arg)
{
	lockdep_set_hook(NULL);
}

/** Reports go to record_report() until the test ends. */
static void divert_reports(void)
{
	report_count = 0;
	memset(reports, 0, sizeof(reports));
	lockdep_set_hook(record_report);
	ktest_cleanup(hook_off, NULL);
}

/* Two locks of one nestable class, @a lo at the lower address. */
static spinlock_t pair[2];

KTEST(lockdep_inversion_names_both_locks_and_sites)
{
	spinlock_t outer, inner;
	spinlock_init(&outer, "test-outer", LOCK_CLASS_TEST_OUTER);
	spinlock_init(&inner, "test-inner", LOCK_CLASS_TEST_INNER);
	divert_reports();
	bool ints = irq_save();
	unsigned depth = lockdep_depth();
	spinlock_lock_noirq(&inner);
	spinlock_lock_noirq(&outer); /* inverted: reported, then acquired */
	unsigned held = lockdep_depth();
	spinlock_unlock_noirq(&outer);
	spinlock_unlock_noirq(&inner);
	unsigned after = lockdep_depth();
	irq_restore(ints);

	KT_ASSERT_EQ(report_count, 1);
	KT_ASSERT_EQ(reports[0].kind, LOCKDEP_ORDER);
	KT_ASSERT(reports[0].lock == &outer);
	KT_ASSERT(reports[0].held == &inner);
	KT_ASSERT(reports[0].ip != NULL && reports[0].held_ip != NULL);
	KT_ASSERT(reports[0].ip != reports[0].held_ip);
	KT_ASSERT_EQ(held, depth + 2);
	KT_ASSERT_EQ(after, depth);
}

KTEST(lockdep_legal_nesting_passes)
{
	spinlock_t outer, inner;
	spinlock_init(&outer, "test-outer", LOCK_CLASS_TEST_OUTER);
	spinlock_init(&inner, "test-inner", LOCK_CLASS_TEST_INNER);
	spinlock_init(&pair[0], "test-pair-0", LOCK_CLASS_TEST_NESTED);
	spinlock_init(&pair[1], "test-pair-1", LOCK_CLASS_TEST_NESTED);
	divert_reports();
	bool ints = irq_save();
	unsigned depth = lockdep_depth();
	spinlock_lock_noirq(&outer);
	spinlock_lock_noirq(&pair[0]);
	spinlock_lock_noirq(&pair[1]); /* same class, ascending address */
	spinlock_lock_noirq(&inner);
	unsigned held = lockdep_depth();
	/* Released out of order: the middle entries go first. */
	spinlock_unlock_noirq(&pair[0]);
	spinlock_unlock_noirq(&outer);
	spinlock_unlock_noirq(&pair[1]);
	spinlock_unlock_noirq(&inner);
	unsigned after = lockdep_depth();
	irq_restore(ints);

	KT_ASSERT_EQ(report_count, 0);
	KT_ASSERT_EQ(held, depth + 4);
	KT_ASSERT_EQ(after, depth);
}

KTEST(lockdep_same_class_needs_ascending_address)
{
	spinlock_init(&pair[0], "test-pair-0", LOCK_CLASS_TEST_NESTED);
	spinlock_init(&pair[1], "test-pair-1", LOCK_CLASS_TEST_NESTED);
	divert_reports();
	bool ints = irq_save();
	spinlock_lock_noirq(&pair[1]);
	spinlock_lock_noirq(&pair[0]);
	spinlock_unlock_noirq(&pair[0]);
	spinlock_unlock_noirq(&pair[1]);
	irq_restore(ints);

	KT_ASSERT_EQ(report_count, 1);
	KT_ASSERT_EQ(reports[0].kind, LOCKDEP_ORDER);
	KT_ASSERT(reports[0].lock == &pair[0] && reports[0].held == &pair[1]);
}

KTEST(lockdep_same_class_without_nesting_is_reported)
{
	spinlock_t a, b;
	spinlock_init(&a, "test-a", LOCK_CLASS_TEST_OUTER);
	spinlock_init(&b, "test-b", LOCK_CLASS_TEST_OUTER);
	divert_reports();
	bool ints = irq_save();
	spinlock_lock_noirq(&a);
	spinlock_lock_noirq(&b);
	spinlock_unlock_noirq(&b);
	spinlock_unlock_noirq(&a);
	irq_restore(ints);

	KT_ASSERT_EQ(report_count, 1);
	KT_ASSERT_EQ(reports[0].kind, LOCKDEP_ORDER);
	KT_ASSERT(reports[0].lock == &b && reports[0].held == &a);
}

/* The kernel's own classes: a frame-allocator lock comes after a task's. */
KTEST(lockdep_kernel_order_is_checked)
{
	spinlock_t task, frame;
	spinlock_init(&task, "test-task", LOCK_CLASS_TASK);
	spinlock_init(&frame, "test-frame", LOCK_CLASS_FRAME);
	divert_reports();
	bool ints = irq_save();
	spinlock_lock_noirq(&task);
	spinlock_lock_noirq(&frame);
	spinlock_unlock_noirq(&frame);
	spinlock_unlock_noirq(&task);
	unsigned legal = report_count;
	spinlock_lock_noirq(&frame);
	spinlock_lock_noirq(&task);
	spinlock_unlock_noirq(&task);
	spinlock_unlock_noirq(&frame);
	irq_restore(ints);

	KT_ASSERT_EQ(legal, 0);
	KT_ASSERT_EQ(report_count, 1);
	KT_ASSERT(reports[0].lock == &task && reports[0].held == &frame);
	KT_ASSERT_STR(lock_class_name(reports[0].held->lock_class), "FRAME");
}

KTEST(lockdep_recursive_lock_is_reported)
{
	spinlock_t a;
	spinlock_init(&a, "test-a", LOCK_CLASS_TEST_OUTER);
	divert_reports();
	bool ints = irq_save();
	unsigned depth = lockdep_depth();
	spinlock_lock_noirq(&a);
	spinlock_lock_noirq(&a); /* reported, not acquired again */
	unsigned held = lockdep_depth();
	spinlock_unlock_noirq(&a);
	bool still_locked = spinlock_held(&a);
	irq_restore(ints);

	KT_ASSERT_EQ(report_count, 1);
	KT_ASSERT_EQ(reports[0].kind, LOCKDEP_RECURSIVE);
	KT_ASSERT(reports[0].lock == &a && reports[0].held == &a);
	KT_ASSERT(reports[0].held_ip != NULL && reports[0].ip != reports[0].held_ip);
	KT_ASSERT_EQ(held, depth + 1);
	KT_ASSERT(!still_locked);
}

KTEST(lockdep_unlock_of_lock_not_held_is_reported)
{
	spinlock_t a;
	spinlock_init(&a, "test-a", LOCK_CLASS_TEST_OUTER);
	divert_reports();
	bool ints = irq_save();
	spinlock_unlock_noirq(&a);
	irq_restore(ints);

	KT_ASSERT_EQ(report_count, 1);
	KT_ASSERT_EQ(reports[0].kind, LOCKDEP_NOT_HELD);
	KT_ASSERT(reports[0].lock == &a);
}

static void spin_limit_restore(void *old)
{
	lockdep_set_spin_limit((uint64_t) (uintptr_t) old);
}

/* Stands for the call site where another CPU took the lock. */
static void holder_site(void)
{
}

KTEST(lockdep_spin_too_long_names_the_holder)
{
	spinlock_t a;
	spinlock_init(&a, "test-a", LOCK_CLASS_TEST_OUTER);
	divert_reports();
	uint64_t old = lockdep_set_spin_limit(1000); /* iterations, not time */
	ktest_cleanup(spin_limit_restore, (void *) (uintptr_t) old);
	/* As if another CPU held it and never let go. */
	a.locked = 1;
	a.owner_ip = (void *) holder_site;
	bool ints = irq_save();
	spinlock_lock_noirq(&a); /* reported, then taken over */
	spinlock_unlock_noirq(&a);
	irq_restore(ints);

	KT_ASSERT_EQ(report_count, 1);
	KT_ASSERT_EQ(reports[0].kind, LOCKDEP_SPIN);
	KT_ASSERT(reports[0].lock == &a);
	KT_ASSERT(reports[0].held_ip == (void *) holder_site);
	KT_ASSERT(!spinlock_held(&a));
}

#endif
