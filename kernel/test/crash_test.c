/*
 * Deliberate kernel crashes: they check that a fault is reported with its
 * name, registers and backtrace, and that test mode ends QEMU with a failure
 * status. Tests named crash_* run only when selected by name (test=crash_...).
 */
#include <test.h>
#include <panic.h>

KTEST(crash_page_fault)
{
	/* Laundered through a volatile so the compiler cannot see the constant. */
	uintptr_t volatile addr = 0x10;
	*(volatile uint64_t *) addr = 1;
}

KTEST(crash_assert)
{
	volatile int one = 1;
	assert(one == 2);
}

KTEST(crash_invalid_opcode)
{
	__asm__ volatile("ud2");
}
