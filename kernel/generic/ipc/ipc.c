/*
 * The IPC core: calls, sending, waiting, answering, forwarding.
 * Decode-then-invoke: every entry point validates handles and arguments
 * before it changes any state.
 * Lock order: phone->lock -> box lock (box->wq.lock) -> cap table lock.
 */
#include <ipc/ipc.h>
#include "ipc_priv.h"
#include <ipc/fastforward.h>
#include <ipc/fastpath.h>
#include <ipc/methods.h>
#include <log/ipclog.h>
#include <proc/scheduler.h>
#include <cmdline.h>
#include <arch/asm.h>
#include <cpu.h>
#include <mm/kmalloc.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>

void ipc_phone_init(void);

static slab_cache_t call_cache;

void ipc_init(void)
{
	kmem_cache_init(&call_cache, "ipc_call", sizeof(call_t), 8);
	ipc_phone_init();
}

void answerbox_init(answerbox_t *box, task_t *task)
{
	waitq_init_class(&box->wq, "box", LOCK_CLASS_IPC_BOX);
	box->task = task;
	box->active = true;
	list_initialize(&box->calls);
	list_initialize(&box->answers);
	list_initialize(&box->notifications);
	list_initialize(&box->phones);
	box->pokes = 0;
	box->pending = 0;
	box->taken = 0;
}

static task_t *current_task(void)
{
	return THREAD->task;
}

/* Each thread keeps one call for its next send, so that a round trip
 * (whose call is freed by the caller's thread) never touches the slab. */

/** Frees @a call into @a t's cache if that is empty, else to the slab. A
 *  cached call's system-method state is zero (call_init relies on it); a
 *  call of a user method never had any written. */
static void call_free(call_t *call, thread_t *t)
{
	if (t != NULL && t->cached_call == NULL && !t->kill_pending) {
		if (call->ops != &ipc_user_method_ops)
			call_clear_system_state(call);
		call_cache_put(t, call);
	} else {
		kmem_free(&call_cache, call);
	}
}

uint64_t ipc_cached_call_count(void)
{
	int64_t sum = 0;
	for (unsigned i = 0; i < CPU_MAX; i++)
		sum += __atomic_load_n(&cpus[i].calls_cached, __ATOMIC_RELAXED);
	return (uint64_t) sum;
}

void ipc_thread_cleanup(thread_t *t)
{
	if (t->cached_call != NULL) {
		kmem_free(&call_cache, t->cached_call);
		calls_cached_add(-1);
	}
	t->cached_call = NULL;
}

uint64_t ipc_call_id(call_t *call)
{
	if (call->flags & CALL_NOTIF)
		return 0;
	/* Events of one call are logged one after another (each hands the call
	 * on under a lock); the exchange only guards against a misuse. */
	uint64_t id = __atomic_load_n(&call->id, __ATOMIC_RELAXED);
	if (id == 0) {
		uint64_t fresh = call_id_next();
		id = __atomic_compare_exchange_n(
			 &call->id, &id, fresh, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)
		    ? fresh
		    : id;
	}
	return id;
}

void call_destroy_into(call_t *call, thread_t *t)
{
	if (call->ops->cleanup != NULL)
		call->ops->cleanup(call);
	if (call->sender != NULL)
		task_put(call->sender);
	if (call->caller_box != NULL)
		task_put(call->caller_box->task);
	if (call->phone != NULL)
		kobject_put(&call->phone->kobj);
	call_free(call, t);
}

void call_destroy(kobject_t *obj)
{
	call_destroy_into((call_t *) obj, THREAD);
}

static call_t *call_alloc(const ipc_data_t *data, task_t *sender)
{
	call_t *call = call_take_cached(THREAD);
	if (call == NULL) {
		call = kmem_alloc(&call_cache);
		if (call != NULL)
			call_clear_system_state(call);
	}
	if (call != NULL)
		call_init(call, data, sender);
	return call;
}

call_t *call_create_discarded(sysarg_t method, task_t *sender)
{
	ipc_data_t data = {.method = method};
	call_t *call = call_alloc(&data, sender);
	if (call != NULL)
		call->flags |= CALL_DISCARD;
	return call;
}

bool call_enqueue_request(answerbox_t *box, call_t *call)
{
	spinlock_lock(&box->wq.lock);
	bool active = box->active;
	if (active) {
		box_enqueue(box, &box->calls, &call->link);
		box->task->ipc_stats.calls_received++;
		waitq_wakeup_locked(&box->wq, false);
	}
	spinlock_unlock(&box->wq.lock);
	return active;
}

/** Hands a synchronous call's answer to its waiting thread; false if that
 *  thread gave up waiting or the call has none (the answer then goes to the
 *  box as usual). The claim keeps the waiter, and its thread, until the
 *  answer is set. */
static bool deliver_to_waiter(call_t *call)
{
	if (!call_claim_waiter(call))
		return false;
	waitq_t *wq = &call->waiter->ipc_wq;
	spinlock_lock(&wq->lock);
	call->flags |= CALL_ANSWERED; /* read by the waiter under this lock */
	waitq_wakeup_locked(wq, false);
	spinlock_unlock(&wq->lock);
	kobject_put(&call->kobj); /* the waiter holds its own reference */
	return true;
}

void call_deliver_answer(call_t *call)
{
	if (call->phone != NULL)
		phone_uncharge(call->phone);
	if (call->flags & CALL_CHARGED) {
		call->flags &= ~CALL_CHARGED;
		quota_calls_uncharge(call->caller_box->task);
	}
	if (deliver_to_waiter(call))
		return;
	call->flags |= CALL_ANSWERED;
	answerbox_t *box = call->caller_box;
	bool queued = false;
	if (box != NULL && !(call->flags & CALL_DISCARD)) {
		spinlock_lock(&box->wq.lock);
		if (box->active) {
			box_enqueue(box, &box->answers, &call->link);
			waitq_wakeup_locked(&box->wq, false);
			queued = true;
		}
		spinlock_unlock(&box->wq.lock);
	}
	if (!queued)
		kobject_put(&call->kobj);
}

void call_answer_error(call_t *call, errno_t rc)
{
	if ((call->flags & CALL_FORWARDED) && rc == EHANGUP)
		rc = EFORWARD;
	memset(&call->data, 0, sizeof(call->data));
	call->data.method = (sysarg_t) rc;
	IPCLOG(IPCLOG_ANSWER, call, 0, call->caller_box ? call->caller_box->task->id : 0,
	    0,
	    IPCLOG_F_KERNEL | ((call->flags & CALL_FORWARDED) ? IPCLOG_F_FORWARDED : 0));
	call_deliver_answer(call);
}

/** Charges a call to @a phone; EHANGUP unless connected, ELIMIT when full. */
static errno_t phone_reserve_slot(phone_t *phone, answerbox_t **callee)
{
	spinlock_lock(&phone->lock);
	errno_t rc = EOK;
	if (phone->state != PHONE_CONNECTED)
		rc = EHANGUP;
	else if (phone_active_calls(phone) >= IPC_MAX_ASYNC_CALLS)
		rc = ELIMIT;
	if (rc == EOK) {
		phone_charge_locked(phone);
		*callee = phone->callee;
		task_get((*callee)->task);
	}
	spinlock_unlock(&phone->lock);
	return rc;
}

/**
 * Sends @a data through @a phone_h. With @a waiter, the call is synchronous:
 * its answer goes to that thread, and *@a sync_call gets an extra reference
 * to the call for it.
 */
static errno_t call_send(cap_handle_t phone_h, const ipc_data_t *data, sysarg_t label,
    thread_t *waiter, call_t **sync_call)
{
	task_t *self = current_task();
	if (!ipc_method_ops(data->method)->sendable)
		return EINVAL; /* PHONE_HUNGUP and unknown system methods are the kernel's */
	kobject_t *obj;
	errno_t rc = cap_lookup(
	    &self->caps, phone_h, KOBJECT_PHONE, CAP_RIGHT_CALL, &obj);
	if (rc != EOK)
		return rc;
	phone_t *phone = (phone_t *) obj;
	answerbox_t *callee;
	rc = phone_reserve_slot(phone, &callee);
	if (rc != EOK) {
		kobject_put(&phone->kobj);
		return rc;
	}
	call_t *call = call_alloc(data, self);
	if (call == NULL) {
		rc = ENOMEM;
	} else {
		task_get(self);
		call->caller_box = &self->box;
		if (quota_calls_charge(self))
			call->flags |= CALL_CHARGED;
		else
			rc = ELIMIT;
		call->answer_label = label;
		call->request_label = phone->label;
		call->phone = phone; /* the cap_get reference moves to the call */
		if (rc == EOK && call->ops->request_preprocess != NULL)
			rc = call->ops->request_preprocess(call);
	}
	if (rc != EOK) {
		phone_uncharge(phone);
		if (call != NULL) {
			if (call->flags & CALL_CHARGED)
				quota_calls_uncharge(self);
			call->phone = NULL;
			kobject_put(&call->kobj);
		}
		kobject_put(&phone->kobj);
		task_put(callee->task);
		return rc;
	}
	if (waiter != NULL) {
		call->sync = CALL_SYNC_WAITING;
		call->waiter = waiter;
		kobject_get(&call->kobj);
		*sync_call = call;
	}
	self->ipc_stats.calls_sent++;
	IPCLOG(IPCLOG_CALL, call, self->id, callee->task->id, phone_h, 0);
	if (!call_enqueue_request(callee, call))
		call_answer_error(call, EHANGUP); /* the callee is dying */
	task_put(callee->task);
	return EOK;
}

errno_t ipc_call(cap_handle_t phone_h, const ipc_data_t *data, sysarg_t label)
{
	return call_send(phone_h, data, label, NULL, NULL);
}

/** Fills @a ev from an answer and releases the call. Caller's context. */
static void receive_answer(call_t *call, ipc_event_t *ev)
{
	ipc_event_fill(ev, IPC_EVENT_ANSWER, call, call->answer_label, CAP_NULL, 0);
	if (call->ops->answer_process != NULL)
		call->ops->answer_process(call, ev);
	current_task()->ipc_stats.answers_received++;
	kobject_put(&call->kobj);
}

/** Hands request number @a seq to the receiver: a call capability and the
 *  event. On failure nothing is left in the capability table. */
static errno_t receive_request(task_t *self, call_t *call, uint32_t seq, ipc_event_t *ev)
{
	cap_handle_t h;
	kobject_get(&call->kobj); /* the capability's reference */
	errno_t rc = cap_alloc(&self->caps, &call->kobj, &h);
	if (rc != EOK) {
		kobject_put(&call->kobj);
		return rc;
	}
	ipc_event_fill(
	    ev, IPC_EVENT_REQUEST, call, call->request_label, h, call->sender->id);
	ev->seq = seq;
	if (call->ops->request_process != NULL)
		rc = call->ops->request_process(call, ev);
	if (rc == EOK)
		IPCLOG(IPCLOG_RECEIVE, call, call->sender->id, self->id, 0, 0);
	if (rc != EOK) {
		kobject_t *obj;
		if (cap_free(&self->caps, h, KOBJECT_CALL, 0, &obj) == EOK)
			kobject_put(obj);
	}
	return rc;
}

/** Fills @a ev from a queued notification. Box lock held (posts coalesce under it). */
static void take_notif(call_t *call, ipc_event_t *ev)
{
	ipc_notif_t *notif = (ipc_notif_t *) call;
	ipc_event_fill(ev, IPC_EVENT_NOTIF, call, notif->count, CAP_NULL, 0);
	notif->queued = false;
	notif->count = 0;
}

/**
 * Takes the next item off @a box (lock held): notifications first, then
 * answers, then requests. Returns the call (NULL if none) and its kind; a
 * notification is consumed into @a ev at once.
 */
static call_t *box_take(answerbox_t *box, sysarg_t *kind, ipc_event_t *ev)
{
	link_t *l = list_first(&box->notifications);
	if (l != NULL) {
		box_dequeue(box, l);
		call_t *call = list_get_instance(l, call_t, link);
		take_notif(call, ev);
		*kind = IPC_EVENT_NOTIF;
		return call;
	}
	*kind = IPC_EVENT_ANSWER;
	l = list_first(&box->answers);
	if (l == NULL) {
		*kind = IPC_EVENT_REQUEST;
		l = list_first(&box->calls);
	}
	if (l == NULL)
		return NULL;
	box_dequeue(box, l);
	return list_get_instance(l, call_t, link);
}

/** Request number @a seq, taken by this wait but refused (its caller was
 *  answered with the error), as the event that still hands its number to
 *  user space: the numbers of the box's requests have no gap. */
static void refused_event(uint32_t seq, ipc_event_t *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = IPC_EVENT_REFUSED;
	ev->seq = seq;
}

/** Sleeps on @a box (locked; released) for an event, up to @a deadline_ns:
 *  EOK with @a ev filled when the fast path delivered one into it, EAGAIN
 *  when woken to look again, else why the sleep ended. */
static errno_t box_sleep(answerbox_t *box, uint64_t deadline_ns, ipc_event_t *ev)
{
	thread_t *t = THREAD;
	t->ipc_ev = ev;
	t->ipc_ev_ready = false;
	errno_t rc = waitq_sleep_until_locked(&box->wq, deadline_ns, WAITQ_INTERRUPTIBLE);
	t->ipc_ev = NULL;
	if (t->ipc_ev_ready)
		return EOK; /* delivered by the fast path */
	return rc == EOK ? EAGAIN : rc;
}

errno_t ipc_wait_until(uint64_t deadline_ns, unsigned flags, ipc_event_t *ev)
{
	task_t *self = current_task();
	answerbox_t *box = &self->box;
	errno_t last = flags & IPC_WAIT_NONBLOCKING ? EAGAIN : EOK;
	for (;;) {
		spinlock_lock(&box->wq.lock);
		sysarg_t kind = 0;
		/* An empty box (the usual first look) in one word. */
		call_t *call = box->pending != 0 ? box_take(box, &kind, ev) : NULL;
		uint32_t seq = call != NULL && kind == IPC_EVENT_REQUEST
		    ? box_number_request(box)
		    : 0;
		if (call == NULL && box->pokes > 0) {
			box->pokes--;
			box->pending--;
			spinlock_unlock(&box->wq.lock);
			memset(ev, 0, sizeof(*ev));
			ev->kind = IPC_EVENT_POKE;
			return EOK;
		}
		if (call == NULL) {
			/* After a timeout the box had one more look: nothing. */
			if (last != EOK) {
				spinlock_unlock(&box->wq.lock);
				return last;
			}
			errno_t rc = box_sleep(box, deadline_ns, ev);
			if (rc == ETIMEOUT)
				last = ETIMEOUT; /* one more look, then ETIMEOUT */
			else if (rc != EAGAIN)
				return rc; /* EOK: delivered; EINTR: killed */
			continue;
		}
		spinlock_unlock(&box->wq.lock);
		if (kind == IPC_EVENT_NOTIF) {
			self->ipc_stats.notifications++;
			return EOK;
		}
		if (kind == IPC_EVENT_ANSWER) {
			receive_answer(call, ev);
			return EOK;
		}
		errno_t rc = receive_request(self, call, seq, ev);
		if (rc != EOK) {
			call_answer_error(call, rc); /* no capability slot for it */
			refused_event(seq, ev);
		}
		return EOK;
	}
}

/** Takes received call @a call_h of the current task, holding the rights
 *  @a need, out of its capability table (the only thing that names a
 *  received call); ENOENT or EPERM (the call stays). */
static errno_t take_dispatched(
    task_t *self, cap_handle_t call_h, cap_rights_t need, call_t **taken)
{
	kobject_t *obj;
	errno_t rc = cap_free(&self->caps, call_h, KOBJECT_CALL, need, &obj);
	if (rc != EOK)
		return rc;
	*taken = (call_t *) obj;
	/* The capability's reference stays with the call in flight. */
	return EOK;
}

/** Whether @a call was sent through a phone revoked since (ipc/derive.c). */
static bool call_phone_revoked(const call_t *call)
{
	return call->phone != NULL &&
	    __atomic_load_n(&call->phone->revoked, __ATOMIC_ACQUIRE);
}

/** Answers @a call with EHANGUP as such (not turned into EFORWARD). */
static void call_answer_hangup(call_t *call)
{
	memset(&call->data, 0, sizeof(call->data));
	call->data.method = (sysarg_t) EHANGUP;
	call_deliver_answer(call);
}

errno_t ipc_answer(cap_handle_t call_h, ipc_data_t *answer)
{
	task_t *self = current_task();
	call_t *call;
	errno_t rc = take_dispatched(self, call_h, CAP_RIGHT_ANSWER, &call);
	if (rc != EOK)
		return rc;
	if (call_phone_revoked(call)) {
		call_answer_hangup(call); /* the answer is dropped */
	} else if ((call->flags & CALL_FORWARDED) &&
	    answer->method == (sysarg_t) EHANGUP) {
		call_answer_error(call, EHANGUP);
	} else {
		call->data = *answer;
		if (call->ops->answer_preprocess != NULL)
			rc = call->ops->answer_preprocess(call);
		if (rc == EOK) {
			*answer = call->data;
			IPCLOG(IPCLOG_ANSWER, call, self->id,
			    call->caller_box ? call->caller_box->task->id : 0, 0,
			    (call->flags & CALL_FORWARDED) ? IPCLOG_F_FORWARDED : 0);
			call_deliver_answer(call);
		} else {
			call_answer_error(call, rc);
		}
	}
	self->ipc_stats.answers_sent++;
	/* The reference that travelled with the request ends here. */
	kobject_put(&call->kobj);
	return rc;
}

void ipc_notif_init(ipc_notif_t *notif, answerbox_t *box, sysarg_t method)
{
	memset(notif, 0, sizeof(*notif));
	notif->call.flags = CALL_NOTIF;
	notif->call.data.method = method;
	notif->call.ops = ipc_method_ops(method);
	link_initialize(&notif->call.link);
	notif->box = box;
}

void ipc_notif_post(ipc_notif_t *notif, const sysarg_t args[IPC_CALL_ARGS])
{
	answerbox_t *box = notif->box;
	if (box == NULL)
		return;
	spinlock_lock(&box->wq.lock);
	if (box->active) {
		memcpy(notif->call.data.args, args, sizeof(notif->call.data.args));
		notif->count++;
		IPCLOG(IPCLOG_NOTIF, &notif->call, 0, box->task->id, 0, 0);
		if (!notif->queued) {
			notif->queued = true;
			box_enqueue(box, &box->notifications, &notif->call.link);
			waitq_wakeup_locked(&box->wq, false);
		}
	}
	spinlock_unlock(&box->wq.lock);
}

void ipc_notif_detach(ipc_notif_t *notif)
{
	answerbox_t *box = notif->box;
	if (box == NULL)
		return;
	spinlock_lock(&box->wq.lock);
	if (notif->queued)
		box_dequeue(box, &notif->call.link);
	notif->queued = false;
	notif->box = NULL;
	spinlock_unlock(&box->wq.lock);
}

/** The box @a phone is connected to, its task referenced (the caller drops
 *  it), or NULL; @a call, to be queued there, takes the phone's label. */
static answerbox_t *phone_callee_labelled(phone_t *phone, call_t *call)
{
	spinlock_lock(&phone->lock);
	answerbox_t *callee = phone->state == PHONE_CONNECTED ? phone->callee : NULL;
	if (callee != NULL)
		task_get(callee->task);
	call->request_label = phone->label;
	spinlock_unlock(&phone->lock);
	return callee;
}

errno_t ipc_forward(
    cap_handle_t call_h, cap_handle_t phone_h, const ipc_data_t *rewrite, unsigned mode)
{
	task_t *self = current_task();
	if ((mode & ~(IPC_FF_ROUTE_FROM_ME | IPC_FF_REWRITE)) != 0)
		return EINVAL;
	if ((mode & IPC_FF_REWRITE) &&
	    (rewrite == NULL || rewrite->method <= IPC_M_LAST_SYSTEM))
		return EINVAL;
	kobject_t *cobj;
	errno_t rc = cap_lookup(&self->caps, call_h, KOBJECT_CALL, CAP_RIGHT_PASS, &cobj);
	if (rc != EOK)
		return rc;
	call_t *peek = (call_t *) cobj;
	bool allowed = peek->ops->forwardable &&
	    (!(mode & IPC_FF_REWRITE) || peek->data.method > IPC_M_LAST_SYSTEM);
	kobject_put(cobj);
	if (!allowed)
		return EPERM;
	kobject_t *pobj;
	rc = cap_lookup(&self->caps, phone_h, KOBJECT_PHONE, CAP_RIGHT_FORWARD, &pobj);
	if (rc != EOK)
		return rc;
	phone_t *phone = (phone_t *) pobj;

	call_t *call;
	rc = take_dispatched(self, call_h, CAP_RIGHT_PASS, &call);
	if (rc != EOK) {
		kobject_put(&phone->kobj);
		return rc;
	}
	kobject_put(&call->kobj); /* the capability's reference; the flight one remains */
	return ipc_forward_taken(self, call, phone, phone_h, rewrite, mode);
}

errno_t ipc_forward_taken(task_t *self, call_t *call, phone_t *phone,
    cap_handle_t phone_h, const ipc_data_t *rewrite, unsigned mode)
{
	call->flags |= CALL_FORWARDED;
	if (mode & IPC_FF_REWRITE)
		call->data = *rewrite;
	if (mode & IPC_FF_REWRITE)
		call->request_method = rewrite->method;
	if (mode & IPC_FF_ROUTE_FROM_ME) {
		task_get(self);
		task_put(call->sender);
		call->sender = self;
		call->flags &= ~CALL_OWN;
	}
	self->ipc_stats.forwards++;
	if (ipc_fast_forward_deliver(phone, call)) {
		kobject_put(&phone->kobj);
		return EOK;
	}

	answerbox_t *callee = phone_callee_labelled(phone, call);
	kobject_put(&phone->kobj);
	IPCLOG(IPCLOG_FORWARD, call, self->id, callee ? callee->task->id : 0, phone_h, 0);
	errno_t rc = EOK;
	if (callee == NULL || !call_enqueue_request(callee, call)) {
		call_answer_error(call, EFORWARD);
		rc = EHANGUP;
	}
	if (callee != NULL)
		task_put(callee->task);
	return rc;
}

void ipc_poke(void)
{
	answerbox_t *box = &current_task()->box;
	spinlock_lock(&box->wq.lock);
	box->pokes++;
	box->pending++;
	waitq_wakeup_locked(&box->wq, false);
	spinlock_unlock(&box->wq.lock);
}

errno_t ipc_call_wait(cap_handle_t phone_h, const ipc_data_t *data, sysarg_t label,
    uint64_t timeout_ns, unsigned flags, ipc_event_t *ev)
{
	errno_t rc;
	if ((flags & ~(unsigned) IPC_CALL_WAIT_ANY) == 0 &&
	    ipc_fast_call_wait_kernel(phone_h, data, label, timeout_ns, flags, ev, &rc))
		return rc;
	return ipc_call_wait_general(phone_h, data, label, timeout_ns, flags, ev);
}

/** Sleeps until synchronous @a call (waited for by @a self) is answered, or
 *  until @a deadline or a kill: then the answer will go to the caller's box
 *  (or be dropped), the waiter's reference is gone and the reason returned. */
static errno_t call_wait_answer(thread_t *self, call_t *call, uint64_t deadline)
{
	waitq_t *wq = &self->ipc_wq;
	unsigned how = WAITQ_INTERRUPTIBLE;
	spinlock_lock(&wq->lock);
	while (!(call->flags & CALL_ANSWERED)) {
		errno_t rc = waitq_sleep_until_locked(wq, deadline, how);
		spinlock_lock(&wq->lock);
		if (rc == EOK || (call->flags & CALL_ANSWERED))
			continue;
		if (call_release_waiter(call)) {
			/* Given up: the answer will go to the answerbox. */
			spinlock_unlock(&wq->lock);
			kobject_put(&call->kobj);
			return rc;
		}
		/* An answerer holds a claim: its answer comes at once. */
		deadline = WAITQ_FOREVER;
		how = 0;
	}
	spinlock_unlock(&wq->lock);
	return EOK;
}

errno_t ipc_call_wait_general(cap_handle_t phone_h, const ipc_data_t *data,
    sysarg_t label, uint64_t timeout_ns, unsigned flags, ipc_event_t *ev)
{
	thread_t *self = THREAD;
	call_t *call;
	errno_t rc;
	if ((flags & ~(unsigned) IPC_CALL_WAIT_ANY) != 0)
		return EINVAL;
	if (flags & IPC_CALL_WAIT_ANY) {
		rc = ipc_call(phone_h, data, label);
		return rc != EOK ? rc : ipc_wait(timeout_ns, 0, ev);
	}
	rc = call_send(phone_h, data, label, self, &call);
	if (rc != EOK)
		return rc;
	rc = call_wait_answer(self, call, waitq_deadline(timeout_ns));
	if (rc != EOK)
		return rc;
	receive_answer(call, ev); /* drops the waiter's reference */
	return EOK;
}

errno_t ipc_call_kernel_wait(phone_t *phone, call_t *call, ipc_data_t *answer)
{
	thread_t *self = THREAD;
	answerbox_t *callee;
	errno_t rc = phone_reserve_slot(phone, &callee);
	if (rc != EOK) {
		kobject_put(&call->kobj);
		return rc;
	}
	kobject_get(&phone->kobj);
	call->phone = phone;
	call->request_label = phone->label;
	call->sync = CALL_SYNC_WAITING;
	call->waiter = self;
	kobject_get(&call->kobj); /* the waiter's */
	IPCLOG(IPCLOG_CALL, call, call->sender->id, callee->task->id, 0, IPCLOG_F_KERNEL);
	if (!call_enqueue_request(callee, call))
		call_answer_error(call, EHANGUP); /* the handler is dying */
	task_put(callee->task);
	rc = call_wait_answer(self, call, WAITQ_FOREVER);
	if (rc != EOK)
		return rc;
	*answer = call->data;
	kobject_put(&call->kobj); /* the waiter's */
	return EOK;
}

bool ipc_call_kernel_post(phone_t *phone, call_t *call)
{
	answerbox_t *callee = phone_callee_labelled(phone, call);
	bool sent = callee != NULL && call_enqueue_request(callee, call);
	if (!sent)
		kobject_put(&call->kobj);
	if (callee != NULL)
		task_put(callee->task);
	return sent;
}

errno_t ipc_answer_wait(cap_handle_t call_h, ipc_data_t *answer, uint64_t timeout_ns,
    unsigned flags, ipc_event_t *ev)
{
	errno_t rc;
	if (ipc_fast_answer_wait_kernel(call_h, answer, timeout_ns, flags, ev, &rc))
		return rc;
	return ipc_answer_wait_general(call_h, answer, timeout_ns, flags, ev);
}

errno_t ipc_answer_wait_general(cap_handle_t call_h, ipc_data_t *answer,
    uint64_t timeout_ns, unsigned flags, ipc_event_t *ev)
{
	errno_t rc = ipc_answer(call_h, answer);
	if (rc != EOK)
		return rc;
	return ipc_wait(timeout_ns, flags, ev);
}
