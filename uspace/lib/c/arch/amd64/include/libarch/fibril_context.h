/*
 * amd64 fibril context: the stack pointer of a suspended fibril, whose
 * stack holds what a fibril switch keeps (the System V callee-saved
 * registers and the resume address, pushed by the switch), and the SSE and
 * x87 control words. arch/amd64/src/fibril_switch.S depends on this layout;
 * generic code (src/fibril.c) uses only the accessors below.
 */
#ifndef LIBARCH_FIBRIL_CONTEXT_H
#define LIBARCH_FIBRIL_CONTEXT_H

#include <stdint.h>

#define ARCH_MXCSR_DEFAULT  0x1f80 /* all exceptions masked, round to nearest */
#define ARCH_FPU_CW_DEFAULT 0x037f

/* The words a switch leaves on a suspended fibril's stack, lowest first:
 * r15, r14, r13, r12, rbp, rbx, the resume address. */
#define ARCH_FIBRIL_FRAME_WORDS 7

typedef struct {
	uint64_t rsp; /* the suspended stack: ARCH_FIBRIL_FRAME_WORDS words */
	uint32_t mxcsr;
	uint16_t fpu_cw;
	uint16_t pad;
} arch_fibril_context_t;

/** Sets @a ctx up to enter @a entry on the stack ending at @a stack_top (16
 *  bytes aligned) with @a arg where the entry code finds it (RBX: see
 *  __fibril_trampoline), RBP zero, and the floating-point control words at
 *  their defaults: a frame as a switch would have left it. */
static inline void arch_fibril_context_init(
    arch_fibril_context_t *ctx, void (*entry)(void), uintptr_t stack_top, void *arg)
{
	uint64_t *frame = (uint64_t *) stack_top - ARCH_FIBRIL_FRAME_WORDS;
	for (int i = 0; i < ARCH_FIBRIL_FRAME_WORDS - 2; i++)
		frame[i] = 0; /* r15, r14, r13, r12, rbp */
	frame[ARCH_FIBRIL_FRAME_WORDS - 2] = (uintptr_t) arg; /* rbx */
	frame[ARCH_FIBRIL_FRAME_WORDS - 1] = (uintptr_t) entry;
	ctx->rsp = (uintptr_t) frame;
	ctx->mxcsr = ARCH_MXCSR_DEFAULT;
	ctx->fpu_cw = ARCH_FPU_CW_DEFAULT;
}

/** The stack pointer a new thread starts with on the stack of a context
 *  just made by arch_fibril_context_init() (whose frame it then no longer
 *  needs), as if its entry function had been called (a zero return address
 *  pushed: RSP 8 below a 16-byte boundary). */
static inline uintptr_t arch_fibril_context_thread_sp(const arch_fibril_context_t *ctx)
{
	uint64_t *sp = (uint64_t *) ctx->rsp + ARCH_FIBRIL_FRAME_WORDS - 1;
	*sp = 0;
	return (uintptr_t) sp;
}

#endif
