/*
 * Where the IPC registers live in a saved user context: R0..R9 of the IPC
 * system-call ABI (abi/syscall.h) are RDI, RSI, RDX, R10, R8, R9, R12, R13,
 * R14, R15, and the result is RAX. The IPC fast path reads the request and
 * writes the answer in place through these, with no copy in between.
 */
#ifndef ARCH_IPC_REGS_H
#define ARCH_IPC_REGS_H

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

/* syscall.S: where a thread resumed by ipc_regs_resume_user lands. */
extern char syscall_resume_user[];

/** Makes a blocked thread, switched out with its saved kernel stack pointer
 *  in @a context_sp, resume at its return to user
 *  space with the registers @a s (the frame its system call's entry saved
 *  at the top of its kernel stack) instead of returning through its kernel
 *  frames, which are dropped: context_switch to it pops the frame built
 *  here, just below @a s, and returns into syscall_resume_user with RBX
 *  pointing at @a s. Only its owner CPU, which took it off its queue,
 *  calls this. */
static inline void ipc_regs_resume_user(uintptr_t *context_sp, ipc_regs_t *s)
{
	/* context_switch pops R15, R14, R13, R12 (left as they are: the
	 * user's come back from @a s), RBX, RBP, then returns. */
	uint64_t *frame = (uint64_t *) s - 7;
	frame[4] = (uint64_t) s;
	frame[5] = 0; /* the end of the frame-pointer chain */
	frame[6] = (uint64_t) syscall_resume_user;
	*context_sp = (uintptr_t) frame;
}

#endif
