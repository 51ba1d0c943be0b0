/*
 * Self-test of device-line routing through the I/O APIC: a line set to a CPU
 * (irq_set_cpu, what SYS_IRQ_SUBSCRIBE's IRQ_ON_CPU asks for) interrupts that
 * CPU and no other. The device is COM1, which the kernel drives by polling
 * (its interrupts are off): enabling its "transmitter empty" interrupt
 * raises IRQ 4 at once; the handler reads IIR (which ends that interrupt)
 * and turns it off again, so each trigger is one interrupt.
 * Holds on any number of CPUs; `make test` runs it on one and on four.
 */
#include <test.h>
#include <arch/asm.h>
#include <arch/pio.h>
#include <cpu.h>
#include <interrupt.h>
#include <smp.h>
#include <string.h>
#include <time/clock.h>

#define COM1	      0x3f8
#define COM1_IRQ      4
#define REG_IER	      1
#define REG_IIR	      2
#define IER_THR_EMPTY 0x02
#define HANG_LIMIT_NS (60 * NSEC_PER_SEC)

static volatile uint64_t route_hits[CPU_MAX];

static void route_handler(unsigned irq, void *arg)
{
	(void) irq;
	(void) arg;
	(void) pio_read_8(COM1 + REG_IIR);
	pio_write_8(COM1 + REG_IER, 0);
	__atomic_fetch_add(&route_hits[CPU->id], 1, __ATOMIC_RELAXED);
}

static void route_release(void *arg)
{
	(void) arg;
	pio_write_8(COM1 + REG_IER, 0);
	irq_unregister(COM1_IRQ);
	(void) irq_set_cpu(COM1_IRQ, 0);
}

/** The interrupts counted on every CPU since route_hits was cleared. */
static uint64_t route_total(void)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < CPU_MAX; i++)
		sum += __atomic_load_n(&route_hits[i], __ATOMIC_RELAXED);
	return sum;
}

/** Raises IRQ 4 once; false if no CPU took it within HANG_LIMIT_NS. */
static bool route_trigger(void)
{
	pio_write_8(COM1 + REG_IER, IER_THR_EMPTY);
	uint64_t t0 = clock_ns();
	while (route_total() == 0) {
		if (clock_ns() - t0 > HANG_LIMIT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

KTEST(irq_line_reaches_the_cpu_it_is_set_to)
{
	KT_ASSERT_EQ(irq_register(COM1_IRQ, route_handler, NULL), EOK);
	ktest_cleanup(route_release, NULL);
	/* Every CPU in turn, then back to the first: the line moves each time. */
	for (unsigned round = 0; round <= cpu_count; round++) {
		unsigned cpu = round % cpu_count;
		KT_ASSERT_EQ(irq_set_cpu(COM1_IRQ, cpu), EOK);
		memset((void *) route_hits, 0, sizeof(route_hits));
		KT_ASSERT(route_trigger());
		for (unsigned i = 0; i < cpu_count; i++) {
			uint64_t wanted = i == cpu ? 1 : 0;
			KT_ASSERT_EQ(route_hits[i], wanted);
		}
	}
}
