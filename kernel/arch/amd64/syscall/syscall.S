/*
 * The `syscall` entry. The CPU leaves the user RIP in RCX and RFLAGS in R11
 * and clears IF/TF/DF/AC (SFMASK). We switch to the thread's kernel stack.
 *
 * Ordinary calls (below SYS_IPC_FIRST) take the light path: only the
 * registers the C handler may clobber are saved, the number goes to the
 * handler as its seventh argument (on the stack), and we leave with sysret.
 * While any task is stopped by the debug interface (exc_debug_stops, one
 * compare here), the light frame and the live callee-saved registers (the
 * user's again once the handler has returned) become a full istate_t for
 * syscall_light_stop, which stops the thread if its task is the stopped
 * one, and we leave through the interrupt exit, which takes what a debugger
 * changed.
 * RCX is the RIP the `syscall` instruction stored, so it is canonical and
 * sysret cannot fault in ring 0.
 *
 * IPC calls (and, for simplicity, everything numbered from SYS_IPC_FIRST on)
 * and the ordinary calls that block for long (sleep, task wait: the bits of
 * syscall_blocking_light, so that a debugger sees a thread blocked in them
 * stopped with all its registers, proc/exc.c) take the full path: the same istate_t an interrupt would build
 * (vector SYSCALL_VECTOR), because they read and write R12-R15 too; they
 * return through the common interrupt exit (iretq). The two combined IPC
 * calls first try the fast path on that istate (ipc_fast_call_wait or
 * ipc_fast_answer_wait, called from here once the frame is marked in
 * thread_t.syscall_regs), interrupts still disabled; when it declines, the
 * general handler runs on the untouched istate; when it is done, the exit
 * pops the frame itself (syscall_exit_frame: the interrupt exit's test of
 * the frame's CS is known to say "user mode"). A thread whose combined call
 * a waker finished leaves by the same exit, from context_switch_user or
 * syscall_resume_user.
 */
#include <arch/cpu_local.h>
#include <arch/layout.h>
#include <arch/regs.S.h>
#include <arch/syscall.h>
#include <abi/syscall.h>

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	mov	%rsp, %gs:CPU_OFF_USER_RSP
	mov	%gs:CPU_OFF_KERNEL_RSP, %rsp
	cmp	$SYS_IPC_FIRST, %rax
	jae	syscall_full
	btl	%eax, syscall_blocking_light(%rip)
	jc	syscall_full
	pushq	%gs:CPU_OFF_USER_RSP
	pushq	%rcx			/* user RIP */
	pushq	%r11			/* user RFLAGS */
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%r10
	pushq	%r8
	pushq	%r9
	pushq	%rax			/* 7th argument: the number; RSP 16-aligned */
	sti
	mov	%r10, %rcx		/* 4th argument */
	call	syscall_light
	cli
	cmpl	$0, exc_debug_stops(%rip)
	jne	syscall_light_stopping
	add	$8, %rsp
	popq	%r9
	popq	%r8
	popq	%r10
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%r11
	popq	%rcx
	popq	%rsp
	swapgs
	sysretq

/* The light frame, from RSP: number, r9, r8, r10, rdx, rsi, rdi, r11
 * (RFLAGS), rcx (RIP), user RSP; RAX holds the result. */
syscall_light_stopping:
	mov	%rsp, %rdx
	pushq	$GDT_UDATA		/* ss */
	pushq	72(%rdx)		/* rsp */
	pushq	56(%rdx)		/* rflags */
	pushq	$GDT_UCODE		/* cs */
	pushq	64(%rdx)		/* rip */
	pushq	$0			/* error */
	pushq	$SYSCALL_VECTOR
	pushq	%rax
	pushq	%rbx
	pushq	64(%rdx)		/* rcx: the RIP, as sysret leaves it */
	pushq	32(%rdx)		/* rdx */
	pushq	40(%rdx)		/* rsi */
	pushq	48(%rdx)		/* rdi */
	pushq	%rbp
	pushq	16(%rdx)		/* r8 */
	pushq	8(%rdx)			/* r9 */
	pushq	24(%rdx)		/* r10 */
	pushq	56(%rdx)		/* r11: the RFLAGS, as sysret leaves it */
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	mov	%rsp, %rdi
	pushq	17*8(%rsp)		/* frame link through the user RIP */
	pushq	%rbp
	mov	%rsp, %rbp
	call	syscall_light_stop
	add	$16, %rsp
	jmp	isr_return

syscall_full:
	pushq	$GDT_UDATA		/* ss */
	pushq	%gs:CPU_OFF_USER_RSP	/* rsp */
	pushq	%r11			/* rflags */
	pushq	$GDT_UCODE		/* cs */
	pushq	%rcx			/* rip */
	pushq	$0			/* error */
	pushq	$SYSCALL_VECTOR
	PUSH_GENERAL_REGS
	mov	%rsp, %rdi
	pushq	17*8(%rsp)		/* frame link through the user RIP */
	pushq	%rbp
	mov	%rsp, %rbp
	/* The combined IPC calls try the fast path first (ipc/fastpath.c),
	 * the thread's frame marked first (thread_t.syscall_regs). */
	lea	-SYS_IPC_CALL_WAIT(%rax), %rcx
	cmp	$SYS_IPC_ANSWER_WAIT - SYS_IPC_CALL_WAIT, %rcx
	jbe	2f
1:	call	syscall_handler
	add	$16, %rsp
	jmp	isr_return
2:	mov	%gs:CPU_OFF_CURRENT, %rax
	mov	%rdi, THREAD_OFF_SYSCALL_REGS(%rax)
	jrcxz	4f			/* RCX 0: SYS_IPC_CALL_WAIT */
	call	ipc_fast_answer_wait
	jmp	5f
4:	call	ipc_fast_call_wait
5:	lea	16(%rsp), %rdi		/* the istate again */
	test	%al, %al
	jz	1b			/* declined: the general path */
	call	syscall_ipc_fast_done
	/* Done: back to user mode, interrupts off unless a debug stop turned
	 * them on. */
	add	$16, %rsp
	cli
	jmp	syscall_exit_frame

/* Back to user mode from a system call's full frame at RSP, interrupts
 * off: the frame is a system call's, so no test of its CS. */
syscall_exit_frame:
	POP_GENERAL_REGS
	add	$16, %rsp		/* vector and error code */
	swapgs
	iretq

/* A thread whose combined IPC call the IPC fast path finished for it while
 * it was blocked (ipc_regs_resume_user) resumes here from context_switch,
 * on its own stack, interrupts off, RBX its system call's full frame: the
 * switch is finished as after any, then straight back to user mode by the
 * fast path's exit, its kernel frames left behind. RSP is RBX here, 16-byte
 * aligned (the frame is the top of the stack). */
	.globl syscall_resume_user
syscall_resume_user:
	call	syscall_resume_finish
	mov	%rbx, %rsp
	jmp	syscall_exit_frame

/*
 * void context_switch_user(uintptr_t *save_sp, istate_t *s, bool *prev_on_cpu)
 * (arch/context.h): the hand-off's switch to a thread resuming at its return
 * to user space. The running thread's context is saved as context_switch
 * saves it; then, on the new thread's stack (S is the full frame at its
 * top), the switch is finished for the saved thread, which the hand-off
 * left blocked and not exiting or migrating: its on_cpu is cleared, all
 * thread_finish_switch would do. Interrupts off.
 */
	.globl context_switch_user
context_switch_user:
	SAVE_KERNEL_CONTEXT (%rdi)
	mov	%rsi, %rsp
	movb	$0, (%rdx)
	jmp	syscall_exit_frame

	.section .rodata
	.balign	4
/* Bit n: call n (below SYS_IPC_FIRST) takes the full path. */
syscall_blocking_light:
	.long	(1 << SYS_THREAD_SLEEP) | (1 << SYS_TASK_WAIT)

	.section .note.GNU-stack, "", @progbits
