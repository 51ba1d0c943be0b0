/*
 * System calls of exceptions as messages and of the debug interface
 * (abi/exc.h, docs/kernel.md): naming an exception handler, stopping and
 * resuming a task, listing its threads, reading and writing the registers of
 * a stopped thread and reading the task's memory. A task may use them on
 * itself, on its children, and on any task with PERM_DEBUG (but name a
 * handler only for itself and its children); others get EPERM.
 * Every argument is checked before anything changes.
 */
#include <arch/layout.h>
#include <cap/cap.h>
#include <common/arch/page.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <mm/as.h>
#include <mm/kmalloc.h>
#include <proc/exc.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>

#define DEBUG_READ_MAX 65536 /* bytes per SYS_DEBUG_MEM_READ */

/** Task @a id (0: the caller) with a reference, if the caller may debug it. */
static errno_t debug_task_get(sysarg_t id, task_t **out)
{
	task_t *t = id == 0 ? THREAD->task : task_find(id);
	if (t == NULL)
		return ENOENT;
	if (id == 0)
		task_get(t);
	if (t == &kernel_task || !exc_debug_allowed(t)) {
		task_put(t);
		return t == &kernel_task ? ENOENT : EPERM;
	}
	*out = t;
	return EOK;
}

/** The handler phone SYS_EXC_HANDLER_SET names (a reference, NULL: none). */
static errno_t handler_phone(
    sysarg_t phone_h, sysarg_t label, sysarg_t flags, phone_t **out)
{
	task_t *self = THREAD->task;
	*out = NULL;
	if (flags & EXC_HANDLER_TO_ME) {
		phone_t *p = phone_create();
		if (p == NULL)
			return ENOMEM;
		errno_t rc = phone_connect(p, &self->box, label);
		if (rc != EOK) {
			kobject_put(&p->kobj);
			return rc;
		}
		*out = p;
		return EOK;
	}
	if (phone_h == CAP_NULL)
		return EOK;
	/* The kernel calls through it for the task: it needs CAP_RIGHT_CALL. */
	kobject_t *obj;
	errno_t rc = cap_lookup(
	    &self->caps, (cap_handle_t) phone_h, KOBJECT_PHONE, CAP_RIGHT_CALL, &obj);
	*out = rc == EOK ? (phone_t *) obj : NULL;
	return rc;
}

sysarg_t sys_exc_handler_set(sysarg_t task_id, sysarg_t thread_id, sysarg_t phone_h,
    sysarg_t label, sysarg_t flags)
{
	if ((flags & ~(sysarg_t) EXC_HANDLER_TO_ME) != 0)
		return (sysarg_t) EINVAL;
	task_t *task;
	errno_t rc = debug_task_get(task_id, &task);
	/* A handler is kernel state the task keeps until it ends, whoever
	 * named it: only the task itself or its parent may, PERM_DEBUG or not
	 * (else a task that died would leave its phone in a living task). */
	if (rc == EOK && task != THREAD->task && task->parent_id != THREAD->task->id) {
		task_put(task);
		rc = EPERM;
	}
	if (rc != EOK)
		return (sysarg_t) rc;
	phone_t *phone = NULL;
	rc = handler_phone(phone_h, label, flags, &phone);
	/* A handler naming itself: this thread's faults are not sent to it. */
	uint64_t self = (flags & EXC_HANDLER_TO_ME) ? THREAD->id : 0;
	if (rc == EOK)
		rc = exc_handler_set(task, thread_id, phone, self);
	task_put(task);
	return (sysarg_t) rc;
}

sysarg_t sys_debug_control(sysarg_t task_id, sysarg_t command)
{
	if (task_id == 0)
		return (sysarg_t) EINVAL; /* a task does not stop itself */
	task_t *task;
	errno_t rc = debug_task_get(task_id, &task);
	if (rc != EOK)
		return (sysarg_t) rc;
	rc = exc_debug_control(task, (unsigned) command);
	task_put(task);
	return (sysarg_t) rc;
}

static void thread_info_fill(thread_t *t, exc_thread_info_t *info)
{
	memset(info, 0, sizeof(*info));
	info->id = t->id;
	str_lcpy(info->name, t->name, sizeof(info->name));
	exc_stop_t stop;
	if (!exc_thread_stop_get(t, &stop))
		return;
	info->state = stop.state;
	info->kind = stop.kind;
	info->fault_addr = stop.addr;
	info->ip = exc_context_ip(stop.ctx);
}

sysarg_t sys_debug_threads(sysarg_t task_id, sysarg_t buf, sysarg_t max)
{
	if (max > 4096)
		return (sysarg_t) EINVAL;
	task_t *task;
	errno_t rc = debug_task_get(task_id, &task);
	if (rc != EOK)
		return (sysarg_t) rc;
	exc_thread_info_t *infos = max > 0 ? kmalloc(max * sizeof(*infos)) : NULL;
	if (max > 0 && infos == NULL) {
		task_put(task);
		return (sysarg_t) ENOMEM;
	}
	size_t n = 0;
	spinlock_lock(&task->lock);
	list_foreach (task->threads, task_link, thread_t, t) {
		if (n < max && t->user)
			thread_info_fill(t, &infos[n]);
		n += t->user;
	}
	spinlock_unlock(&task->lock);
	rc = copy_to_uspace(buf, infos, MIN(n, max) * sizeof(*infos));
	kfree(infos);
	task_put(task);
	return rc == EOK ? (sysarg_t) n : (sysarg_t) rc;
}

/** Runs @a fn on the saved registers of stopped thread @a thread_id of task
 *  @a task_id (with its lock held: the thread stays stopped meanwhile).
 *  EBUSY: the thread runs, or with @a writing, it is stopped inside a system
 *  call (which writes its result into them on the way out). */
static errno_t with_stopped_context(sysarg_t task_id, sysarg_t thread_id,
    errno_t (*fn)(exc_context_t *ctx, exc_regs_t *regs), exc_regs_t *regs, bool writing)
{
	task_t *task;
	errno_t rc = debug_task_get(task_id, &task);
	if (rc != EOK)
		return rc;
	spinlock_lock(&task->lock);
	thread_t *t = exc_thread_find_locked(task, thread_id);
	exc_stop_t stop;
	rc = t == NULL ? ENOENT : !exc_thread_stop_get(t, &stop) ? EBUSY : EOK;
	if (rc == EOK && writing && t->exc_stop == NULL)
		rc = EBUSY;
	if (rc == EOK)
		rc = fn(stop.ctx, regs);
	spinlock_unlock(&task->lock);
	task_put(task);
	return rc;
}

static errno_t context_get(exc_context_t *ctx, exc_regs_t *regs)
{
	exc_context_get(ctx, regs);
	return EOK;
}

static errno_t context_set(exc_context_t *ctx, exc_regs_t *regs)
{
	return exc_context_set(ctx, regs);
}

sysarg_t sys_debug_regs_get(sysarg_t task_id, sysarg_t thread_id, sysarg_t regs_out)
{
	exc_regs_t regs;
	memset(&regs, 0, sizeof(regs));
	errno_t rc = copy_to_uspace(regs_out, &regs, sizeof(regs)); /* probe first */
	if (rc == EOK)
		rc = with_stopped_context(task_id, thread_id, context_get, &regs, false);
	if (rc == EOK)
		rc = copy_to_uspace(regs_out, &regs, sizeof(regs));
	return (sysarg_t) rc;
}

sysarg_t sys_debug_regs_set(sysarg_t task_id, sysarg_t thread_id, sysarg_t regs_in)
{
	exc_regs_t regs;
	errno_t rc = copy_from_uspace(&regs, regs_in, sizeof(regs));
	if (rc == EOK)
		rc = with_stopped_context(task_id, thread_id, context_set, &regs, true);
	return (sysarg_t) rc;
}

/** Copies @a size bytes at @a addr of @a task into @a buf, page by page,
 *  under task->lock (which keeps the address space from going away). */
static errno_t task_mem_read(task_t *task, uintptr_t addr, uint8_t *buf, size_t size)
{
	errno_t rc = EOK;
	while (rc == EOK && size > 0) {
		size_t n = MIN(size, PAGE_SIZE - addr % PAGE_SIZE);
		spinlock_lock(&task->lock);
		rc = task->as != NULL ? as_read_page(task->as, addr, buf, n) : ENOENT;
		spinlock_unlock(&task->lock);
		addr += n;
		buf += n;
		size -= n;
	}
	return rc;
}

sysarg_t sys_debug_mem_read(sysarg_t task_id, sysarg_t addr, sysarg_t buf, sysarg_t size)
{
	if (size > DEBUG_READ_MAX)
		return (sysarg_t) ELIMIT;
	if (addr >= USER_SPACE_END || size > USER_SPACE_END - addr)
		return (sysarg_t) EINVAL;
	task_t *task;
	errno_t rc = debug_task_get(task_id, &task);
	if (rc != EOK)
		return (sysarg_t) rc;
	uint8_t *kbuf = size > 0 ? kmalloc(size) : NULL;
	if (size > 0 && kbuf == NULL)
		rc = ENOMEM;
	if (rc == EOK)
		rc = task_mem_read(task, addr, kbuf, size);
	task_put(task);
	if (rc == EOK)
		rc = copy_to_uspace(buf, kbuf, size);
	kfree(kbuf);
	return (sysarg_t) rc;
}
