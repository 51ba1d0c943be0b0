/*
 * IPC_M_CONNECTION_CLONE: the caller hands the receiver a copy of one of its
 * connections (args[0] = the caller's phone, which needs CAP_RIGHT_CLONE). The
 * receiver gets a new phone to the same server with the same label and the
 * rights of the caller's handle, as args[0]; refusing revokes it. A copy of a
 * derived phone dies with it when the derivation is revoked (ipc/derive.c).
 */
#include <ipc/methods.h>
#include <cpu.h>
#include <proc/task.h>
#include <proc/thread.h>

static errno_t clone_request_preprocess(call_t *call)
{
	kobject_t *obj;
	cap_rights_t rights;
	unsigned flags;
	errno_t rc = cap_query(
	    &THREAD->task->caps, call->data.args[0], &obj, &rights, &flags);
	if (rc != EOK)
		return rc;
	if (obj->type != KOBJECT_PHONE)
		rc = ENOENT;
	else if (!(rights & CAP_RIGHT_CLONE))
		rc = EPERM;
	phone_t *copy = NULL;
	if (rc == EOK) /* the copy has the rights of the handle, never more */
		rc = phone_copy_for_clone((phone_t *) obj, rights, &copy);
	kobject_put(obj);
	if (rc == EOK)
		call->passed = &copy->kobj;
	return rc;
}

static errno_t clone_request_process(call_t *call, ipc_event_t *ev)
{
	return passed_phone_install(call, ev, 0);
}

const ipc_method_ops_t ipc_m_connection_clone_ops = {
    .request_preprocess = clone_request_preprocess,
    .request_process = clone_request_process,
    .answer_preprocess = passed_phone_revoke_unless_accepted,
    .cleanup = passed_object_cleanup,
    .forwardable = false,
    .sendable = true,
};
