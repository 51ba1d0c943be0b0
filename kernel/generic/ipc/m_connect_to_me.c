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
	kobject_get(call->passed); /* the capability's reference */
	errno_t rc = cap_alloc(&THREAD->task->caps, call->passed, &call->passed_cap);
	if (rc != EOK) {
		kobject_put(call->passed);
		return rc;
	}
	ev->args[4] = call->passed_cap;
	return EOK;
}

static void ctm_answer_preprocess(call_t *call)
{
	if ((errno_t) call->data.method == EOK)
		return;
	kobject_t *obj;
	if (cap_free(&THREAD->task->caps, call->passed_cap, KOBJECT_PHONE, &obj) == EOK)
		kobject_put(obj);
}

static void ctm_cleanup(call_t *call)
{
	if (call->passed != NULL)
		kobject_put(call->passed);
}

const ipc_method_ops_t ipc_m_connect_to_me_ops = {
    .request_preprocess = ctm_request_preprocess,
    .request_process = ctm_request_process,
    .answer_preprocess = ctm_answer_preprocess,
    .cleanup = ctm_cleanup,
    .forwardable = false,
};
