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

void arch_as_switch_marked(as_t *prev, as_t *next, paddr_t root)
{
	unsigned cpu = CPU->id;
	as_mark_active(next, cpu, true);
	write_cr3(root);
	as_mark_active(prev, cpu, false);
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
