/*
 * Kernel context switch. Only callee-saved registers need saving: the switch
 * is an ordinary function call for both sides.
 *
 * void context_switch(uintptr_t *save_sp, uintptr_t new_sp)
 */
#include <arch/regs.S.h>

	.text
	.globl context_switch
context_switch:
	SAVE_KERNEL_CONTEXT (%rdi)
	mov	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/* A new thread's first "return" from context_switch lands here. */
	.globl thread_trampoline
thread_trampoline:
	xor	%ebp, %ebp		/* end of the frame-pointer chain */
	call	thread_main
	ud2

/*
 * void arch_enter_user(istate_t *istate): leaves the kernel for the user
 * context saved in @istate (at the top of the kernel stack).
 */
	.globl arch_enter_user
arch_enter_user:
	mov	%rdi, %rsp
	jmp	isr_return

	.section .note.GNU-stack, "", @progbits
