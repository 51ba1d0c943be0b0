/*
 * Interrupt and exception entry stubs. Every vector has a stub that pushes a
 * dummy error code where the CPU pushes none, then its vector number, and
 * jumps to the common path, which saves all general registers into an istate_t
 * and calls interrupt_dispatch(). Entries from user mode swap GS.
 */
#include <arch/interrupt.h>
#include <arch/regs.S.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.macro ISR_STUB v
	.align 16
isr_stub_\v:
	.if HAS_ERROR(\v) == 0
	pushq	$0
	.endif
	pushq	$\v
	jmp	isr_common
	.endm

	.altmacro
	.globl isr_stub_table_start
isr_stub_table_start:
	.set vec, 0
	.rept 256
	ISR_STUB %vec
	.set vec, vec + 1
	.endr

isr_common:
	testb	$3, 24(%rsp)		/* CS of the interrupted context */
	jz	1f
	swapgs
1:
	PUSH_GENERAL_REGS
	cld
	mov	%rsp, %rdi
	/* Link the frame chain through the interrupted RIP for backtraces. */
	pushq	17*8(%rsp)
	pushq	%rbp
	mov	%rsp, %rbp
	call	interrupt_dispatch
	add	$16, %rsp
	.globl isr_return
isr_return:
	/* From here on no interrupt may see a half-restored frame (or user GS). */
	cli
	POP_GENERAL_REGS
	add	$16, %rsp		/* vector and error code */
	testb	$3, 8(%rsp)
	jz	2f
	swapgs
2:	iretq

	.section .note.GNU-stack, "", @progbits
