/*
 * The `syscall` entry. The CPU leaves the user RIP in RCX and RFLAGS in R11
 * and clears IF/TF/DF/AC (SFMASK). We switch to the thread's kernel stack,
 * build the same istate_t an interrupt would (vector SYSCALL_VECTOR), and call
 * syscall_handler(istate). The return goes through the common interrupt exit
 * (iretq), which restores every register from the frame; handlers return
 * values by writing the frame.
 */
#include <arch/cpu_local.h>
#include <arch/layout.h>

#define SYSCALL_VECTOR	0x100

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	mov	%rsp, %gs:CPU_OFF_USER_RSP
	mov	%gs:CPU_OFF_KERNEL_RSP, %rsp
	pushq	$GDT_UDATA		/* ss */
	pushq	%gs:CPU_OFF_USER_RSP	/* rsp */
	pushq	%r11			/* rflags */
	pushq	$GDT_UCODE		/* cs */
	pushq	%rcx			/* rip */
	pushq	$0			/* error */
	pushq	$SYSCALL_VECTOR
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
	mov	%rsp, %rdi
	pushq	17*8(%rsp)		/* frame link through the user RIP */
	pushq	%rbp
	mov	%rsp, %rbp
	call	syscall_handler
	add	$16, %rsp
	jmp	isr_return

	.section .note.GNU-stack, "", @progbits
