/*
 * _start: where every program begins (the ELF entry point).
 *
 * The kernel leaves RSP, and RDI too, pointing at the initial stack block:
 * argc (8 bytes), argv[0..argc-1], NULL, envp[] ending in NULL
 * and the auxiliary vector's terminator (two zero words). RSP is 16-byte
 * aligned and there is no return address, so _start must never return; it
 * hands the block to __libc_start() (start.c), which runs main() and exits
 * the task.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* the outermost frame: backtraces stop here */
	movq	%rsp, %rdi		/* the initial stack block */
	call	__libc_start		/* RSP is 16-byte aligned at the call, as the ABI wants */
	ud2				/* not reached: __libc_start does not return */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
