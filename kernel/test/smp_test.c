/*
 * Self-tests: the CPUs that run, their ticks, inter-processor interrupts and
 * the choice of the CPU a device line reaches. They hold on any number of
 * CPUs; `make test` runs them on one CPU and on four (kernel-smp4).
 * Waits are bounded only against a hang, far beyond any stall of the host.
 */
#include <test.h>
#include <arch/asm.h>
#include <cpu.h>
#include <interrupt.h>
#include <arch/interrupt.h>
#include <intc.h>
#include <smp.h>
#include <proc/thread.h>
#include <synch/mutex.h>
#include <time/clock.h>

#define HANG_LIMIT_NS (60 * NSEC_PER_SEC)

/** Spins until *@a counter exceeds @a before; false after HANG_LIMIT_NS. */
static bool counter_moves(const volatile uint64_t *counter, uint64_t before)
{
	uint64_t t0 = clock_ns();
	while (*counter <= before) {
		if (clock_ns() - t0 > HANG_LIMIT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

KTEST(smp_every_running_cpu_is_online_and_ticks)
{
	KT_ASSERT(cpu_count >= 1 && cpu_count <= CPU_MAX);
	for (unsigned i = 0; i < cpu_count; i++) {
		KT_ASSERT(cpus[i].online);
		KT_ASSERT_EQ(cpus[i].id, i);
		KT_ASSERT(cpus[i].idle != NULL);
		uint64_t before = cpus[i].interrupts;
		KT_ASSERT(counter_moves(&cpus[i].interrupts, before + 3));
	}
}

KTEST(smp_ipi_reaches_every_cpu)
{
	KT_ASSERT(irq_enabled());
	for (unsigned i = 0; i < cpu_count; i++) {
		uint64_t before = cpus[i].ipis;
		arch_ipi_send(i, IPI_RESCHEDULE); /* to ourselves too, for CPU 0 */
		KT_ASSERT(counter_moves(&cpus[i].ipis, before));
	}
}

KTEST(irq_set_cpu_rejects_a_cpu_or_line_that_does_not_exist)
{
	KT_ASSERT_EQ(irq_set_cpu(5, cpu_count), EINVAL);
	KT_ASSERT_EQ(irq_set_cpu(5, CPU_MAX + 1), EINVAL);
	KT_ASSERT_EQ(irq_set_cpu(IRQ_COUNT, 0), EINVAL);
	KT_ASSERT_EQ(irq_set_cpu(5, cpu_count - 1), EOK);
	KT_ASSERT_EQ(irq_set_cpu(5, 0), EOK);
}

#define HAMMER_ROUNDS 20000

static spinlock_t hammer_spin = SPINLOCK_INITIALIZER("smp test: hammered", TEST_SMP);
static mutex_t hammer_mutex;
static volatile uint64_t hammer_spin_count, hammer_mutex_count;
static volatile unsigned hammer_wrong_cpu;

/** A read, a pause and a write: increments are lost as soon as two CPUs
 *  interleave without mutual exclusion. */
static void slow_increment(volatile uint64_t *counter)
{
	uint64_t v = *counter;
	for (volatile int i = 0; i < 10; i++)
		;
	*counter = v + 1;
}

static void hammer(void *arg)
{
	unsigned cpu = (unsigned) (uintptr_t) arg;
	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		spinlock_lock(&hammer_spin);
		if (CPU->id != cpu)
			hammer_wrong_cpu++;
		slow_increment(&hammer_spin_count);
		spinlock_unlock(&hammer_spin);
		mutex_lock(&hammer_mutex);
		slow_increment(&hammer_mutex_count);
		mutex_unlock(&hammer_mutex);
	}
}

KTEST(spinlock_and_mutex_hammered_from_every_cpu)
{
	/* A thread on every CPU, kept there; each counter must count every
	 * increment. */
	mutex_init(&hammer_mutex);
	hammer_spin_count = hammer_mutex_count = 0;
	hammer_wrong_cpu = 0;
	thread_t *t[CPU_MAX];
	unsigned n = cpu_count;
	for (unsigned i = 0; i < n; i++) {
		KT_ASSERT_EQ(
		    thread_create(NULL, hammer, (void *) (uintptr_t) i, "hammer", &t[i]),
		    EOK);
		KT_ASSERT_EQ(thread_set_cpu(t[i], i), EOK);
	}
	for (unsigned i = 0; i < n; i++)
		thread_start(t[i]);
	for (unsigned i = 0; i < n; i++)
		KT_ASSERT_EQ(thread_join(t[i]), EOK);
	KT_ASSERT_EQ(hammer_wrong_cpu, 0);
	KT_ASSERT_EQ(hammer_spin_count, (uint64_t) n * HAMMER_ROUNDS);
	KT_ASSERT_EQ(hammer_mutex_count, (uint64_t) n * HAMMER_ROUNDS);
}

/* A lock is a plain store while one CPU runs, an atomic exchange from
 * before a second one starts (spinlock.h); held reads held either way. */
KTEST(spinlocks_are_atomic_whenever_several_cpus_run)
{
	KT_ASSERT_EQ(spinlock_cpus_shared, cpu_count > 1);
	spinlock_t l;
	spinlock_init(&l, "smp test: one lock", LOCK_CLASS_TEST_SMP);
	spinlock_lock(&l);
	bool held = spinlock_held(&l);
	spinlock_unlock(&l);
	KT_ASSERT(held);
	KT_ASSERT(!spinlock_held(&l));
}
