/*
 * Kernel command-line options: space-separated words, `name` or `name=value`.
 * Known options: docs/kernel.md ("Boot options").
 */
#ifndef KERN_CMDLINE_H
#define KERN_CMDLINE_H

#include <types.h>

/** Whether option @a name is present (with or without a value). */
bool cmdline_has(const char *cmdline, const char *name);
/** Copies the value of `name=value` into @a buf; ENOENT when absent or valueless. */
errno_t cmdline_get(const char *cmdline, const char *name, char *buf, size_t size);
/** The decimal value of `name=value` in @a out; ENOENT when absent or
 *  valueless, EINVAL when the value is not a decimal number that fits. */
errno_t cmdline_get_uint(const char *cmdline, const char *name, uint64_t *out);

#endif
