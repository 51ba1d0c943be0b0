/*
 * Monotonic clock and periodic tick (every CPU has its own; CPU 0's counts
 * the global `ticks`, and tick hooks run on every CPU for that CPU). The
 * clock converts deltas of the architecture's cycle counter (arch/cycle.h;
 * the TSC on amd64) with a 32.32 fixed-point multiplier; without a usable
 * counter it falls back to ticks. Under QEMU `-icount shift=0` the counter
 * counts guest instructions, so clock_ns is then virtual time (1
 * instruction = 1 ns).
 */
#include <time/clock.h>
#include <arch/cycle.h>
#include <cpu.h>
#include <intc.h>
#include <panic.h>

#define TICK_HOOKS_MAX 4

static uint64_t cycle_base;
static uint64_t ns_per_cycle_32; /* nanoseconds per cycle, 32.32 fixed point */
static volatile uint64_t ticks;	 /* written by CPU 0 only */
static void (*tick_hooks[TICK_HOOKS_MAX])(bool user);

void clock_tick(bool user)
{
	cpu_t *cpu = CPU;
	cpu->interrupts++;
	/* One CPU counts: the tick is a unit of global time. Released after
	 * the interrupt count: who sees the tick sees it counted there. */
	if (cpu->id == 0)
		__atomic_store_n(&ticks, ticks + 1, __ATOMIC_RELEASE);
	for (size_t i = 0; i < TICK_HOOKS_MAX && tick_hooks[i] != NULL; i++)
		tick_hooks[i](user);
}

void clock_init(void)
{
	uint64_t khz = arch_cycle_calibrate_khz();
	if (khz != 0)
		ns_per_cycle_32 = (1000000ull << 32) / khz;
	cycle_base = arch_cycle_count();
	arch_timer_init(HZ);
}

uint64_t clock_cycles_to_ns(uint64_t cycles)
{
	return (uint64_t) (((unsigned __int128) cycles * ns_per_cycle_32) >> 32);
}

uint64_t clock_ns(void)
{
	if (ns_per_cycle_32 == 0)
		return ticks * NSEC_PER_TICK;
	return clock_cycles_to_ns(arch_cycle_count() - cycle_base);
}

bool clock_tsc_params(uint64_t *tsc_base_out, uint64_t *ns_per_tsc_32_out)
{
	*tsc_base_out = cycle_base;
	*ns_per_tsc_32_out = ns_per_cycle_32;
	return ns_per_cycle_32 != 0;
}

uint64_t clock_ticks(void)
{
	return ticks;
}

void clock_delay_ns(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;
	while (clock_ns() < end)
		cpu_relax();
}

void clock_on_tick(void (*fn)(bool user))
{
	for (size_t i = 0; i < TICK_HOOKS_MAX; i++) {
		if (tick_hooks[i] == NULL) {
			tick_hooks[i] = fn;
			return;
		}
	}
	panic("clock: too many tick hooks");
}
