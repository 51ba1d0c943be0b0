/*
 * The monotonic clock without a system call (SYS_CLOCK_PARAMS).
 *
 * Where the kernel keeps time with the TSC, it gives out the two numbers it
 * converts with, and user code computes exactly what SYS_CLOCK_GET would
 * return:
 *
 *     ns = ((tsc - tsc_base) * ns_per_tsc_32) >> 32    (128-bit product)
 *
 * with tsc read by RDTSC. The numbers do not change after boot. Without a
 * usable TSC the call fails with ENOTSUP and SYS_CLOCK_GET is the clock.
 */
#ifndef ABI_CLOCK_H
#define ABI_CLOCK_H

#include <stdint.h>

typedef struct {
	uint64_t tsc_base;	/* the TSC at the clock's zero */
	uint64_t ns_per_tsc_32; /* nanoseconds per TSC tick, 32.32 fixed point */
} clock_params_t;

#endif
