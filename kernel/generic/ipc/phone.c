/*
 * Phones: connecting, hanging up, slamming.
 * A connected phone is on its callee's box->phones list and holds a
 * reference on the callee task. Lock order: phone->lock -> box lock.
 */
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <log/ipclog.h>
#include <cpu.h>
#include <mm/kmalloc.h>
#include <proc/task.h>
#include <proc/thread.h>

void ipc_phone_init(void);

static slab_cache_t phone_cache;

void ipc_phone_init(void)
{
	kmem_cache_init(&phone_cache, "ipc_phone", sizeof(phone_t), 8);
}

/** Disconnects @a phone from its callee (phone locked); returns the old callee
 *  with the phone's task reference, or NULL if it was not connected. */
static answerbox_t *disconnect_locked(phone_t *phone, phone_state_t new_state)
{
	answerbox_t *box = phone->state == PHONE_CONNECTED ? phone->callee : NULL;
	if (box != NULL) {
		spinlock_lock(&box->wq.lock);
		list_remove(&phone->box_link);
		spinlock_unlock(&box->wq.lock);
	}
	phone->callee = NULL;
	phone->state = new_state;
	return box;
}

/** Phones still connected to @a box with @a label (clones of one connection). */
static sysarg_t phones_with_label(answerbox_t *box, sysarg_t label)
{
	sysarg_t n = 0;
	spinlock_lock(&box->wq.lock);
	list_foreach (box->phones, box_link, phone_t, p)
		n += p->label == label;
	spinlock_unlock(&box->wq.lock);
	return n;
}

/** PHONE_HUNGUP: the label names the connection, args[0] says how many of its
 *  phones (clones) are still connected; 0 means the connection has ended.
 *  A task that ended tells how in args[1..3] (abi/ipc.h). */
static void send_hangup(answerbox_t *box, task_t *sender, sysarg_t label)
{
	call_t *call = call_create_discarded(IPC_M_PHONE_HUNGUP, sender);
	if (call == NULL)
		return; /* out of memory: the server learns of it when we die */
	call->request_label = label;
	call->data.args[0] = phones_with_label(box, label);
	spinlock_lock(&sender->lock);
	if (sender->dying && sender->exit_set) {
		call->data.args[1] = (sysarg_t) sender->exit.how;
		call->data.args[2] = (sysarg_t) (uint32_t) sender->exit.status;
		call->data.args[3] = sender->exit.fault_addr;
	}
	spinlock_unlock(&sender->lock);
	if (!call_enqueue_request(box, call))
		kobject_put(&call->kobj);
}

void phone_hangup(phone_t *phone, task_t *sender)
{
	spinlock_lock(&phone->lock);
	sysarg_t label = phone->label;
	answerbox_t *box = disconnect_locked(phone, PHONE_HUNGUP);
	spinlock_unlock(&phone->lock);
	if (box != NULL)
		IPCLOG(IPCLOG_HANGUP, NULL, sender->id, box->task->id, 0, 0);
	if (box != NULL) {
		send_hangup(box, sender, label);
		task_put(box->task);
	}
}

static void phone_destroy(kobject_t *obj)
{
	phone_t *phone = (phone_t *) obj;
	phone_hangup(phone, &kernel_task);
	phone_origin_put(phone->origin);
	kmem_free(&phone_cache, phone);
}

phone_t *phone_create(void)
{
	phone_t *phone = kmem_alloc(&phone_cache);
	if (phone == NULL)
		return NULL;
	kobject_init(&phone->kobj, KOBJECT_PHONE, phone_destroy);
	spinlock_init(&phone->lock, "phone", LOCK_CLASS_PHONE);
	phone->state = PHONE_CONNECTING;
	phone->callee = NULL;
	link_initialize(&phone->box_link);
	phone->active_calls = 0;
	phone->label = 0;
	phone->rights = CAP_RIGHTS_ALL;
	phone->origin = NULL;
	phone->revoked = false;
	return phone;
}

errno_t phone_connect(phone_t *phone, answerbox_t *box, sysarg_t label)
{
	spinlock_lock(&phone->lock);
	errno_t rc = phone->state == PHONE_CONNECTING ? EOK : EINVAL;
	if (rc == EOK) {
		spinlock_lock(&box->wq.lock);
		/* A copy of a revoked derivation never connects: revocation marks
		 * the origin under this lock before it hangs up the copies. */
		if (box->active && !phone_origin_revoked(phone->origin)) {
			list_append(&phone->box_link, &box->phones);
			task_get(box->task);
			phone->callee = box;
			phone->label = label;
			phone->state = PHONE_CONNECTED;
		} else {
			phone->state = PHONE_SLAMMED;
			rc = EHANGUP;
		}
		spinlock_unlock(&box->wq.lock);
	}
	spinlock_unlock(&phone->lock);
	return rc;
}

/** Slams @a phone, of which we hold a reference, if it is still connected
 *  to @a box (nobody hung it up meanwhile): off the box's list, its task
 *  reference dropped. */
static void phone_slam(phone_t *phone, answerbox_t *box)
{
	spinlock_lock(&phone->lock);
	bool ours = phone->state == PHONE_CONNECTED && phone->callee == box;
	if (ours)
		ours = disconnect_locked(phone, PHONE_SLAMMED) == box;
	spinlock_unlock(&phone->lock);
	if (ours)
		task_put(box->task);
}

/*
 * A phone on the list may lose its last reference on another CPU while we
 * slam it (its owner hangs up and lets the handle go, or dies): it is taken
 * with a reference under the box lock, so it stays until we are done. One
 * whose last reference is gone already is its destroyer's, which
 * disconnects it and drops its task reference (it waits for the box lock to
 * take it off the list): we only take it off, as the destroyer would.
 * A phone is on box->phones exactly while it is CONNECTED to the box, so
 * every turn takes one off.
 */
void phone_slam_all(answerbox_t *box)
{
	for (;;) {
		spinlock_lock(&box->wq.lock);
		link_t *l = list_first(&box->phones);
		phone_t *phone = l != NULL ? list_get_instance(l, phone_t, box_link)
					   : NULL;
		bool held = phone != NULL && kobject_get_unless_zero(&phone->kobj);
		if (phone != NULL && !held)
			list_remove(l);
		spinlock_unlock(&box->wq.lock);
		if (phone == NULL)
			return;
		if (held) {
			phone_slam(phone, box);
			kobject_put(&phone->kobj);
		}
	}
}

errno_t ipc_phone_connect_new(
    task_t *owner, answerbox_t *box, sysarg_t label, cap_handle_t *handle)
{
	phone_t *phone = phone_create();
	if (phone == NULL)
		return ENOMEM;
	errno_t rc = phone_connect(phone, box, label);
	if (rc == EOK)
		rc = cap_alloc(&owner->caps, &phone->kobj, handle);
	if (rc != EOK)
		kobject_put(&phone->kobj);
	return rc;
}

/** Hanging up and keeping the handle needs CAP_RIGHT_HANGUP; giving the
 *  handle up (IPC_HANGUP_RELEASE) is always allowed: the phone is the
 *  handle's alone (a copy is a phone of its own). */
errno_t ipc_hangup(cap_handle_t phone_h, unsigned flags)
{
	task_t *self = THREAD->task;
	if ((flags & ~IPC_HANGUP_RELEASE) != 0)
		return EINVAL;
	cap_rights_t need = (flags & IPC_HANGUP_RELEASE) ? 0 : CAP_RIGHT_HANGUP;
	kobject_t *obj;
	errno_t rc = cap_lookup(&self->caps, phone_h, KOBJECT_PHONE, need, &obj);
	if (rc != EOK)
		return rc;
	phone_hangup((phone_t *) obj, self);
	kobject_put(obj);
	if (flags & IPC_HANGUP_RELEASE) {
		if (cap_free(&self->caps, phone_h, KOBJECT_PHONE, 0, &obj) == EOK)
			kobject_put(obj);
	}
	return EOK;
}

static task_t *naming_service; /* referenced; set once at boot */

void ipc_set_naming_service(task_t *task)
{
	if (naming_service != NULL)
		return;
	task_get(task);
	naming_service = task;
}

errno_t ipc_connect_to_naming_service(task_t *task)
{
	cap_handle_t h;
	if (naming_service == NULL || naming_service == task)
		return EOK;
	return ipc_phone_connect_new(task, &naming_service->box, 0, &h);
}
