/*
 * Several CPUs: how many run, their start-up (generic/main/smp.c tells the
 * steps), and what an inter-processor interrupt does on arrival.
 */
#ifndef KERN_SMP_H
#define KERN_SMP_H

#include <intc.h>
#include <types.h>

struct cpu;

/** CPUs running (ids 0 .. cpu_count - 1); grows only during start-up. */
extern volatile unsigned cpu_count;

/** True for the id of a running CPU. */
bool cpu_id_valid(unsigned id);
/** The CPU for a new task's threads: the CPUs in turn, so that N tasks
 *  made one after another run on N CPUs (scheduler.c). */
unsigned smp_next_cpu(void);
/** Boot CPU: starts the other CPUs (after the clock and the scheduler). */
void smp_start(void);
/** A panicking CPU: stops every other CPU (IPI_HALT, which also reaches a
 *  CPU spinning with interrupts off) and waits, bounded, until each says it
 *  stopped; returns how many did not. */
unsigned smp_stop_others(void);
/** True once a CPU called smp_stop_others(). */
bool smp_stop_requested(void);
/** The running CPU stops for good (interrupts off, halted). */
NORETURN void smp_stopped(void);
/** Called by the architecture when @a ipi arrives (interrupts off). */
void smp_ipi_received(ipi_t ipi);

/* The architecture's side of start-up. */
/** Starts every further CPU of the machine (up to CPU_MAX), each through
 *  smp_cpu_prepare(), smp_cpu_main() on it and smp_cpu_started(). */
void arch_smp_start(void);
/** Boot CPU: makes slot @a cpu (cpus[cpu_count]) ready to start; ENOMEM. */
errno_t smp_cpu_prepare(struct cpu *cpu);
/** Boot CPU: the CPU of slot @a cpu did not answer and has been stopped
 *  for good; the slot is emptied (its idle thread goes) for the next. */
void smp_cpu_unprepare(struct cpu *cpu);
/** The new CPU, its tables loaded: says it is alive and becomes idle. */
NORETURN void smp_cpu_main(void);
/** Boot CPU: @a cpu answered; it is counted from now on. */
void smp_cpu_started(struct cpu *cpu);

#endif
