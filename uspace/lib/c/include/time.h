/*
 * Time.
 */
#ifndef LIBC_TIME_H
#define LIBC_TIME_H

#include <stdint.h>

/** Nanoseconds on the monotonic clock (since boot). */
uint64_t clock_ns(void);

#endif
