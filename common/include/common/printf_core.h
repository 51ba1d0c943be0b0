/*
 * Formatted output core shared by the kernel and libc. Pure: it only calls the
 * sink it is given, so it is unit-tested on the host.
 *
 * Supported: flags "-+ #0", width and precision (numbers or '*'), length
 * modifiers hh h l ll z t j, conversions d i u o x X c s p %.
 */
#ifndef COMMON_PRINTF_CORE_H
#define COMMON_PRINTF_CORE_H

#include <stdarg.h>
#include <stddef.h>

/** Receives @a len bytes of output; may be called many times per format. */
typedef void (*printf_write_t)(void *ctx, const char *buf, size_t len);

/** Formats @a fmt into @a write; returns the number of bytes produced. */
int printf_core(const char *fmt, va_list ap, printf_write_t write, void *ctx);

/** Bounded formatting into @a buf (always terminated when @a size > 0);
 *  returns the length the full output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
