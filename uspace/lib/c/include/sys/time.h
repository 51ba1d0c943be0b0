/*
 * struct timeval: a time in seconds and microseconds (the socket timeouts
 * of sys/socket.h take one).
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

#endif
