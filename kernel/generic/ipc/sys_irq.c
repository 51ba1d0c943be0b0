/*
 * System calls for IRQ subscriptions, I/O space and kernel events.
 */
#include <ipc/irq.h>
#include <cpu.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <syscall.h>
#include <uaccess.h>
#include <mm/as.h>
#include <mm/page.h>
#include <interrupt.h>
#include <smp.h>

#define IRQ_CPU_UNCHANGED UINT32_MAX /* the line argument named no CPU */

static bool current_may_touch(void *ctx, uint32_t port, unsigned width)
{
	return task_io_allowed(ctx, port, width);
}

/** Device memory the task could map with SYS_PHYSMEM_MAP: granted, or any
 *  device memory with PERM_PHYSMEM (a read never straddles a page). */
static bool current_may_read_mem(void *ctx, uint64_t addr, unsigned width)
{
	uint64_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	return physmem_is_device(page, PAGE_SIZE) &&
	    task_hwres_use(ctx, PERM_PHYSMEM, HWRES_MEM, page, PAGE_SIZE, false) == EOK;
}

/** Splits SYS_IRQ_SUBSCRIBE's @a arg into the line (*@a irq) and the CPU to
 *  deliver it to (*@a cpu, IRQ_CPU_UNCHANGED: leave it where it goes); EINVAL for a
 *  CPU that does not run (abi/irq.h, IRQ_ON_CPU). */
static errno_t irq_arg_decode(sysarg_t arg, sysarg_t *irq, unsigned *cpu)
{
	uint64_t cpu_plus_one = (uint64_t) arg >> IRQ_CPU_SHIFT;
	*irq = arg & IRQ_LINE_MASK;
	*cpu = IRQ_CPU_UNCHANGED;
	if (cpu_plus_one == 0)
		return EOK;
	if (cpu_plus_one > CPU_MAX || !cpu_id_valid((unsigned) (cpu_plus_one - 1)))
		return EINVAL;
	*cpu = (unsigned) (cpu_plus_one - 1);
	return EOK;
}

sysarg_t sys_irq_subscribe(
    sysarg_t arg, sysarg_t method, sysarg_t cmds, sysarg_t count, sysarg_t handle_out)
{
	task_t *self = THREAD->task;
	sysarg_t irq;
	unsigned cpu;
	errno_t use = irq_arg_decode(arg, &irq, &cpu);
	if (use == EOK)
		use = task_hwres_use(self, PERM_IRQ, HWRES_IRQ, irq, 1, false);
	if (use != EOK)
		return (sysarg_t) use;
	if (count == 0 || count > IRQ_CODE_MAX_CMDS)
		return (sysarg_t) EINVAL;
	irq_code_t code;
	code.count = count;
	const irq_code_checks_t checks = {.may_touch = current_may_touch,
	    .may_read_mem = current_may_read_mem,
	    .ctx = self};
	errno_t rc = copy_from_uspace(code.cmds, cmds, count * sizeof(irq_cmd_t));
	if (rc == EOK)
		rc = irq_code_validate(code.cmds, count, &checks);
	cap_handle_t h = CAP_NULL;
	if (rc == EOK)
		rc = copy_to_uspace(handle_out, &h, sizeof(h));
	if (rc == EOK)
		rc = irq_code_map(&code);
	/* Mapped, the program's pages go with the subscription, made or not. */
	if (rc == EOK)
		rc = ipc_irq_subscribe(
		    (unsigned) (irq > 0xffff ? 0xffff : irq), method, &code, &h);
	if (rc != EOK)
		return (sysarg_t) rc;
	/* Subscribed, the line is claimed for this task (EBUSY for others)
	 * until it ends; lost to another task meanwhile, it is given up. */
	rc = task_hwres_use(self, PERM_IRQ, HWRES_IRQ, irq, 1, true);
	if (rc == EOK)
		rc = copy_to_uspace(handle_out, &h, sizeof(h));
	if (rc == EOK && cpu != IRQ_CPU_UNCHANGED)
		rc = irq_set_cpu((unsigned) irq, cpu);
	if (rc != EOK)
		ipc_irq_unsubscribe(h);
	return (sysarg_t) rc;
}

sysarg_t sys_irq_unsubscribe(sysarg_t handle)
{
	return (sysarg_t) ipc_irq_unsubscribe(handle);
}

sysarg_t sys_irq_ack(sysarg_t handle)
{
	return (sysarg_t) ipc_irq_ack(THREAD->task, handle);
}

sysarg_t sys_iospace_enable(sysarg_t port, sysarg_t size)
{
	task_t *self = THREAD->task;
	if (port > 0xffff || size > 0x10000)
		return (sysarg_t) EINVAL;
	errno_t rc = task_hwres_use(self, PERM_IO, HWRES_IO, port, size, true);
	if (rc != EOK)
		return (sysarg_t) rc;
	rc = task_io_enable(self, (uint32_t) port, (uint32_t) size);
	if (rc == EOK)
		arch_io_update(self);
	return (sysarg_t) rc;
}

sysarg_t sys_event_subscribe(sysarg_t event, sysarg_t method)
{
	return (sysarg_t) event_subscribe(
	    THREAD->task, event > 0xffff ? 0xffff : (unsigned) event, method);
}

sysarg_t sys_event_unmask(sysarg_t event)
{
	return (sysarg_t) event_unmask(
	    THREAD->task, event > 0xffff ? 0xffff : (unsigned) event);
}
