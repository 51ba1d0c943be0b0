/*
 * IPC_M_CONNECT_TO_ME: the caller offers the receiver a callback phone to
 * the caller's own answerbox (a server registering with the naming service,
 * or a client opening a callback connection).
 *   request:  args[3] = the label calls through the callback phone will carry
 *   received: args[4] = the handle of the new phone in the receiver's table
 *   answer:   EOK keeps the phone; any error revokes it
 */
#include <ipc/methods.h>
#include <cpu.h>
#include <proc/task.h>
#include <proc/thread.h>

static errno_t ctm_request_preprocess(call_t *call)
{
	phone_t *phone = phone_create();
	if (phone == NULL)
		return ENOMEM;
	errno_t rc = phone_connect(phone, &THREAD->task->box, call->data.args[3]);
	if (rc != EOK) {
		kobject_put(&phone->kobj);
		return rc;
	}
	call->passed = &phone->kobj;
	return EOK;
}

static errno_t ctm_request_process(call_t *call, ipc_event_t *ev)
{
	return passed_phone_install(call, ev, 4);
}

const ipc_method_ops_t ipc_m_connect_to_me_ops = {
    .request_preprocess = ctm_request_preprocess,
    .request_process = ctm_request_process,
    .answer_preprocess = passed_phone_revoke_unless_accepted,
    .cleanup = passed_object_cleanup,
    .forwardable = false,
    .sendable = true,
};
