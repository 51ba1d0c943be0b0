/*
 * Kernel command-line options: space-separated words, `name` or `name=value`.
 * Known options: test, test=NAME, kconsole, ipclog[=...].
 */
#ifndef KERN_CMDLINE_H
#define KERN_CMDLINE_H

#include <types.h>

/** Whether option @a name is present (with or without a value). */
bool cmdline_has(const char *cmdline, const char *name);
/** Copies the value of `name=value` into @a buf; ENOENT when absent or valueless. */
errno_t cmdline_get(const char *cmdline, const char *name, char *buf, size_t size);

#endif
