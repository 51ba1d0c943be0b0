/*
 * The UBSan runtime (kernel/generic/lib/ubsan.c): undefined behaviour in
 * kernel code is reported with its kind and source location, then panics.
 * Only built into kernels configured with CONFIG_UBSAN=y.
 */
#ifdef CONFIG_UBSAN

#include <test.h>

KTEST(crash_ubsan_shift)
{
	/* Volatile operands keep the compiler from folding or rejecting it. */
	volatile int one = 1;
	volatile int amount = 40;
	volatile int result = one << amount;
	(void) result;
	ktest_fail(__FILE__, __LINE__, "UBSan did not report the shift by %d", amount);
}

#endif /* CONFIG_UBSAN */
