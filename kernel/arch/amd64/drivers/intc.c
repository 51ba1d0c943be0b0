/*
 * The generic interrupt hooks (intc.h) on amd64: device lines through the
 * I/O APIC, each CPU's tick from its local APIC timer, IPIs as fixed local
 * APIC messages. apic_ids maps cpu_t.id to the APIC id; an entry is written
 * once, before that CPU is started, and read-only afterwards.
 */
#include <intc.h>
#include <arch/apic.h>
#include <arch/drivers.h>
#include <arch/interrupt.h>
#include <arch/madt.h>
#include <cpu.h>
#include <interrupt.h>
#include <panic.h>
#include <smp.h>

uint32_t apic_ids[CPU_MAX];
static unsigned tick_hz; /* set by arch_timer_init() on the boot CPU */

/** NMI: a CPU stopping the others sends it (arch_ipi_broadcast_others);
 *  any other NMI stays fatal. */
static bool nmi_handler(istate_t *istate)
{
	if (smp_stop_requested())
		smp_stopped();
	return false;
}

void arch_intc_init(void)
{
	exception_register(VECTOR_NMI, nmi_handler);
	if (!madt_parse(lapic_id()))
		panic("apic: no usable ACPI MADT (local APIC and I/O APIC needed)");
	pic_disable();
	lapic_init();
	ioapic_init();
	apic_ids[0] = madt.cpu_apic_id[0];
	arch_intc_cpu_init();
	lapic_timer_count_start(); /* timed by arch_timer_init, after the TSC's calibration */
}

void arch_intc_cpu_init(void)
{
	lapic_cpu_init();
}

void arch_irq_unmask(unsigned irq, unsigned cpu)
{
	ioapic_route_isa(irq, IRQ_VECTOR_BASE + irq, apic_ids[cpu]);
}

void arch_irq_mask(unsigned irq)
{
	ioapic_mask_isa(irq);
}

void arch_timer_init(unsigned hz)
{
	tick_hz = hz;
	irq_reserve(0); /* the PIT: the kernel's calibration timer, no driver's */
	lapic_timer_calibrate();
	lapic_timer_start(hz);
}

void arch_timer_cpu_start(void)
{
	lapic_timer_start(tick_hz);
}

void arch_ipi_send(unsigned cpu, ipi_t ipi)
{
	lapic_send_fixed(apic_ids[cpu], (uint8_t) (VECTOR_IPI_BASE + ipi));
}

void arch_ipi_broadcast_others(ipi_t ipi)
{
	if (ipi == IPI_HALT)
		lapic_send_nmi_all_but_self(); /* reaches a CPU spinning with interrupts off */
	else
		lapic_send_all_but_self((uint8_t) (VECTOR_IPI_BASE + ipi));
}
