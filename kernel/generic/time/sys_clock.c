/*
 * SYS_CLOCK_GET: the monotonic clock in nanoseconds. SYS_CLOCK_PARAMS: how
 * user code computes the same from the TSC (abi/clock.h). SYS_CLOCK_REALTIME:
 * the wall clock's offset to it (time/rtc.h).
 */
#include <abi/clock.h>
#include <abi/errno.h>
#include <syscall.h>
#include <time/clock.h>
#include <time/rtc.h>
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

sysarg_t sys_clock_realtime(sysarg_t base_out)
{
	int64_t base;
	errno_t rc = realtime_base(&base);
	if (rc != EOK)
		return (sysarg_t) rc;
	return (sysarg_t) copy_to_uspace(base_out, &base, sizeof(base));
}
