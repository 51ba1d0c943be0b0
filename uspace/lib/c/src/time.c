/*
 * Clocks. clock_ns() computes the kernel's monotonic clock from the TSC with
 * the kernel's own conversion (abi/clock.h), fetched once: no system call,
 * and exactly the value SYS_CLOCK_GET would give, so deadlines computed here
 * agree with the kernel's timeouts. Without a TSC clock it asks the kernel.
 */
#include <abi/clock.h>
#include <errno.h>
#include <libarch/cpu.h>
#include <syscall.h>
#include <time.h>

enum { PARAMS_UNKNOWN, PARAMS_TSC, PARAMS_NONE };

static clock_params_t params;
static int params_state = PARAMS_UNKNOWN; /* set once params is written */

/** Fetches the conversion; any thread may, they all write the same. */
static int params_load(void)
{
	clock_params_t p;
	int state = (errno_t) syscall1(SYS_CLOCK_PARAMS, (sysarg_t) &p) == EOK
	    ? PARAMS_TSC
	    : PARAMS_NONE;
	if (state == PARAMS_TSC)
		params = p;
	__atomic_store_n(&params_state, state, __ATOMIC_RELEASE);
	return state;
}

uint64_t clock_ns(void)
{
	int state = __atomic_load_n(&params_state, __ATOMIC_ACQUIRE);
	if (state == PARAMS_UNKNOWN)
		state = params_load();
	if (state == PARAMS_TSC) {
		uint64_t delta = arch_tsc() - params.tsc_base;
		return (
		    uint64_t) (((unsigned __int128) delta * params.ns_per_tsc_32) >> 32);
	}
	uint64_t ns = 0;
	syscall1(SYS_CLOCK_GET, (sysarg_t) &ns);
	return ns;
}
