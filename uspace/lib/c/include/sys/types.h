/*
 * POSIX's system types: byte counts that may be -1, file offsets, modes.
 */
#ifndef LIBC_SYS_TYPES_H
#define LIBC_SYS_TYPES_H

#include <stdint.h>

typedef int64_t ssize_t;
typedef int64_t off_t;
typedef unsigned mode_t;

#endif
