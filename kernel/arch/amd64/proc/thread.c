/*
 * amd64 thread set-up and switching.
 */
#include <arch/thread.h>
#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/interrupt.h>
#include <cpu.h>
#include <mm/page.h>
#include <proc/task.h>
#include <string.h>
#include <syscall.h>

extern char thread_trampoline[];

istate_t *arch_thread_istate(thread_t *t)
{
	return (istate_t *) (arch_thread_stack_top(t) - sizeof(istate_t));
}

void arch_thread_init(thread_t *t)
{
	/* Below the user context: six callee-saved registers and the return address. */
	uintptr_t *sp = (uintptr_t *) arch_thread_istate(t);
	*--sp = (uintptr_t) thread_trampoline;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->context_sp = (uintptr_t) sp;
}

void arch_thread_switch(thread_t *prev, thread_t *next)
{
	uintptr_t top = arch_thread_stack_top(next);
	tss_set_kernel_stack(top);
	CPU->kernel_rsp = top;
	task_t *task = next->task;
	if (task != prev->task) {
		paddr_t root = task_page_root(task);
		if ((read_cr3() & ~0xfffull) != root)
			write_cr3(root);
		if (prev->task->io_bitmap_bytes != 0 || task->io_bitmap_bytes != 0)
			tss_set_io_bitmap(task->io_bitmap, task->io_bitmap_bytes);
	}
	fpu_context_switch(next);
	if (next->tls != prev->tls)
		arch_tls_activate(next);
}

void arch_thread_destroy(thread_t *t)
{
	fpu_thread_destroy(t);
}

void arch_io_update(task_t *task)
{
	bool ints = irq_save();
	if (THREAD->task == task)
		tss_set_io_bitmap(task->io_bitmap, task->io_bitmap_bytes);
	irq_restore(ints);
}

#define MSR_FS_BASE 0xc0000100

void arch_tls_activate(thread_t *t)
{
	wrmsr(MSR_FS_BASE, t->tls);
}
