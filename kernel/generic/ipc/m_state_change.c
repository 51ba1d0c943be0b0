/*
 * IPC_M_STATE_CHANGE_AUTHORIZE: the caller lets a server change the state of
 * another of the caller's connections to the same server (e.g. VFS handing an
 * open file to the connection of a child the caller started). The caller
 * proves it holds that connection by passing its phone:
 *   request:  args[0] = the caller's other phone to the same server,
 *             args[1..4] as the protocol wants
 *   received: args[0] = the label of that other connection (as the server
 *             sees it on calls through it)
 * Anything but a connected phone to the same server is refused (EPERM).
 */
#include <ipc/methods.h>
#include <cpu.h>
#include <proc/task.h>
#include <proc/thread.h>

static errno_t sca_request_preprocess(call_t *call)
{
	phone_t *other = (phone_t *) cap_get(
	    &THREAD->task->caps, call->data.args[0], KOBJECT_PHONE);
	if (other == NULL)
		return ENOENT;
	phone_t *via = call->phone;
	spinlock_lock(&other->lock);
	bool connected = other->state == PHONE_CONNECTED;
	answerbox_t *box = other->callee;
	sysarg_t label = other->label;
	spinlock_unlock(&other->lock);
	kobject_put(&other->kobj);
	if (!connected)
		return EHANGUP;
	spinlock_lock(&via->lock);
	bool same = via->callee == box;
	spinlock_unlock(&via->lock);
	if (!same)
		return EPERM;
	call->data.args[0] = label;
	return EOK;
}

const ipc_method_ops_t ipc_m_state_change_authorize_ops = {
    .request_preprocess = sca_request_preprocess,
    .forwardable = false,
    .sendable = true,
};
