/*
 * SYS_CLOCK_GET: the monotonic clock in nanoseconds. SYS_CLOCK_PARAMS: how
 * user code computes the same from the TSC (abi/clock.h).
 */
#include <abi/clock.h>
#include <abi/errno.h>
#include <syscall.h>
#include <time/clock.h>
#include <uaccess.h>

sysarg_t sys_clock_get(sysarg_t ns_out)
{
	uint64_t now = clock_ns();
	return (sysarg_t) copy_to_uspace(ns_out, &now, sizeof(now));
}

sysarg_t sys_clock_params(sysarg_t params_out)
{
	clock_params_t p;
	if (!clock_tsc_params(&p.tsc_base, &p.ns_per_tsc_32))
		return (sysarg_t) ENOTSUP;
	return (sysarg_t) copy_to_uspace(params_out, &p, sizeof(p));
}
