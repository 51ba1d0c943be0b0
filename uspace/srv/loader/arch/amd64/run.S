/*
 * loader_enter_program(entry, sp, unmap, count): the loader's last act
 * (loader.h). It moves to the program's stack, copies the @a count area
 * bases at @a unmap onto it (below the program's first word, where the
 * program's own frames go later) and destroys those areas, the stack it
 * was called on among them, with registers and the program's stack only.
 * A destroy that fails leaves that area in place: memory only. The
 * program starts as crt0.S expects from the kernel: RSP and RDI point at
 * argc, RSP is 16-byte aligned, there is no return address, and RBP is 0
 * so backtraces end there.
 */
#include <abi/syscall.h>

	.text
	.globl	loader_enter_program
	.type	loader_enter_program, @function
loader_enter_program:
	movq	%rdi, %r12		/* entry */
	movq	%rcx, %r13		/* count, kept across `syscall` */
	movq	%rsi, %rsp		/* the program's stack from here on */
	xorl	%eax, %eax
1:	cmpq	%rax, %r13
	je	2f
	pushq	(%rdx,%rax,8)
	incq	%rax
	jmp	1b
2:	testq	%r13, %r13
	je	3f
	popq	%rdi
	movl	$SYS_AS_AREA_DESTROY, %eax
	syscall
	decq	%r13
	jmp	2b
3:	movq	%rsp, %rdi		/* back at sp */
	xorl	%esi, %esi
	xorl	%ebp, %ebp
	jmp	*%r12
	.size	loader_enter_program, . - loader_enter_program

	.section .note.GNU-stack, "", @progbits
