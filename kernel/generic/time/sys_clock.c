/*
 * SYS_CLOCK_GET: the monotonic clock in nanoseconds.
 */
#include <syscall.h>
#include <time/clock.h>
#include <uaccess.h>

sysarg_t sys_clock_get(sysarg_t ns_out)
{
	uint64_t now = clock_ns();
	return (sysarg_t) copy_to_uspace(ns_out, &now, sizeof(now));
}
