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
