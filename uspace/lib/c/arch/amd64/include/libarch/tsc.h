/*
 * The time-stamp counter, read in user mode (the kernel leaves CR4.TSD
 * clear).
 */
#ifndef LIBARCH_TSC_H
#define LIBARCH_TSC_H

#include <stdint.h>

static inline uint64_t arch_tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t) hi << 32 | lo;
}

#endif
