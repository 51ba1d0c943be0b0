/*
 * Where the IPC registers live in a saved user context: R0..R9 of the IPC
 * system-call ABI (abi/syscall.h) are RDI, RSI, RDX, R10, R8, R9, R12, R13,
 * R14, R15, and the result is RAX. The IPC fast path reads the request and
 * writes the answer in place through these, with no copy in between.
 */
#ifndef ARCH_IPC_REGS_H
#define ARCH_IPC_REGS_H

#include <arch/context.h>
#include <arch/interrupt.h>

typedef istate_t ipc_regs_t;

#define IPC_R0(s)     ((s)->rdi)
#define IPC_R1(s)     ((s)->rsi)
#define IPC_R2(s)     ((s)->rdx)
#define IPC_R3(s)     ((s)->r10)
#define IPC_R4(s)     ((s)->r8)
#define IPC_R5(s)     ((s)->r9)
#define IPC_R6(s)     ((s)->r12)
#define IPC_R7(s)     ((s)->r13)
#define IPC_R8(s)     ((s)->r14)
#define IPC_R9(s)     ((s)->r15)
#define IPC_RESULT(s) ((s)->rax)

/** Makes a blocked thread, switched out with its saved kernel stack pointer
 *  in @a context_sp, resume at its return to user space with the registers
 *  @a s (its system call's full frame) instead of returning through its
 *  kernel frames (arch/context.h). Only its owner CPU, which took it off
 *  its queue, calls this. */
static inline void ipc_regs_resume_user(uintptr_t *context_sp, ipc_regs_t *s)
{
	context_frame_resume_user(context_sp, s);
}

#endif
