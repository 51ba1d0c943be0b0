/*
 * Time: the monotonic clock (since boot) and the wall clock (UTC, read from
 * the RTC by the kernel at boot: kernel time/rtc.h). Both are computed here
 * from numbers fetched from the kernel once, without a system call per read.
 */
#ifndef LIBC_TIME_H
#define LIBC_TIME_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

typedef int clockid_t;

#define CLOCK_REALTIME	0 /* the wall clock: since 1970-01-01 00:00 UTC */
#define CLOCK_MONOTONIC 1 /* since boot; never goes backwards */

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

/** A broken-down UTC time, as POSIX has it. */
struct tm {
	int tm_sec, tm_min, tm_hour;  /* 0-59, 0-59, 0-23 */
	int tm_mday, tm_mon, tm_year; /* 1-31, 0-11, years since 1900 */
	int tm_wday, tm_yday;	      /* 0-6 from Sunday, 0-365 */
	int tm_isdst;		      /* always 0: UTC */
};

/** Nanoseconds on the monotonic clock (since boot). */
uint64_t clock_ns(void);
/** Nanoseconds @a cycles cycle counts last (the CPU times of abi/proc.h);
 *  0 where the kernel keeps time without the TSC. */
uint64_t clock_cycles_to_ns(uint64_t cycles);

/** Nanoseconds since 1970 UTC into @a ns: EOK, or EIO when the machine's
 *  RTC gave no valid date at boot. */
errno_t clock_realtime_ns(int64_t *ns);

/** Seconds since 1970 UTC (also into *@a t unless NULL); -1 with errno EIO
 *  when there is no wall clock. */
time_t time(time_t *t);

/** CLOCK_REALTIME or CLOCK_MONOTONIC into @a ts: 0, or -1 with errno
 *  (EINVAL for another clock or a NULL @a ts, EIO without a wall clock). */
int clock_gettime(clockid_t clock, struct timespec *ts);

/** @a t as UTC into @a tm; returns @a tm. */
struct tm *gmtime_r(const time_t *t, struct tm *tm);

/** Writes @a tm as "YYYY-MM-DD HH:MM:SS" into @a buf (at least 20 bytes;
 *  years beyond 4 digits are written whole and cut at @a size). */
void time_format_iso(const struct tm *tm, char *buf, size_t size);

#endif
