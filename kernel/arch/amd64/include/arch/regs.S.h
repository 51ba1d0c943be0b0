/*
 * The general registers in istate_t order (r15 lowest), for the interrupt
 * and system-call entries.
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

#endif
