#ifndef ARCH_SYSCALL_H
#define ARCH_SYSCALL_H

/* istate_t.vector of a system call's full frame (syscall.S). */
#define SYSCALL_VECTOR 0x100

/* thread_t.syscall_regs, written by the IPC fast path's entry (syscall.S). */
#define THREAD_OFF_SYSCALL_REGS 16

#ifndef __ASSEMBLY__
#include <types.h>

struct istate;

void syscall_arch_init(void);
/** Fills a user context that starts at @a entry with stack @a sp and @a arg in RDI. */
void arch_user_istate_init(
    struct istate *is, uintptr_t entry, uintptr_t sp, uintptr_t arg);
#endif

#endif
