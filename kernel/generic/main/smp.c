/*
 * Several CPUs: start-up of the CPUs after the boot CPU, inter-processor
 * interrupts on arrival, and the set of running CPUs.
 *
 * Start-up, for each further CPU the architecture finds (one at a time):
 *   1. smp_cpu_prepare() on the boot CPU: run queues, idle thread and stack
 *      of the next free slot cpus[cpu_count];
 *   2. the architecture starts the CPU on that stack, sets up its tables and
 *      calls smp_cpu_main() on it, which says it is alive (cpu->online);
 *   3. the boot CPU sees it alive and counts it (cpu_count++); a CPU that
 *      does not answer in time is reported, stopped by the architecture,
 *      and its slot emptied (smp_cpu_unprepare: no idle thread left in the
 *      thread list) for the next.
 * cpu_count only grows, and only the boot CPU writes it; a slot below
 * cpu_count is a running CPU for good, a slot above holds no thread, and
 * no IPI, shoot-down or stealer looks past cpu_count.
 */
#include <smp.h>
#include <arch.h>
#include <arch/asm.h>
#include <cpu.h>
#include <mm/tlb.h>
#include <printf.h>
#include <time/clock.h>
#include <proc/scheduler.h>
#include <proc/thread.h>
#include <spinlock.h>

volatile unsigned cpu_count = 1;
#define SMP_STOP_WAIT_NS (5 * NSEC_PER_SEC) /* far beyond an NMI's way, even emulated */

static volatile bool stopping; /* set once, by the first CPU to panic */
/* Bit n: CPU n has stopped for good (smp_stopped); only set, never cleared. */
static uint64_t stopped_mask;

bool cpu_id_valid(unsigned id)
{
	return id < cpu_count;
}

unsigned smp_next_cpu(void)
{
	static unsigned next;
	return __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % cpu_count;
}

errno_t smp_cpu_prepare(cpu_t *cpu)
{
	cpu->id = (unsigned) (cpu - cpus);
	/* Locks are taken atomically from before the CPU can take one. */
	spinlock_cpus_share();
	scheduler_cpu_init(cpu);
	return thread_idle_create(cpu);
}

void smp_cpu_unprepare(cpu_t *cpu)
{
	thread_idle_destroy(cpu);
}

void smp_cpu_main(void)
{
	cpu_t *cpu = CPU;
	arch_timer_cpu_start();
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	thread_become_idle();
}

void smp_cpu_started(cpu_t *cpu)
{
	cpu_count = cpu->id + 1;
}

void smp_start(void)
{
	__atomic_store_n(&cpus[0].online, true, __ATOMIC_RELEASE);
	arch_smp_start();
	printf("smp: %u CPU%s running\n", cpu_count, cpu_count == 1 ? "" : "s");
}

/** How many CPUs other than the running one have not stopped yet. */
static unsigned others_running(void)
{
	uint64_t mask = __atomic_load_n(&stopped_mask, __ATOMIC_SEQ_CST);
	unsigned running = 0;
	for (unsigned i = 0; i < cpu_count; i++)
		running += i != CPU->id && !(mask & (1ull << i));
	return running;
}

unsigned smp_stop_others(void)
{
	__atomic_store_n(&stopping, true, __ATOMIC_SEQ_CST);
	if (cpu_count <= 1)
		return 0;
	arch_ipi_broadcast_others(IPI_HALT);
	/* Each CPU says so as it stops; wait for them, bounded, since a CPU
	 * that cannot be stopped must not keep the report from getting out. */
	uint64_t t0 = clock_ns();
	while (others_running() != 0 && clock_ns() - t0 < SMP_STOP_WAIT_NS)
		cpu_relax();
	return others_running();
}

bool smp_stop_requested(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_SEQ_CST);
}

NORETURN void smp_stopped(void)
{
	__atomic_fetch_or(&stopped_mask, 1ull << CPU->id, __ATOMIC_SEQ_CST);
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

void smp_ipi_received(ipi_t ipi)
{
	cpu_t *cpu = CPU;
	cpu->ipis++;
	switch (ipi) {
	case IPI_RESCHEDULE:
		scheduler_ipi_reschedule();
		break;
	case IPI_TLB:
		tlb_serve();
		break;
	case IPI_HALT:
		smp_stopped();
	}
}
