/*
 * Hooks the architecture provides for interrupt delivery between devices,
 * CPUs and the scheduler: the interrupt controller (which CPU a device line
 * reaches), the per-CPU scheduler tick and inter-processor interrupts.
 * Generic code names no device behind them (on amd64: local APIC, I/O APIC).
 * CPUs are named by their index in cpus[] (cpu_t.id), never by a hardware id.
 */
#ifndef KERN_INTC_H
#define KERN_INTC_H

#include <types.h>

/** What an inter-processor interrupt asks of its target. */
typedef enum {
	IPI_RESCHEDULE, /* look at your run queue (a thread was queued there) */
	IPI_TLB,	/* run the pending TLB shoot-down (mm/tlb.c) */
	IPI_HALT,	/* stop for good: another CPU panicked */
} ipi_t;

/** Boot CPU: finds the controllers, masks every device line. Panics when the
 *  platform has none the kernel can drive. */
void arch_intc_init(void);
/** The running CPU: turns its local controller on (every CPU, once). */
void arch_intc_cpu_init(void);
/** Delivers device line @a irq to CPU @a cpu and unmasks it. */
void arch_irq_unmask(unsigned irq, unsigned cpu);
/** Masks device line @a irq. */
void arch_irq_mask(unsigned irq);

/** Boot CPU, once: measures the tick timer and starts it at @a hz. */
void arch_timer_init(unsigned hz);
/** The running CPU (not the boot CPU): starts its tick at the rate measured
 *  by arch_timer_init(). */
void arch_timer_cpu_start(void);

/** Sends @a ipi to CPU @a cpu (which may be the sender). */
void arch_ipi_send(unsigned cpu, ipi_t ipi);
/** Sends @a ipi to every CPU but the sender. */
void arch_ipi_broadcast_others(ipi_t ipi);

#endif
