/*
 * amd64 parts of threads: initial kernel stack frames, user entry, and what
 * changes on a context switch (TSS stack, address space, FPU, TLS base).
 */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <cpu.h>
#include <proc/task.h>
#include <mm/as.h>
#include <proc/thread.h>

void context_switch(uintptr_t *save_sp, uintptr_t new_sp);
/** Prepares @a t's kernel stack so that the first switch to it enters thread_main(). */
void arch_thread_init(thread_t *t);
/** The user context saved at the top of @a t's kernel stack. */
struct istate *arch_thread_istate(thread_t *t);
NORETURN void arch_enter_user(struct istate *istate);
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

/** Called just before switching from @a prev to @a next: kernel stack for
 *  entries from user mode, address space and I/O ports (when the task
 *  changes), FPU state, thread-local base. Inline: part of every switch. */
static inline void arch_thread_switch(thread_t *prev, thread_t *next)
{
	uintptr_t top = arch_thread_stack_top(next);
	tss_set_kernel_stack(top);
	CPU->kernel_rsp = top;
	task_t *task = next->task;
	if (task != prev->task) {
		paddr_t root = task_page_root(task);
		if ((read_cr3() & ~0xfffull) != root) {
			unsigned cpu = CPU->id;
			as_mark_active(task->as, cpu, true);
			write_cr3(root);
			as_mark_active(prev->task->as, cpu, false);
		}
		if (prev->task->io_bitmap_bytes != 0 || task->io_bitmap_bytes != 0)
			tss_set_io_bitmap(task->io_bitmap, task->io_bitmap_bytes);
	}
	fpu_context_switch(next);
	if (next->tls != prev->tls)
		arch_tls_activate(next);
}

#endif
