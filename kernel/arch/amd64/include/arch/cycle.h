/*
 * amd64 cycle counter: the time-stamp counter. Generic code reads the
 * running CPU's free-running count through these accessors and never names
 * the instruction. Under QEMU -icount shift=0 it advances once per guest
 * instruction (make bench's unit).
 */
#ifndef ARCH_CYCLE_H
#define ARCH_CYCLE_H

#include <arch/asm.h>
#include <types.h>

/** The running CPU's cycle count. */
static inline uint64_t arch_cycle_count(void)
{
	return rdtsc();
}

/** Boot CPU, once, before the tick starts: measures the counter's rate
 *  (kHz, 0 when no measurement was plausible: the clock then runs on
 *  ticks) and keeps it for the architecture's own timers. */
uint64_t arch_cycle_calibrate_khz(void);

#endif
