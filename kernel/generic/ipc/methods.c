/*
 * The method table: which hooks a call's method has. User methods have none;
 * each system method lives in its own file (ipc/m_*.c).
 */
#include <ipc/methods.h>
#include <cpu.h>
#include <mm/kmalloc.h>
#include <mm/mem_object.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <uaccess.h>

const ipc_method_ops_t ipc_user_method_ops = {.forwardable = true, .sendable = true};
static const ipc_method_ops_t plain_system_ops = {.forwardable = false};

const ipc_method_ops_t *ipc_system_method_ops(sysarg_t method)
{
	switch (method) {
	case IPC_M_PHONE_HUNGUP:
		return &ipc_m_phone_hungup_ops;
	case IPC_M_CONNECT_ME_TO:
		return &ipc_m_connect_me_to_ops;
	case IPC_M_CONNECT_TO_ME:
		return &ipc_m_connect_to_me_ops;
	case IPC_M_CONNECTION_CLONE:
		return &ipc_m_connection_clone_ops;
	case IPC_M_DATA_WRITE:
		return &ipc_m_data_write_ops;
	case IPC_M_DATA_READ:
		return &ipc_m_data_read_ops;
	case IPC_M_SHARE_OUT:
		return &ipc_m_share_out_ops;
	case IPC_M_SHARE_IN:
		return &ipc_m_share_in_ops;
	case IPC_M_STATE_CHANGE_AUTHORIZE:
		return &ipc_m_state_change_authorize_ops;
	case IPC_M_EXCEPTION:
		return &ipc_m_exception_ops;
	case IPC_M_PAGE_IN:
		return &ipc_m_page_in_ops;
	case IPC_M_PAGE_OUT:
		return &ipc_m_page_out_ops;
	default:
		return method > IPC_M_LAST_SYSTEM ? &ipc_user_method_ops
						  : &plain_system_ops;
	}
}

errno_t passed_phone_install(call_t *call, ipc_event_t *ev, unsigned arg)
{
	kobject_get(call->passed); /* the capability's reference */
	errno_t rc = cap_alloc_rights(&THREAD->task->caps, call->passed,
	    ((phone_t *) call->passed)->rights, 0, &call->passed_cap);
	if (rc != EOK) {
		kobject_put(call->passed);
		return rc;
	}
	ev->args[arg] = call->passed_cap;
	return EOK;
}

errno_t passed_phone_revoke_unless_accepted(call_t *call)
{
	if ((errno_t) call->data.method == EOK)
		return EOK;
	kobject_t *obj;
	if (cap_free(&THREAD->task->caps, call->passed_cap, KOBJECT_PHONE, 0, &obj) ==
	    EOK)
		kobject_put(obj);
	return EOK;
}

void passed_object_cleanup(call_t *call)
{
	if (call->passed != NULL)
		kobject_put(
		    call->passed); /* a phone hangs up when its last reference goes */
}

errno_t transfer_buffer_fill(call_t *call, uintptr_t src, size_t size)
{
	call->buffer_size = size;
	if (size == 0)
		return EOK;
	call->buffer = kmalloc(size);
	if (call->buffer == NULL)
		return ENOMEM;
	return copy_from_uspace(call->buffer, src, size);
}

void transfer_cleanup(call_t *call)
{
	kfree(call->buffer);
	call->buffer = NULL;
	if (call->shared != NULL)
		mem_object_put(call->shared);
	call->shared = NULL;
}
