/*
 * The local APIC of each CPU (xAPIC through memory, or x2APIC through MSRs
 * where CPUID offers it) and the I/O APICs. Used by intc.c (the generic
 * interrupt hooks) and smp.c (CPU start-up); generic code sees neither.
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <types.h>

/** Boot CPU: picks xAPIC or x2APIC mode; needs madt.lapic_base. */
void lapic_init(void);
/** The running CPU: enables its local APIC (spurious vector, LINTs, timer masked). */
void lapic_cpu_init(void);
/** The running CPU's APIC id. */
uint32_t lapic_id(void);
/** End of interrupt for the running CPU's in-service vector. */
void lapic_eoi(void);
/** Sends fixed @a vector to the CPU with APIC id @a apic_id. */
void lapic_send_fixed(uint32_t apic_id, uint8_t vector);
/** Sends @a vector to every CPU but the sender. */
void lapic_send_all_but_self(uint8_t vector);
/** Sends an NMI to every CPU but the sender. */
void lapic_send_nmi_all_but_self(void);
/** INIT alone: the CPU waits for a STARTUP again. */
void lapic_send_init(uint32_t apic_id);
/** INIT, then two STARTUPs at page @a page (the trampoline at page * 4 KiB). */
void lapic_send_init_sipi(uint32_t apic_id, uint8_t page);

/** Boot CPU, once: measures the timer's count rate against the TSC, over
 *  the time since lapic_timer_count_start() or else in windows of its own
 *  (or against the PIT when the TSC is unusable); logs it. */
void lapic_timer_calibrate(void);
/** Starts the boot CPU's timer counting down for lapic_timer_calibrate(),
 *  which measures its rate over the time between the two. */
void lapic_timer_count_start(void);
/** The running CPU: periodic timer interrupts at @a hz on VECTOR_TIMER. */
void lapic_timer_start(unsigned hz);

/** Boot CPU: masks every I/O APIC input. */
void ioapic_init(void);
/** Routes ISA line @a irq to @a vector on the CPU with APIC id @a apic_id and
 *  unmasks it; trigger and polarity come from the MADT's overrides. */
void ioapic_route_isa(unsigned irq, uint8_t vector, uint32_t apic_id);
/** Masks ISA line @a irq. */
void ioapic_mask_isa(unsigned irq);

#endif
