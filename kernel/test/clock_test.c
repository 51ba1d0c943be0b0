/*
 * Self-tests: monotonic clock and the periodic tick.
 */
#include <test.h>
#include <arch/asm.h>
#include <interrupt.h>
#include <time/clock.h>

KTEST(clock_is_monotonic)
{
	uint64_t prev = clock_ns();
	for (int i = 0; i < 100000; i++) {
		uint64_t now = clock_ns();
		KT_ASSERT(now >= prev);
		prev = now;
	}
}

KTEST(clock_ticks_advance_with_time)
{
	KT_ASSERT(irq_enabled());
	uint64_t t0 = clock_ticks(), ns0 = clock_ns();
	/* Wait for 5 ticks (50 ms at HZ=100), bounded by a busy-wait deadline. */
	while (clock_ticks() < t0 + 5 && clock_ns() - ns0 < 5 * NSEC_PER_SEC)
		cpu_relax();
	uint64_t elapsed = clock_ns() - ns0;
	KT_ASSERT(clock_ticks() >= t0 + 5);
	KT_ASSERT(irq_count(0) >= 5);
	/* Tick and TSC clock agree within a generous factor under emulation. */
	KT_ASSERT(elapsed >= 3 * NSEC_PER_TICK);
	KT_ASSERT(elapsed < 100 * NSEC_PER_TICK);
}

KTEST(clock_delay_waits_at_least_as_asked)
{
	uint64_t start = clock_ns();
	clock_delay_ns(2000000);
	KT_ASSERT(clock_ns() - start >= 2000000);
}
