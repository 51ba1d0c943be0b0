/*
 * SYS_AS_AREA_CREATE_PAGER (abi/pager.h): an area whose pages a user-space
 * pager supplies. Every argument is checked, and the pager's phone found or
 * made, before the area is; a failure leaves the caller's table as it was.
 */
#include <cap/cap.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <mm/as.h>
#include <mm/pager.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <syscall.h>
#include <uaccess.h>
#include <abi/pager.h>
#include <arch/layout.h>

#define PAGER_FLAGS_VALID (AS_PAGER_TO_ME | AS_PAGER_TAKE | AS_PAGER_WRITEBACK)

/** The phone @a p names (a reference): a new one to the caller's own box
 *  (TO_ME), or the one of the caller's handle. */
static errno_t pager_phone(const as_pager_t *p, phone_t **out)
{
	task_t *self = THREAD->task;
	if (p->flags & AS_PAGER_TO_ME) {
		phone_t *phone = phone_create();
		if (phone == NULL)
			return ENOMEM;
		errno_t rc = phone_connect(phone, &self->box, p->label);
		if (rc != EOK) {
			kobject_put(&phone->kobj);
			return rc;
		}
		*out = phone;
		return EOK;
	}
	/* The kernel sends IPC_M_PAGE_IN through it on the task's behalf: the
	 * handle must carry the call right (EPERM otherwise). */
	kobject_t *obj;
	errno_t rc = cap_lookup(
	    &self->caps, p->phone, KOBJECT_PHONE, CAP_RIGHT_CALL, &obj);
	*out = rc == EOK ? (phone_t *) obj : NULL;
	return rc;
}

/** AS_PAGER_TAKE, once the area holds @a phone: the caller's handle goes.
 *  Should another thread have closed it and reused the number meanwhile,
 *  the object found there is left in the table (under a new handle). */
static void pager_phone_take(const as_pager_t *p, phone_t *phone)
{
	cap_table_t *caps = &THREAD->task->caps;
	kobject_t *found;
	if (cap_free(caps, (cap_handle_t) p->phone, KOBJECT_PHONE, 0, &found) != EOK)
		return;
	cap_handle_t h;
	if (found != &phone->kobj && cap_alloc(caps, found, &h) == EOK)
		return;
	kobject_put(found);
}

/** Makes the area for the checked @a p with its @a phone (consumed). */
static errno_t pager_area_create(
    uintptr_t *base, size_t size, unsigned flags, const as_pager_t *p, phone_t *phone)
{
	size_t pages = size / PAGE_SIZE + (size % PAGE_SIZE != 0);
	mem_object_t *obj;
	errno_t rc = pager_object_create(
	    phone, p->arg, p->offset, pages, (p->flags & AS_PAGER_WRITEBACK) != 0, &obj);
	if (rc != EOK) {
		kobject_put(&phone->kobj);
		return rc;
	}
	rc = as_area_create(THREAD->task->as, base, size, flags, obj, 0);
	mem_object_put(obj); /* the area holds its own reference (or none) */
	return rc;
}

sysarg_t sys_as_area_create_pager(
    sysarg_t base_inout, sysarg_t size, sysarg_t flags, sysarg_t pager_in)
{
	uintptr_t base;
	as_pager_t p;
	errno_t rc = copy_from_uspace(&base, base_inout, sizeof(base));
	if (rc == EOK)
		rc = copy_to_uspace(base_inout, &base, sizeof(base));
	if (rc == EOK)
		rc = copy_from_uspace(&p, pager_in, sizeof(p));
	if (rc != EOK)
		return (sysarg_t) rc;
	if (flags > UINT32_MAX || (flags & AS_AREA_NORESERVE) || size == 0 ||
	    size > USER_SPACE_END || (p.flags & ~(uint64_t) PAGER_FLAGS_VALID) != 0 ||
	    (p.flags & AS_PAGER_TO_ME && p.flags & AS_PAGER_TAKE) ||
	    (p.flags & AS_PAGER_WRITEBACK && !(flags & AS_AREA_WRITE)) ||
	    !IS_ALIGNED(p.offset, PAGE_SIZE))
		return (sysarg_t) EINVAL;
	phone_t *phone;
	rc = pager_phone(&p, &phone);
	if (rc != EOK)
		return (sysarg_t) rc;
	if (p.flags & AS_PAGER_TAKE)
		kobject_get(&phone->kobj); /* to find the handle's object by */
	rc = pager_area_create(&base, size, (unsigned) flags, &p, phone);
	if (rc == EOK) {
		rc = copy_to_uspace(base_inout, &base, sizeof(base));
		if (rc != EOK) /* unmapped meanwhile by another thread: undo */
			as_area_destroy(THREAD->task->as, base);
		else if (p.flags & AS_PAGER_TAKE)
			pager_phone_take(&p, phone);
	}
	if (p.flags & AS_PAGER_TAKE)
		kobject_put(&phone->kobj);
	return (sysarg_t) rc;
}

sysarg_t sys_as_area_sync(sysarg_t addr, sysarg_t size)
{
	return (sysarg_t) pager_sync(THREAD->task->as, addr, size);
}

sysarg_t sys_pager_page_out_read(sysarg_t call_h, sysarg_t buf, sysarg_t size)
{
	kobject_t *obj;
	errno_t rc = cap_lookup(&THREAD->task->caps, call_h, KOBJECT_CALL, 0, &obj);
	if (rc != EOK)
		return (sysarg_t) rc;
	/* Our reference keeps the call, and so its frame, while we copy. */
	call_t *call = (call_t *) obj;
	if (call->ops != &ipc_m_page_out_ops || call->buffer == NULL)
		rc = EINVAL;
	else if (size != call->buffer_size)
		rc = EINVAL;
	else
		rc = copy_to_uspace(buf, call->buffer, size);
	kobject_put(obj);
	return (sysarg_t) rc;
}
