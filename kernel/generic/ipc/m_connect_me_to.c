/*
 * IPC_M_CONNECT_ME_TO: the caller asks for a new phone to whoever finally
 * answers (a broker such as the naming service forwards the call).
 *   request:  args as the protocol wants (e.g. the service id)
 *   answer:   EOK with args[4] = the connection label the server chooses
 *             and args[3] = the rights the new phone is given without
 *             (CAP_RIGHT_*; 0: every right; others: EINVAL); the caller
 *             receives the new phone's handle in args[4]
 * The phone is made at send time (so an answer never fails for memory) and
 * connected in the answerer's context.
 */
#include <ipc/methods.h>
#include <log/ipclog.h>
#include <cpu.h>
#include <proc/task.h>
#include <proc/thread.h>

static errno_t cmt_request_preprocess(call_t *call)
{
	phone_t *phone = phone_create();
	if (phone == NULL)
		return ENOMEM;
	call->passed = &phone->kobj;
	return EOK;
}

static errno_t cmt_answer_preprocess(call_t *call)
{
	task_t *self = THREAD->task;
	errno_t answered = (errno_t) call->data.method;
	errno_t rc = answered;
	sysarg_t withheld = call->data.args[3];
	if (rc == EOK && (withheld & ~(sysarg_t) CAP_RIGHTS_PHONE) != 0)
		rc = EINVAL;
	if (rc == EOK) {
		phone_t *phone = (phone_t *) call->passed;
		phone->rights &= ~(cap_rights_t) withheld; /* before it connects */
		rc = phone_connect(phone, &self->box, call->data.args[4]);
	}
	IPCLOG(rc == EOK ? IPCLOG_CONNECT : IPCLOG_REFUSED, call, self->id,
	    call->caller_box ? call->caller_box->task->id : 0, 0, 0);
	return answered == EOK ? rc : EOK;
}

static void cmt_answer_process(call_t *call, ipc_event_t *ev)
{
	if ((errno_t) ev->imethod != EOK)
		return;
	cap_handle_t h;
	errno_t rc = cap_alloc_rights(
	    &THREAD->task->caps, call->passed, ((phone_t *) call->passed)->rights, 0, &h);
	if (rc != EOK) {
		ev->imethod = (sysarg_t) rc; /* the phone is hung up in cleanup */
		return;
	}
	call->passed = NULL; /* the reference now belongs to the capability */
	ev->args[4] = h;
}

const ipc_method_ops_t ipc_m_connect_me_to_ops = {
    .request_preprocess = cmt_request_preprocess,
    .answer_preprocess = cmt_answer_preprocess,
    .answer_process = cmt_answer_process,
    .cleanup = passed_object_cleanup,
    .forwardable = true,
    .sendable = true,
};
