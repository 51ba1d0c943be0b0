/*
 * The general registers in istate_t order (r15 lowest), for the interrupt
 * and system-call entries and exits; the kernel context a switch saves.
 */
#ifndef ARCH_REGS_S_H
#define ARCH_REGS_S_H

	.macro PUSH_GENERAL_REGS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	.endm

	.macro POP_GENERAL_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	.endm

	/* The running thread's kernel context (arch/context.h, context_frame_t)
	 * saved: callee-saved registers pushed, RSP stored at \save_sp. */
	.macro SAVE_KERNEL_CONTEXT save_sp
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	mov	%rsp, \save_sp
	.endm

#endif
