/*
 * amd64 thread set-up and switching.
 */
#include <arch/thread.h>
#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/interrupt.h>
#include <cpu.h>
#include <interrupt.h>
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

/*
 * I/O permission bitmap. Each CPU's TSS holds a copy of the running task's
 * bitmap (gdt.c), loaded when the CPU switches between tasks
 * (arch_thread_switch) and by the thread that enables ports for its task
 * (arch_io_update). Another CPU running a thread of the same task at that
 * moment keeps its older copy, with fewer ports open (a task's ports only
 * ever open: task_io_enable): its next in or out on a new port raises #GP,
 * and io_gp_refresh then loads the task's current bitmap and retries the
 * instruction. A copy never holds a port its task lacks, so the lazy update
 * is safe; a #GP with an up-to-date copy is the task's fault as before.
 * (Sending every CPU an IPI at each enable would do it too, but costs every
 * CPU an interrupt for what a driver usually does once, at its start.)
 */
void arch_io_update(task_t *task)
{
	bool ints = irq_save();
	if (THREAD->task == task)
		tss_set_io_bitmap(task->io_bitmap, task->io_bitmap_bytes);
	irq_restore(ints);
}

/** #GP handler: true (retry) if it came from user mode while this CPU's
 *  copy of the task's I/O bitmap was out of date, which it renews under
 *  task->lock (task_io_enable writes the bitmap under it). */
static bool io_gp_refresh(istate_t *istate)
{
	if (!istate_from_user(istate))
		return false;
	task_t *task = THREAD->task;
	spinlock_lock(&task->lock);
	bool stale = !tss_io_bitmap_is(task->io_bitmap, task->io_bitmap_bytes);
	if (stale)
		tss_set_io_bitmap(task->io_bitmap, task->io_bitmap_bytes);
	spinlock_unlock(&task->lock);
	return stale;
}

void io_bitmap_init(void)
{
	exception_register(VECTOR_GENERAL_PROTECTION, io_gp_refresh);
}
