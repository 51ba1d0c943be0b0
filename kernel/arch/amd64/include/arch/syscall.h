#ifndef ARCH_SYSCALL_H
#define ARCH_SYSCALL_H

#include <types.h>

struct istate;

void syscall_arch_init(void);
/** Fills a user context that starts at @a entry with stack @a sp and @a arg in RDI. */
void arch_user_istate_init(
    struct istate *is, uintptr_t entry, uintptr_t sp, uintptr_t arg);

#endif
