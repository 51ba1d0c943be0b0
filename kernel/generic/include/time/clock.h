/*
 * Time: a monotonic clock in nanoseconds (from the TSC, calibrated at boot)
 * and the periodic tick that drives preemption and timeouts.
 */
#ifndef KERN_TIME_CLOCK_H
#define KERN_TIME_CLOCK_H

#include <types.h>

#define HZ	      100 /* periodic tick rate */
#define NSEC_PER_SEC  1000000000ull
#define NSEC_PER_TICK (NSEC_PER_SEC / HZ)

/** Calibrates the TSC and starts the periodic tick. */
void clock_init(void);
/** Nanoseconds since clock_init(); never goes backwards. */
uint64_t clock_ns(void);
/** The TSC conversion clock_ns() uses (abi/clock.h); false when the clock
 *  runs on ticks because the TSC is unusable. Fixed after clock_init(). */
bool clock_tsc_params(uint64_t *tsc_base, uint64_t *ns_per_tsc_32);
/** Nanoseconds @a cycles cycle counts (arch_cycle_count) last; 0 when the
 *  clock runs on ticks. */
uint64_t clock_cycles_to_ns(uint64_t cycles);
/** Ticks since clock_init(). */
uint64_t clock_ticks(void);
/** Busy-waits for @a ns nanoseconds (interrupts may stay disabled). */
void clock_delay_ns(uint64_t ns);
/** The running CPU's tick: called by the architecture's timer interrupt on
 *  every CPU (interrupts off); @a user: it interrupted user mode. */
void clock_tick(bool user);
/** Registers @a fn to run on every tick of every CPU (interrupt context, on
 *  the ticking CPU), told whether the tick interrupted user mode;
 *  registration happens before other CPUs start. */
void clock_on_tick(void (*fn)(bool user));

#endif
