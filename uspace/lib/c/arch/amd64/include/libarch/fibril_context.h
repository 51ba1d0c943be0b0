/*
 * amd64 fibril context: the registers a fibril switch keeps (the System V
 * callee-saved ones, the stack and resume address, the SSE and x87 control
 * words). arch/amd64/src/fibril_switch.S depends on this layout; generic
 * code (src/fibril.c) uses only the accessors below.
 */
#ifndef LIBARCH_FIBRIL_CONTEXT_H
#define LIBARCH_FIBRIL_CONTEXT_H

#include <stdint.h>

#define ARCH_MXCSR_DEFAULT  0x1f80 /* all exceptions masked, round to nearest */
#define ARCH_FPU_CW_DEFAULT 0x037f

typedef struct {
	uint64_t rsp, rip, rbx, rbp, r12, r13, r14, r15;
	uint32_t mxcsr;
	uint16_t fpu_cw;
	uint16_t pad;
} arch_fibril_context_t;

/** Sets @a ctx up to enter @a entry on the stack ending at @a stack_top with
 *  @a arg where the entry code finds it (RBX: see __fibril_trampoline), and
 *  the floating-point control words at their defaults. */
static inline void arch_fibril_context_init(
    arch_fibril_context_t *ctx, void (*entry)(void), uintptr_t stack_top, void *arg)
{
	ctx->rsp = stack_top;
	ctx->rip = (uintptr_t) entry;
	ctx->rbx = (uintptr_t) arg;
	ctx->mxcsr = ARCH_MXCSR_DEFAULT;
	ctx->fpu_cw = ARCH_FPU_CW_DEFAULT;
}

/** The stack pointer a new thread starts with on the stack of @a ctx, as if
 *  its entry function had been called (a zero return address pushed: RSP 8
 *  below a 16-byte boundary). */
static inline uintptr_t arch_fibril_context_thread_sp(const arch_fibril_context_t *ctx)
{
	uint64_t *sp = (uint64_t *) ctx->rsp - 1;
	*sp = 0;
	return (uintptr_t) sp;
}

#endif
