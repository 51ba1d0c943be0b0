/*
 * System calls on capabilities themselves: derive a handle with fewer
 * rights, revoke a derived one, tell a handle's kind and rights
 * (abi/cap.h; docs/security.md, "Capability rights"). Each decodes and
 * checks every argument before it changes anything.
 */
#include <cap/cap.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <syscall.h>
#include <uaccess.h>

/** The rights a capability of @a type can have at all, and its ABI kind. */
static cap_rights_t kind_rights(kobject_type_t type, uint32_t *kind)
{
	switch (type) {
	case KOBJECT_PHONE:
		*kind = CAP_KIND_PHONE;
		return CAP_RIGHTS_PHONE;
	case KOBJECT_CALL:
		*kind = CAP_KIND_CALL;
		return CAP_RIGHTS_CALL;
	case KOBJECT_IRQ:
		*kind = CAP_KIND_IRQ;
		return CAP_RIGHTS_IRQ;
	default:
		*kind = 0;
		return 0;
	}
}

/** What @a handle of @a self names, as SYS_CAP_INFO tells it. ENOENT. */
static errno_t cap_describe(task_t *self, cap_handle_t handle, cap_info_t *info)
{
	kobject_t *obj;
	cap_rights_t rights;
	unsigned flags;
	errno_t rc = cap_query(&self->caps, handle, &obj, &rights, &flags);
	if (rc != EOK)
		return rc;
	*info = (cap_info_t){0};
	info->rights = rights & kind_rights(obj->type, &info->kind);
	info->derived = (flags & CAP_SLOT_DERIVED) != 0;
	kobject_put(obj);
	return EOK;
}

sysarg_t sys_cap_derive(sysarg_t handle, sysarg_t rights, sysarg_t handle_out)
{
	task_t *self = THREAD->task;
	cap_info_t info;
	errno_t rc = cap_describe(self, handle, &info);
	if (rc != EOK)
		return (sysarg_t) rc;
	static const cap_rights_t possible_of[] = {
	    [CAP_KIND_PHONE] = CAP_RIGHTS_PHONE,
	    [CAP_KIND_CALL] = CAP_RIGHTS_CALL,
	    [CAP_KIND_IRQ] = CAP_RIGHTS_IRQ,
	};
	cap_rights_t possible = possible_of[info.kind];
	if ((rights & ~(sysarg_t) possible) != 0)
		return (sysarg_t) EINVAL; /* rights of another kind, or unknown ones */
	cap_handle_t out = CAP_NULL;
	rc = copy_to_uspace(handle_out, &out, sizeof(out)); /* fails before any change */
	if (rc != EOK)
		return (sysarg_t) rc;
	if (info.kind == CAP_KIND_PHONE)
		rc = ipc_phone_derive(self, handle, (cap_rights_t) rights, &out);
	else
		rc = cap_restrict(&self->caps, handle, (cap_rights_t) rights, &out);
	if (rc != EOK)
		return (sysarg_t) rc;
	return (sysarg_t) copy_to_uspace(handle_out, &out, sizeof(out));
}

sysarg_t sys_cap_revoke(sysarg_t handle)
{
	return (sysarg_t) ipc_phone_revoke(THREAD->task, handle);
}

sysarg_t sys_cap_info(sysarg_t handle, sysarg_t info_out)
{
	cap_info_t info;
	errno_t rc = cap_describe(THREAD->task, handle, &info);
	if (rc != EOK)
		return (sysarg_t) rc;
	return (sysarg_t) copy_to_uspace(info_out, &info, sizeof(info));
}
