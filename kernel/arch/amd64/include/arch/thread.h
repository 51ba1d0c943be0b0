/*
 * amd64 parts of threads: initial kernel stack frames, user entry, and what
 * changes on a context switch (TSS stack, address space, FPU, TLS base).
 */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <arch/asm.h>
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <cpu.h>
#include <proc/task.h>
#include <mm/as.h>
#include <proc/thread.h>
#include <smp.h>

void context_switch(uintptr_t *save_sp, uintptr_t new_sp);
/** Prepares @a t's kernel stack so that the first switch to it enters thread_main(). */
void arch_thread_init(thread_t *t);
/** The user context saved at the top of @a t's kernel stack. */
struct istate *arch_thread_istate(thread_t *t);
NORETURN void arch_enter_user(struct istate *istate);

/** Whether switched-out @a t resumes straight at its return to user space
 *  (an IPC waker finished its system call for it, ipc_regs_resume_user):
 *  context_switch_user can take it there with arch_thread_user_regs. */
static inline bool arch_thread_resumes_user(const thread_t *t)
{
	return context_frame_resumes_user(t->context_sp);
}

/** The user registers such a thread resumes with. */
static inline struct istate *arch_thread_user_regs(const thread_t *t)
{
	return context_frame_user_regs(t->context_sp);
}
#define MSR_FS_BASE 0xc0000100

/** Loads @a t's thread-local data base (FS base) into the CPU. */
static inline void arch_tls_activate(thread_t *t)
{
	wrmsr(MSR_FS_BASE, t->tls);
}

/** Frees arch state (the FPU area). */
void arch_thread_destroy(thread_t *t);
/** Top of @a t's kernel stack (16-byte aligned). */
static inline uintptr_t arch_thread_stack_top(thread_t *t)
{
	return (uintptr_t) t->kstack + THREAD_STACK_SIZE;
}

/** @a t (running, interrupts off) is about to move to another CPU: its FPU
 *  state, if live here, goes to memory. */
static inline void arch_thread_migrate(thread_t *t)
{
	fpu_release(t);
}

/** Loads page table @a root of @a next's address space in place of
 *  @a prev's, keeping both spaces' active_cpus right (mm/tlb.c). Several
 *  CPUs only: out of line, off the one-CPU switch. */
void arch_as_switch_marked(as_t *prev, as_t *next, paddr_t root);

/** Called on @a cpu (the running one) just before switching from @a prev to
 *  @a next: kernel stack for
 *  entries from user mode, address space and I/O ports (when the task
 *  changes), FPU state, thread-local base. Inline: part of every switch.
 *  With one CPU no address space is marked active: no shoot-down has a
 *  target there, and cpu_count is final (smp_start) before the first user
 *  table is loaded, so with several every load is marked. */
static inline __attribute__((always_inline)) void arch_thread_switch(
    cpu_t *cpu, thread_t *prev, thread_t *next)
{
	uintptr_t top = arch_thread_stack_top(next);
	tss_set_kernel_stack(cpu->arch, top);
	cpu->kernel_rsp = top;
	task_t *task = next->task;
	if (task != prev->task) {
		paddr_t root = task_page_root(task);
		if ((read_cr3() & ~0xfffull) != root) {
			if (cpu_count > 1)
				arch_as_switch_marked(prev->task->as, task->as, root);
			else
				write_cr3(root);
		}
		if (prev->task->io_bitmap_bytes != 0 || task->io_bitmap_bytes != 0)
			tss_set_io_bitmap(task->io_bitmap, task->io_bitmap_bytes);
	}
	fpu_context_switch(cpu, next);
	if (next->tls != prev->tls)
		arch_tls_activate(next);
}

#endif
