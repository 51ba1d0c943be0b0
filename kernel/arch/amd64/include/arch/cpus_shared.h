/*
 * The one branch the kernel decides once at run time and then fixes in its
 * code: whether several CPUs run. Each test of it (arch_cpus_shared) is a
 * 5-byte no-op listed in section .cpus_shared_jumps beside the address of
 * its "several CPUs" branch; arch_cpus_shared_patch turns every listed
 * no-op into a jump there, once, before a second CPU starts (the spinlocks'
 * one-CPU form, spinlock.h, then costs one no-op per lock and unlock).
 */
#ifndef ARCH_CPUS_SHARED_H
#define ARCH_CPUS_SHARED_H

#include <types.h>

/** False until arch_cpus_shared_patch has run, true from then on. */
static inline __attribute__((always_inline)) bool arch_cpus_shared(void)
{
	__asm__ goto("1:\t.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t" /* nopl 0(%rax,%rax) */
		     ".pushsection .cpus_shared_jumps, \"a\"\n\t"
		     ".balign 8\n\t"
		     ".quad 1b, %l[shared]\n\t"
		     ".popsection"
		     :
		     :
		     :
		     : shared);
	return false;
shared:
	return true;
}

/** Makes every arch_cpus_shared() true for good. Only while one CPU runs,
 *  the caller holding no spinlock: a lock taken in the one-CPU form (its
 *  word left alone) must not be released in the other. */
void arch_cpus_shared_patch(void);

#endif
