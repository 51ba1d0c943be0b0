/*
 * Checked access to user memory. Every user pointer is validated (lies in the
 * user half, no wrap-around) and every access recovers from faults: a bad
 * pointer yields EBADMEM, never a kernel panic.
 */
#ifndef KERN_UACCESS_H
#define KERN_UACCESS_H

#include <types.h>

errno_t copy_from_uspace(void *dst, uintptr_t usrc, size_t n);
errno_t copy_to_uspace(uintptr_t udst, const void *src, size_t n);
/** Copies a name of @a len bytes (not NUL-terminated in user memory) into
 *  @a buf of @a size bytes and terminates it; ENAMETOOLONG if it does not fit. */
errno_t copy_name_from_uspace(char *buf, size_t size, uintptr_t usrc, size_t len);
/** Whether [addr, addr + n) lies entirely in the user half. */
bool uspace_range_ok(uintptr_t addr, size_t n);

#endif
