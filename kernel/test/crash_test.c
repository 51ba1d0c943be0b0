/*
 * Deliberate kernel crashes: they check that a fault is reported with its
 * name, registers and backtrace, and that test mode ends QEMU with a failure
 * status. Tests named crash_* run only when selected by name (test=crash_...).
 */
#include <test.h>
#include <printf.h>
#include <panic.h>
#include <spinlock.h>
#include <proc/thread.h>
#include <arch/asm.h>
#include <cpu.h>
#include <smp.h>

KTEST(crash_page_fault)
{
	/* Laundered through a volatile so the compiler cannot see the constant. */
	uintptr_t volatile addr = 0x10;
	*(volatile uint64_t *) addr = 1;
}

KTEST(crash_assert)
{
	volatile int one = 1;
	assert(one == 2);
}

KTEST(crash_invalid_opcode)
{
	__asm__ volatile("ud2");
}

static volatile unsigned spinners_ready;

/** Spins with interrupts off for good: only an NMI reaches this CPU. */
static void spin_irqs_off(void *arg)
{
	(void) arg;
	irq_disable();
	__atomic_fetch_add(&spinners_ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		cpu_relax();
}

/** Faults once every other CPU spins with interrupts off. */
static void fault_when_others_spin(void *arg)
{
	unsigned others = (unsigned) (uintptr_t) arg;
	while (__atomic_load_n(&spinners_ready, __ATOMIC_SEQ_CST) < others)
		cpu_relax();
	uintptr_t volatile addr = 0x10;
	*(volatile uint64_t *) addr = 1;
}

/** Starts a thread running @a fn(@a arg) on CPU @a cpu; false if it could
 *  not be made. */
static bool start_on(thread_fn_t fn, void *arg, unsigned cpu, thread_t **out)
{
	thread_t *t;
	if (thread_create(NULL, fn, arg, "crash", &t) != EOK)
		return false;
	if (thread_set_cpu(t, cpu) != EOK)
		return false;
	thread_start(t);
	*out = t;
	return true;
}

/** Runs on the last CPU, which no spinner takes: starts a spinner on each
 *  other CPU, then the faulter beside itself. (Started from a CPU that a
 *  spinner then takes, the rest would never be started: its interrupts are
 *  off for good, so the starter would not run again there.) */
static void crash_controller(void *arg)
{
	unsigned last = (unsigned) (uintptr_t) arg;
	thread_t *t;
	for (unsigned i = 0; i < last; i++) {
		if (!start_on(spin_irqs_off, NULL, i, &t))
			return; /* no panic: the scenario fails */
	}
	/* The join is not reached: the faulter panics. */
	if (start_on(fault_when_others_spin, arg, last, &t) && thread_join(t) != EOK)
		printf("crash: the faulter could not be waited for\n");
}

/* A fault on the last CPU while every other spins with interrupts off: the
 * report names the last CPU and every other CPU must confirm it stopped. */
KTEST(crash_on_one_cpu_while_the_others_spin)
{
	unsigned last = cpu_count - 1;
	thread_t *t;
	KT_ASSERT(start_on(crash_controller, (void *) (uintptr_t) last, last, &t));
	KT_ASSERT_EQ(thread_join(t), EOK); /* not reached: the faulter panics */
}

/* Each level keeps 512 bytes live, so 64 levels exceed a 16 KiB stack. */
static unsigned recurse(volatile unsigned depth)
{
	volatile char frame[512];
	frame[0] = (char) depth;
	if (depth == 0)
		return frame[0];
	return recurse(depth - 1) + frame[0];
}

static void overflow_fn(void *arg)
{
	(void) arg;
	recurse(1000);
}

KTEST(crash_kernel_stack_overflow)
{
	thread_t *t;
	KT_ASSERT_EQ(thread_create(NULL, overflow_fn, NULL, "overflow", &t), EOK);
	thread_start(t);
	KT_ASSERT_EQ(thread_join(t), EOK);
}

#ifdef CONFIG_LOCKDEP
/* Locks taken against the lock order (synch/lock_order.h): the frame
 * allocator's class, then a task's. The checker panics naming both. */
KTEST(crash_lock_order)
{
	static spinlock_t task = SPINLOCK_INITIALIZER("crash-task", TASK);
	static spinlock_t frame = SPINLOCK_INITIALIZER("crash-frame", FRAME);
	spinlock_lock(&frame);
	spinlock_lock(&task);
	spinlock_unlock(&task);
	spinlock_unlock(&frame);
}
#endif
