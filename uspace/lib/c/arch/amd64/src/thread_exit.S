/*
 * __thread_exit_unmap(stack_base): ends the calling thread after destroying
 * the area at stack_base, which is the thread's own stack. Once the area is
 * gone nothing may touch the stack, so both system calls are made here with
 * registers only (`syscall` does not use the user stack).
 */
#include <abi/syscall.h>

	.text
	.globl	__thread_exit_unmap
	.type	__thread_exit_unmap, @function
__thread_exit_unmap:
	movl	$SYS_AS_AREA_DESTROY, %eax	/* RDI already holds stack_base */
	syscall
	movl	$SYS_THREAD_EXIT, %eax
	syscall
	ud2				/* not reached: SYS_THREAD_EXIT does not return */
	.size	__thread_exit_unmap, . - __thread_exit_unmap

	.section .note.GNU-stack, "", @progbits
