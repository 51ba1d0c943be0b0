/*
 * Processor state libc reads directly: the time-stamp counter (user mode
 * may read it: the kernel leaves CR4.TSD clear) and the stack pointer.
 */
#ifndef LIBARCH_CPU_H
#define LIBARCH_CPU_H

#include <stdint.h>

static inline uint64_t arch_tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t) hi << 32 | lo;
}

/** The same after every earlier instruction has retired, before any later
 *  one starts (for timing a stretch of code). */
static inline uint64_t arch_tsc_serialized(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t) hi << 32 | lo;
}

/** The current stack pointer, without making the caller set up a frame. */
static inline uintptr_t arch_stack_pointer(void)
{
	uintptr_t sp;
	__asm__("mov %%rsp, %0" : "=r"(sp));
	return sp;
}

#endif
