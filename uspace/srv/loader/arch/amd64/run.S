/*
 * loader_enter_program(entry, sp): the loader's last act (loader.h). The
 * program starts as crt0.S expects from the kernel: RSP and RDI point at
 * argc, RSP is 16-byte aligned, there is no return address, and RBP is 0
 * so backtraces end there.
 */
	.text
	.globl	loader_enter_program
	.type	loader_enter_program, @function
loader_enter_program:
	movq	%rdi, %rax		/* entry */
	movq	%rsi, %rsp		/* the program's stack from here on */
	movq	%rsi, %rdi
	xorl	%esi, %esi
	xorl	%ebp, %ebp
	jmp	*%rax
	.size	loader_enter_program, . - loader_enter_program

	.section .note.GNU-stack, "", @progbits
