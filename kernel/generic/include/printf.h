/*
 * Kernel formatted output: to the console and the kernel log.
 */
#ifndef KERN_PRINTF_H
#define KERN_PRINTF_H

#include <common/printf_core.h>
#include <types.h>

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int vprintf(const char *fmt, va_list ap);

#endif
