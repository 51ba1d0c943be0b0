/*
 * Self-tests: monotonic clock (on every CPU alike) and the periodic tick.
 */
#include <test.h>
#include <arch/asm.h>
#include <arch/cpu.h>
#include <cpu.h>
#include <proc/thread.h>
#include <smp.h>
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

/*
 * What holds under any load of the host: the tick advances and the TSC clock
 * moves forward meanwhile. How many nanoseconds a tick spans does not hold:
 * a descheduled guest sees the PIT's missed periods delivered in a burst, or
 * a long gap, so a ratio with a fixed threshold would test the host.
 */
KTEST(clock_ticks_advance_with_time)
{
	KT_ASSERT(irq_enabled());
	uint64_t t0 = clock_ticks(), ns0 = clock_ns();
	uint64_t ints0 = cpus[0].interrupts; /* CPU 0 counts the ticks */
	/* Bounded only against a hang: far beyond any stall of the host. */
	while (clock_ticks() < t0 + 5 && clock_ns() - ns0 < 60 * NSEC_PER_SEC)
		cpu_relax();
	KT_ASSERT(clock_ticks() >= t0 + 5);
	KT_ASSERT(cpus[0].interrupts >= ints0 + 5);
	KT_ASSERT(clock_ns() > ns0);
}

/* The calibration's result (drivers' tsc_calibrate_khz) is a frequency a
 * TSC can have; its median of several windows keeps one bad window out. */
KTEST(clock_tsc_calibration_is_plausible)
{
	uint64_t base, mult;
	if (!clock_tsc_params(&base, &mult))
		return; /* no usable TSC: the clock runs on ticks, nothing to check */
	KT_ASSERT(cpu_features.tsc_khz >= 100000 && cpu_features.tsc_khz <= 8000000);
}

KTEST(clock_delay_waits_at_least_as_asked)
{
	uint64_t start = clock_ns();
	clock_delay_ns(2000000);
	KT_ASSERT(clock_ns() - start >= 2000000);
}

#define BATON_ROUNDS  200
#define HANG_LIMIT_NS (60 * NSEC_PER_SEC)

/* A baton passed from CPU to CPU in turn; each holder checks that the clock
 * it reads is not behind what the previous holder read before passing it. */
static volatile unsigned baton_turn; /* the index of the thread holding it */
static volatile uint64_t baton_ns;   /* the clock as its previous holder left */
static volatile unsigned baton_behind;
static volatile bool baton_hung;

static void baton_runner(void *arg)
{
	unsigned me = (unsigned) (uintptr_t) arg;
	for (unsigned r = 0; r < BATON_ROUNDS && !baton_hung; r++) {
		uint64_t t0 = clock_ns();
		while (__atomic_load_n(&baton_turn, __ATOMIC_ACQUIRE) != me) {
			if (baton_hung || clock_ns() - t0 > HANG_LIMIT_NS) {
				baton_hung = true;
				return;
			}
			cpu_relax();
		}
		if (clock_ns() < baton_ns)
			baton_behind++;
		baton_ns = clock_ns();
		__atomic_store_n(&baton_turn, (me + 1) % cpu_count, __ATOMIC_RELEASE);
	}
}

/* The clock is one clock on every CPU (each reads its own cycle counter):
 * a reading handed from one CPU to the next is never ahead of what the next
 * reads. Causal, so it holds whatever the host's load. */
KTEST(clock_is_monotonic_across_cpus)
{
	baton_turn = 0;
	baton_ns = clock_ns();
	baton_behind = 0;
	baton_hung = false;
	KT_ASSERT_EQ(ktest_on_every_cpu(baton_runner, "baton"), EOK);
	KT_ASSERT(!baton_hung);
	KT_ASSERT_EQ(baton_behind, 0);
}
