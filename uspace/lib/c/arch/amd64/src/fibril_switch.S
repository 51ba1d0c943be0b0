/*
 * Fibril context switch. A switch is a function call for both fibrils, so
 * only what the amd64 System V ABI makes callee-saved is kept: RBX, RBP,
 * R12-R15 (pushed on the leaving fibril's stack, above its return address)
 * and the control words of SSE (MXCSR) and the x87 unit. The context
 * (fibril_context_t, libarch/fibril_context.h) holds the stack pointer
 * after the pushes, MXCSR and the x87 control word.
 */
	.text

/* void __fibril_switch(fibril_context_t *save, const fibril_context_t *load) */
	.globl	__fibril_switch
	.type	__fibril_switch, @function
__fibril_switch:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	stmxcsr	8(%rdi)
	fnstcw	12(%rdi)
	movq	%rsp, 0(%rdi)

	movq	0(%rsi), %rsp
	ldmxcsr	8(%rsi)
	fldcw	12(%rsi)
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size	__fibril_switch, . - __fibril_switch

/*
 * Where a new fibril starts (the return address of its first frame): RSP
 * at the 16-byte aligned top of its stack and the fibril record in RBX.
 * RBP is zero, so backtraces end here.
 */
	.globl	__fibril_trampoline
	.type	__fibril_trampoline, @function
__fibril_trampoline:
	movq	%rbx, %rdi
	call	__fibril_entry		/* does not return */
	ud2
	.size	__fibril_trampoline, . - __fibril_trampoline

	.section .note.GNU-stack, "", @progbits
