/*
 * Clocks. clock_ns() computes the kernel's monotonic clock from the TSC with
 * the kernel's own conversion (abi/clock.h), fetched once: no system call,
 * and exactly the value SYS_CLOCK_GET would give, so deadlines computed here
 * agree with the kernel's timeouts. Without a TSC clock it asks the kernel.
 * The wall clock is the kernel's offset (SYS_CLOCK_REALTIME, fixed at boot
 * from the RTC) plus clock_ns(), the offset also fetched once.
 */
#include <abi/clock.h>
#include <common/datetime.h>
#include <errno.h>
#include <libarch/cpu.h>
#include <stdbool.h>
#include <syscall.h>
#include <stdio.h>
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

/** Whether the kernel's clock runs on the TSC (params then valid). */
static bool params_tsc(void)
{
	int state = __atomic_load_n(&params_state, __ATOMIC_ACQUIRE);
	if (state == PARAMS_UNKNOWN)
		state = params_load();
	return state == PARAMS_TSC;
}

uint64_t clock_cycles_to_ns(uint64_t cycles)
{
	if (!params_tsc())
		return 0;
	return (uint64_t) (((unsigned __int128) cycles * params.ns_per_tsc_32) >> 32);
}

uint64_t clock_ns(void)
{
	if (params_tsc())
		return clock_cycles_to_ns(arch_tsc() - params.tsc_base);
	uint64_t ns = 0;
	syscall1(SYS_CLOCK_GET, (sysarg_t) &ns);
	return ns;
}

static int64_t realtime_base;
static errno_t realtime_state = EAGAIN; /* EAGAIN: not fetched yet */

errno_t clock_realtime_ns(int64_t *ns)
{
	errno_t state = __atomic_load_n(&realtime_state, __ATOMIC_ACQUIRE);
	if (state == EAGAIN) {
		int64_t base;
		state = (errno_t) syscall1(SYS_CLOCK_REALTIME, (sysarg_t) &base);
		if (state == EOK)
			realtime_base = base;
		__atomic_store_n(&realtime_state, state, __ATOMIC_RELEASE);
	}
	if (state == EOK)
		*ns = realtime_base + (int64_t) clock_ns();
	return state;
}

/** The wall clock's seconds and nanoseconds; -1 with errno on failure. */
static int realtime_split(time_t *sec, long *nsec)
{
	int64_t ns;
	errno_t rc = clock_realtime_ns(&ns);
	if (rc != EOK) {
		errno = rc;
		return -1;
	}
	*sec = ns / 1000000000;
	*nsec = (long) (ns % 1000000000);
	return 0;
}

time_t time(time_t *t)
{
	time_t sec;
	long nsec;
	if (realtime_split(&sec, &nsec) != 0)
		return -1;
	if (t != NULL)
		*t = sec;
	return sec;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	if (ts == NULL || (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)) {
		errno = EINVAL;
		return -1;
	}
	if (clock == CLOCK_REALTIME)
		return realtime_split(&ts->tv_sec, &ts->tv_nsec);
	uint64_t ns = clock_ns();
	ts->tv_sec = (time_t) (ns / 1000000000);
	ts->tv_nsec = (long) (ns % 1000000000);
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;
	if (tv == NULL || tz != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
	datetime_t dt;
	datetime_from_unix(*t, &dt);
	datetime_t jan1 = {.year = dt.year, .month = 1, .day = 1};
	tm->tm_sec = dt.sec;
	tm->tm_min = dt.min;
	tm->tm_hour = dt.hour;
	tm->tm_mday = dt.day;
	tm->tm_mon = dt.month - 1;
	tm->tm_year = dt.year - 1900;
	tm->tm_wday = dt.wday;
	tm->tm_yday = (int) ((*t - datetime_to_unix(&jan1)) / 86400);
	tm->tm_isdst = 0;
	return tm;
}

void time_format_iso(const struct tm *tm, char *buf, size_t size)
{
	snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", tm->tm_year + 1900,
	    tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
}
