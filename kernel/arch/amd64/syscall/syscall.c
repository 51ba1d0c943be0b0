/*
 * syscall/sysret MSR set-up and the arch side of system-call dispatch.
 */
#include <arch/asm.h>
#include <arch/interrupt.h>
#include <arch/layout.h>
#include <arch/syscall.h>
#include <syscall.h>
#include <cpu.h>
#include <ipc/fastpath.h>
#include <proc/exc.h>
#include <proc/task.h>
#include <proc/thread.h>

#define MSR_EFER   0xc0000080
#define MSR_STAR   0xc0000081
#define MSR_LSTAR  0xc0000082
#define MSR_SFMASK 0xc0000084
#define EFER_SCE   0x1
/* Cleared on entry: TF, IF, DF, AC (AC so that user code cannot switch SMAP off). */
#define SFMASK_VALUE 0x40700

extern char syscall_entry[];

void syscall_arch_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSRET would load CS = base + 16, SS = base + 8 from STAR[63:48]. */
	wrmsr(MSR_STAR, ((uint64_t) GDT_KDATA << 48) | ((uint64_t) GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uintptr_t) syscall_entry);
	wrmsr(MSR_SFMASK, SFMASK_VALUE);
}

void syscall_handler(istate_t *is);
void syscall_ipc_fast_done(istate_t *is);
void syscall_light_stop(istate_t *is);

/** On the way back to user mode with the registers in @a is: a thread of a
 *  task stopped by the debug interface waits here. One load while no task
 *  is stopped. */
static inline void syscall_debug_stop_point(istate_t *is)
{
	if (unlikely(exc_debug_stops != 0) && THREAD->task->debug_stop)
		exc_debug_stop_point(is);
}

/** Marks the current thread as inside a full-path system call whose user
 *  registers are @a is (NULL: left it), for the debug interface's view of
 *  a stopped task (proc/exc.c). Cleared after the way-out stop point, with
 *  interrupts off from that stop point's check to user mode. */
static inline void syscall_regs_mark(istate_t *is)
{
	__atomic_store_n(&THREAD->syscall_regs, is, __ATOMIC_RELEASE);
}

/** The light path's way out while some task is stopped (syscall.S built
 *  the full frame @a is): stop if it is ours, then leave as any full
 *  system call. Interrupts off. */
void syscall_light_stop(istate_t *is)
{
	syscall_debug_stop_point(is);
	if (THREAD->kill_pending) {
		irq_enable();
		thread_exit();
	}
}

_Static_assert(__builtin_offsetof(thread_t, syscall_regs) == THREAD_OFF_SYSCALL_REGS,
    "thread_t layout");

/** The IPC fast path's way out to the thread that entered it (syscall.S:
 *  SYS_IPC_CALL_WAIT and SYS_IPC_ANSWER_WAIT marked the thread's frame @a is
 *  and called ipc_fast_call_wait or ipc_fast_answer_wait, which did the
 *  call). Interrupts are disabled from the entry. */
void syscall_ipc_fast_done(istate_t *is)
{
	/* A wait the fast path ended (a hand-off) while the task is stopped. */
	syscall_debug_stop_point(is);
	syscall_regs_mark(NULL);
	if (THREAD->kill_pending) {
		irq_enable();
		thread_exit();
	}
}

void syscall_resume_finish(void);
/* syscall_resume_user calls C with RSP at a frame at the stack's top. */
_Static_assert(sizeof(istate_t) % 16 == 0, "istate_t keeps RSP 16-byte aligned");

/** The switch to a thread resumed at its return to user space (syscall.S,
 *  syscall_resume_user) finished on its stack, as after any switch. */
void syscall_resume_finish(void)
{
	thread_finish_switch();
}

void syscall_handler(istate_t *is)
{
	syscall_regs_mark(is);
	irq_enable();
	if (is->rax >= SYS_IPC_FIRST && is->rax <= SYS_IPC_LAST)
		is->rax = sys_ipc(is->rax, is);
	else
		is->rax = (uint64_t) syscall_dispatch(
		    is->rax, is->rdi, is->rsi, is->rdx, is->r10, is->r8, is->r9);
	if (THREAD->kill_pending) /* killed during the call */
		thread_exit();
	/* From the stop check to user mode the thread is not preempted, so a
	 * thread seen off its CPU with its mark has not passed the check. */
	irq_disable();
	syscall_debug_stop_point(is);
	syscall_regs_mark(NULL);
	if (THREAD->kill_pending) { /* killed while it was stopped */
		irq_enable();
		thread_exit();
	}
}

void arch_user_istate_init(istate_t *is, uintptr_t entry, uintptr_t sp, uintptr_t arg)
{
	for (uint64_t *p = (uint64_t *) is; p < (uint64_t *) (is + 1); p++)
		*p = 0;
	is->rip = entry;
	is->rsp = sp;
	is->rdi = arg;
	is->cs = GDT_UCODE;
	is->ss = GDT_UDATA;
	is->rflags = 0x202; /* IF */
}
