/*
 * Fibril context switch. A switch is a function call for both fibrils, so
 * only what the amd64 System V ABI makes callee-saved is kept: RBX, RBP,
 * R12-R15, RSP and the resume address, plus the control words of SSE
 * (MXCSR) and the x87 unit. The layout is fibril_context_t
 * (src/private/fibril.h): rsp, rip, rbx, rbp, r12, r13, r14, r15, mxcsr,
 * x87 control word.
 */
	.text

/* void __fibril_switch(fibril_context_t *save, const fibril_context_t *load) */
	.globl	__fibril_switch
	.type	__fibril_switch, @function
__fibril_switch:
	movq	(%rsp), %rdx		/* resume where our caller called us */
	leaq	8(%rsp), %rax		/* ... with RSP as after our return */
	movq	%rax, 0(%rdi)
	movq	%rdx, 8(%rdi)
	movq	%rbx, 16(%rdi)
	movq	%rbp, 24(%rdi)
	movq	%r12, 32(%rdi)
	movq	%r13, 40(%rdi)
	movq	%r14, 48(%rdi)
	movq	%r15, 56(%rdi)
	stmxcsr	64(%rdi)
	fnstcw	68(%rdi)

	movq	16(%rsi), %rbx
	movq	24(%rsi), %rbp
	movq	32(%rsi), %r12
	movq	40(%rsi), %r13
	movq	48(%rsi), %r14
	movq	56(%rsi), %r15
	ldmxcsr	64(%rsi)
	fldcw	68(%rsi)
	movq	0(%rsi), %rsp
	jmpq	*8(%rsi)
	.size	__fibril_switch, . - __fibril_switch

/*
 * Where a new fibril starts: its context has RSP at the 16-byte aligned top
 * of its stack and the fibril record in RBX. RBP is zero, so backtraces end
 * here.
 */
	.globl	__fibril_trampoline
	.type	__fibril_trampoline, @function
__fibril_trampoline:
	movq	%rbx, %rdi
	call	__fibril_entry		/* does not return */
	ud2
	.size	__fibril_trampoline, . - __fibril_trampoline

	.section .note.GNU-stack, "", @progbits
