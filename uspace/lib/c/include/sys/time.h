/*
 * struct timeval: a time in seconds and microseconds (the socket timeouts
 * of sys/socket.h take one), and gettimeofday() for the wall clock.
 */
#ifndef LIBC_SYS_TIME_H
#define LIBC_SYS_TIME_H

#include <stdint.h>

typedef int64_t time_t;
typedef int64_t suseconds_t;

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

/** The wall clock (time.h's CLOCK_REALTIME) into @a tv; @a tz must be NULL.
 *  0, or -1 with errno (EIO without a wall clock, EINVAL on a NULL @a tv). */
int gettimeofday(struct timeval *tv, void *tz);

#endif
