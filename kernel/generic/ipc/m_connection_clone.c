/*
 * IPC_M_CONNECTION_CLONE: the caller hands the receiver a copy of one of its
 * connections (args[0] = the caller's phone). The receiver gets a new phone to
 * the same server with the same label, as args[0]; refusing revokes it.
 */
#include <ipc/methods.h>
#include <cpu.h>
#include <proc/task.h>
#include <proc/thread.h>

static errno_t clone_request_preprocess(call_t *call)
{
	phone_t *orig = (phone_t *) cap_get(
	    &THREAD->task->caps, call->data.args[0], KOBJECT_PHONE);
	if (orig == NULL)
		return ENOENT;
	spinlock_lock(&orig->lock);
	answerbox_t *box = orig->state == PHONE_CONNECTED ? orig->callee : NULL;
	sysarg_t label = orig->label;
	if (box != NULL)
		task_get(box->task);
	spinlock_unlock(&orig->lock);
	kobject_put(&orig->kobj);
	if (box == NULL)
		return EHANGUP;
	phone_t *copy = phone_create();
	errno_t rc = copy != NULL ? phone_connect(copy, box, label) : ENOMEM;
	task_put(box->task);
	if (rc != EOK) {
		if (copy != NULL)
			kobject_put(&copy->kobj);
		return rc;
	}
	call->passed = &copy->kobj;
	return EOK;
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
