/*
 * Page faults. A fault on a user address (from user mode, or from the
 * kernel's user-copy instruction) goes to the task's address space for
 * demand paging; if that fails, user code goes to its exception handler
 * (proc/exc.c) or is killed, and the user copy returns an error. A page a
 * user-space pager supplies (mm/pager.c) is asked for while the thread
 * sleeps: from user mode always, from a user copy only if interrupts were on
 * there (no spinlock held; else the copy fails). Anything else is a kernel
 * bug and panics.
 */
#include <arch/asm.h>
#include <arch/interrupt.h>
#include <arch/layout.h>
#include <cpu.h>
#include <interrupt.h>
#include <mm/as.h>
#include <mm/pager.h>
#include <proc/exc.h>
#include <proc/task.h>
#include <proc/thread.h>

#define PF_WRITE  0x02
#define PF_FETCH  0x10
#define RFLAGS_IF 0x200

extern char uaccess_copy_insn[], uaccess_copy_end[], uaccess_fault[];

static int fault_access(uint64_t error)
{
	if (error & PF_FETCH)
		return AS_ACCESS_EXEC;
	return (error & PF_WRITE) ? AS_ACCESS_WRITE : AS_ACCESS_READ;
}

static bool page_fault(istate_t *is)
{
	uintptr_t addr = read_cr2();
	bool user = istate_from_user(is);
	bool uaccess = !user && is->rip >= (uintptr_t) uaccess_copy_insn &&
	    is->rip < (uintptr_t) uaccess_copy_end;
	if (!user && !uaccess)
		return false;
	thread_t *t = THREAD;
	as_t *as = t != NULL ? t->task->as : NULL;
	errno_t rc = as != NULL && addr < USER_SPACE_END
	    ? as_page_fault(as, addr, fault_access(is->error))
	    : ENOENT;
	if (rc == EAGAIN && (user || (is->rflags & RFLAGS_IF)))
		rc = pager_fault(as, addr, fault_access(is->error), user ? is->rip : 0);
	if (rc == EOK)
		return true;
	if (uaccess) {
		is->rip = (uintptr_t) uaccess_fault;
		return true;
	}
	if (rc == EINTR) { /* killed while its pager was asked */
		irq_enable();
		thread_exit();
	}
	/* Demand paging found no free frame: the task cannot go on. */
	if (rc == ENOMEM)
		task_fault("out of memory", TASK_FAULT_NO_MEMORY, addr, is->rip, true);
	if (exc_fault(is, EXC_KIND_PAGE, addr, "page fault"))
		return true; /* the handler resolved it: the access is retried */
	task_fault("page fault", TASK_FAULT_PAGE, addr, is->rip, true);
}

void fault_init(void);

void fault_init(void)
{
	exception_register(VECTOR_PAGE_FAULT, page_fault);
}
