/*
 * IPC clean-up when a task dies (its last thread is gone), in this order:
 *  1. its answerbox stops taking calls and answers (senders get EHANGUP);
 *  2. its phones are hung up (servers get PHONE_HUNGUP); a phone it derived
 *     is revoked, so every copy it passed on is hung up too and their calls
 *     still queued are answered EHANGUP (ipc/derive.c);
 *  3. phones connected to it are slammed (their owners get EHANGUP on send);
 *  4. requests queued for it are answered EHANGUP;
 *  5. so are those it received and did not answer, which its capability
 *     table alone names (on either path: ipc.c, ipc/fastpath.c);
 *  6. answers to its own calls are dropped (later answers are dropped on arrival);
 *  7. its notifications are unqueued (their sources release them with the caps);
 *  8. every capability is freed.
 * No thread of the task is left, so nothing else answers, forwards or takes
 * its calls meanwhile; step 5 leaves the calls' capabilities to step 8.
 */
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <proc/task.h>

static void hang_up_phones(task_t *task)
{
	cap_table_t *t = &task->caps;
	for (uint32_t i = 0; i < t->size; i++) {
		spinlock_lock(&t->lock);
		kobject_t *obj = t->slots[i].obj;
		bool phone = obj != NULL && obj->type == KOBJECT_PHONE;
		bool derived = phone && (t->slots[i].flags & CAP_SLOT_DERIVED);
		if (phone)
			kobject_get(obj);
		spinlock_unlock(&t->lock);
		if (derived) {
			phone_revoke_copies((phone_t *) obj, task); /* takes the ref */
		} else if (phone) {
			phone_hangup((phone_t *) obj, task);
			kobject_put(obj);
		}
	}
}

/** Pops the first call of @a list (box lock taken here); NULL when empty. */
static call_t *pop(answerbox_t *box, list_t *list)
{
	spinlock_lock(&box->wq.lock);
	link_t *l = list_first(list);
	if (l != NULL)
		box_dequeue(box, l);
	spinlock_unlock(&box->wq.lock);
	return l != NULL ? list_get_instance(l, call_t, link) : NULL;
}

static void answer_all(answerbox_t *box, list_t *list)
{
	call_t *call;
	while ((call = pop(box, list)) != NULL)
		call_answer_error(call, EHANGUP);
}

/** The first call in @a t's slots from @a *i on, with a reference; @a *i
 *  moves past it. NULL when there is none. A call in the table is one
 *  received and not answered (an answer or a forward takes it out first). */
static call_t *next_received(cap_table_t *t, uint32_t *i)
{
	call_t *found = NULL;
	spinlock_lock(&t->lock);
	for (; *i < t->size && found == NULL; (*i)++) {
		kobject_t *obj = t->slots[*i].obj;
		if (obj != NULL && obj->type == KOBJECT_CALL) {
			found = (call_t *) obj;
			kobject_get(obj);
		}
	}
	spinlock_unlock(&t->lock);
	return found;
}

/** Step 5: every call @a task received and did not answer is answered as
 *  step 4 answers the queued ones. */
static void answer_received(task_t *task)
{
	uint32_t i = 0;
	call_t *call;
	while ((call = next_received(&task->caps, &i)) != NULL) {
		call_answer_error(call, EHANGUP); /* its flight reference goes */
		kobject_put(&call->kobj);	  /* ours */
	}
}

void ipc_task_cleanup(task_t *task)
{
	answerbox_t *box = &task->box;
	spinlock_lock(&box->wq.lock);
	box->active = false;
	box->pending |= BOX_PENDING_CLOSED; /* box_quiet: false from now on */
	spinlock_unlock(&box->wq.lock);

	hang_up_phones(task);
	phone_slam_all(box);
	answer_all(box, &box->calls);
	answer_received(task); /* their capabilities go in step 8 */
	call_t *call;
	while ((call = pop(box, &box->answers)) != NULL)
		kobject_put(&call->kobj);
	while ((call = pop(box, &box->notifications)) != NULL)
		((ipc_notif_t *) call)->queued = false;
	cap_table_clear(&task->caps);
}
