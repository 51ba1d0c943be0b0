/*
 * The client side: call records, phones and their slots, sending and
 * waiting, sessions and exchanges, connecting and hanging up.
 *
 * A call record (amsg_t) comes from the sending fibril's cache, or for a
 * synchronous request (async_req_call) lives in the caller's stack frame,
 * which waits until the answer is collected; its address is the call's
 * answer label, so the manager finds it at once when the answer arrives. A phone never has more than IPC_MAX_ASYNC_CALLS calls
 * in flight by the framework's own count (which drops only when an answer is
 * received, so it never undercounts the kernel's); a sender beyond that
 * waits for the next answer, which hands its slot straight to the first
 * waiter. Locking: async_lock (private/async.h).
 */
#include "private/async.h"
#include <stdlib.h>
#include <string.h>

spinlock_t async_lock = SPINLOCK_INITIALIZER;
static bool initialized;
static async_sess_t *ns_session;

void async_init(void)
{
	if (__atomic_load_n(&initialized, __ATOMIC_ACQUIRE))
		return;
	spinlock_lock(&async_lock);
	if (!initialized) {
		async_server_init();
		fibril_set_local_destructor(async_fibril_destroy);
		fibril_set_ipc_handler(async_dispatch);
		__atomic_store_n(&initialized, true, __ATOMIC_RELEASE);
	}
	spinlock_unlock(&async_lock);
}

async_fibril_t *async_fibril(void)
{
	async_init();
	async_fibril_t *af = fibril_get_local();
	if (af != NULL)
		return af;
	af = calloc(1, sizeof(*af));
	if (af == NULL)
		return NULL;
	list_initialize(&af->free_msgs);
	list_initialize(&af->outstanding);
	fibril_set_local(af);
	return af;
}

/** Runs when a fibril with framework state ends: its spare records go; the
 *  ones still in flight are freed when their answers are collected. */
void async_fibril_destroy(void *data)
{
	async_fibril_t *af = data;
	list_t spare;
	list_initialize(&spare);
	spinlock_lock(&async_lock);
	link_t *l;
	while ((l = list_first(&af->outstanding)) != NULL) {
		list_remove(l);
		list_get_instance(l, amsg_t, link)->cache = NULL;
	}
	while ((l = list_first(&af->free_msgs)) != NULL) {
		list_remove(l);
		list_append(l, &spare);
	}
	spinlock_unlock(&async_lock);
	while ((l = list_first(&spare)) != NULL) {
		list_remove(l);
		free(list_get_instance(l, amsg_t, link));
	}
	free(af);
}

/** Sets up record @a m (its link aside) for a new call: from fibril cache
 *  @a cache, or with @a cache NULL a synchronous request's in its caller's
 *  frame, whose answer lands whole in @a answer. */
static void amsg_reset(amsg_t *m, async_fibril_t *cache, ipc_call_t *answer)
{
	m->cache = cache;
	m->phone = NULL;
	m->done = false;
	m->forget = false;
	m->on_stack = cache == NULL;
	m->dataptr = answer;
	m->done_event = (fibril_event_t) FIBRIL_EVENT_INIT; /* inline: no call */
}

/** A clean call record for the calling fibril, on its outstanding list;
 *  NULL when out of memory. The answer is left unset: it is written whole
 *  before `done` is set, and read only after. */
static amsg_t *amsg_get(void)
{
	async_fibril_t *af = async_fibril();
	if (af == NULL)
		return NULL;
	spinlock_lock(&async_lock);
	link_t *l = list_first(&af->free_msgs);
	amsg_t *m;
	if (l != NULL) {
		list_remove(l);
		m = list_get_instance(l, amsg_t, link);
	} else {
		spinlock_unlock(&async_lock);
		m = malloc(sizeof(*m));
		if (m == NULL)
			return NULL;
		link_initialize(&m->link);
		spinlock_lock(&async_lock);
	}
	amsg_reset(m, af, NULL);
	list_append(&m->link, &af->outstanding);
	spinlock_unlock(&async_lock);
	return m;
}

/** Returns @a m (collected or forgotten and answered) to its cache. */
static void amsg_release_locked(amsg_t *m)
{
	list_remove(&m->link);
	if (m->on_stack)
		return; /* its frame ends with the collection */
	if (m->cache != NULL)
		list_append(&m->link, &m->cache->free_msgs);
	else
		free(m);
}

async_phone_t *async_phone_create(cap_handle_t cap)
{
	async_phone_t *ph = calloc(1, sizeof(*ph));
	if (ph == NULL)
		return NULL;
	ph->cap = cap;
	list_initialize(&ph->slot_waiters);
	return ph;
}

/** Whether IPC events other than the caller's answer may come and need
 *  handling: fibrils wait for answers, or this task serves others.
 *  async_lock held. */
static bool events_expected_locked(void)
{
	return async_blocked != 0 || (async_may_serve && async_serving_locked());
}

/** phone_slot_take() when all of @a ph's slots are used (or others wait):
 *  waits until an answer hands one over. async_lock held on entry, not on
 *  return. Out of line: the usual take then saves no registers for it. */
static __attribute__((noinline)) bool phone_slot_wait_locked(async_phone_t *ph)
{
	slot_waiter_t w;
	link_initialize(&w.link);
	fibril_event_initialize(&w.event);
	list_append(&w.link, &ph->slot_waiters);
	async_blocked++;
	spinlock_unlock(&async_lock);
	fibril_wait_for(&w.event); /* the slot was handed to us */
	spinlock_lock(&async_lock);
	async_blocked--;
	bool events = events_expected_locked();
	spinlock_unlock(&async_lock);
	return events;
}

/** Takes one of @a ph's call slots, waiting for an answer if all are used;
 *  returns events_expected_locked() as it stands then (one hold of
 *  async_lock for both in the usual case). */
static inline bool phone_slot_take(async_phone_t *ph)
{
	spinlock_lock(&async_lock);
	if (ph->inflight < IPC_MAX_ASYNC_CALLS && list_empty(&ph->slot_waiters)) {
		ph->inflight++;
		bool events = events_expected_locked();
		spinlock_unlock(&async_lock);
		return events;
	}
	return phone_slot_wait_locked(ph);
}

/** Gives back a slot of @a ph: to the first waiter, or frees it. */
static inline void phone_slot_release_locked(async_phone_t *ph)
{
	link_t *first = list_first(&ph->slot_waiters);
	if (first != NULL) {
		list_remove(first);
		fibril_notify(&list_get_instance(first, slot_waiter_t, link)->event);
		return;
	}
	ph->inflight--;
	if (ph->released && ph->inflight == 0)
		free(ph);
}

/** Where @a m's answer is written: a synchronous request's straight into
 *  its caller's answer, another's into the record until it is collected. */
static ipc_call_t *amsg_answer_slot(amsg_t *m)
{
	return m->on_stack ? m->dataptr : &m->answer;
}

/** Marks @a m answered (async_lock held) and wakes its collector. A record
 *  in its caller's frame is marked last: its caller may then collect it
 *  without the lock and leave the frame (async_wait_for). */
static void amsg_done_locked(amsg_t *m)
{
	if (m->on_stack) {
		fibril_notify(&m->done_event);
		__atomic_store_n(&m->done, true, __ATOMIC_RELEASE);
		return;
	}
	m->done = true;
	if (m->forget)
		amsg_release_locked(m);
	else
		fibril_notify(&m->done_event);
}

void async_answer_received(ipc_event_t *ev)
{
	amsg_t *m = (amsg_t *) ev->label;
	if (m == NULL)
		return; /* not a call of the framework */
	spinlock_lock(&async_lock);
	if (m->phone != NULL)
		phone_slot_release_locked(m->phone);
	m->phone = NULL;
	*amsg_answer_slot(m) = *ev;
	amsg_done_locked(m);
	spinlock_unlock(&async_lock);
}

/**
 * Sends @a imethod with @a args through @a ph as call @a m. With @a wait (the
 * caller waits for the answer next), the send and the wait share one system
 * call where possible: the fibril waits for this answer alone in the kernel
 * (SYS_IPC_CALL_WAIT) when nothing else could run meanwhile and no event is
 * expected, or, when only no other fibril is ready and the task has one
 * runner, the runner sends and waits for the task's next event
 * (IPC_CALL_WAIT_ANY; see fibril_call_and_wait()). This call's answer from
 * that wait lands in its slot there, without the manager: only the phone
 * slot is given back here (nobody else knows @a m yet). A call that cannot be
 * sent is completed at once with the error as its answer. Returns the
 * sending's result. Inline in its three callers, so that a synchronous
 * request pays one prologue for its frame (the record, the payload, the
 * answer) instead of two.
 */
static inline __attribute__((always_inline)) errno_t amsg_send(amsg_t *m,
    async_phone_t *ph, sysarg_t imethod, const sysarg_t args[IPC_CALL_ARGS], bool wait)
{
	ipc_payload_t p = {.method = imethod};
	__builtin_memcpy(p.args, args, sizeof(p.args)); /* five moves inline */
	bool events = phone_slot_take(ph);
	m->phone = ph;
	errno_t rc;
	bool answered = false;
	/* An answer this fibril gave goes out first (call-and-wait sends it). */
	if (!wait)
		fibril_flush_answer();
	if (!wait ||
	    !fibril_call_and_wait(
		ph->cap, &p, (sysarg_t) m, events, amsg_answer_slot(m), &answered, &rc)) {
		rc = ipc_call(ph->cap, &p, (sysarg_t) m);
	}
	if (answered) { /* in place already: the slot back, done */
		spinlock_lock(&async_lock);
		phone_slot_release_locked(ph);
		m->phone = NULL;
		m->done = true;
		spinlock_unlock(&async_lock);
		return EOK;
	}
	if (rc != EOK) {
		spinlock_lock(&async_lock);
		phone_slot_release_locked(ph);
		m->phone = NULL;
		*amsg_answer_slot(m) = (ipc_call_t){.imethod = (sysarg_t) rc};
		m->done = true; /* no answer will come: nobody else touches m */
		spinlock_unlock(&async_lock);
	}
	return rc;
}

aid_t async_send_args(async_exch_t *exch, sysarg_t imethod,
    const sysarg_t args[IPC_CALL_ARGS], ipc_call_t *dataptr)
{
	if (exch == NULL)
		return 0;
	amsg_t *m = amsg_get();
	if (m == NULL)
		return 0;
	m->dataptr = dataptr;
	amsg_send(m, exch->phone, imethod, args, false);
	return (aid_t) m;
}

/** Hands @a m's answer to its collector and frees @a m. */
static void amsg_collect_locked(amsg_t *m, errno_t *retval)
{
	if (m->dataptr != NULL && !m->on_stack)
		*m->dataptr = m->answer;
	if (retval != NULL)
		*retval = (errno_t) amsg_answer_slot(m)->imethod;
	amsg_release_locked(m);
}

errno_t async_wait_timeout(aid_t aid, errno_t *retval, uint64_t usec)
{
	amsg_t *m = (amsg_t *) aid;
	if (m == NULL) {
		if (retval != NULL)
			*retval = ENOMEM;
		return EOK;
	}
	uint64_t deadline = usec != 0 ? fibril_deadline(usec) : 0;
	spinlock_lock(&async_lock);
	while (!m->done) {
		if (usec == 0) {
			spinlock_unlock(&async_lock);
			return ETIMEOUT;
		}
		async_blocked++;
		spinlock_unlock(&async_lock);
		errno_t rc = fibril_wait_until(&m->done_event, deadline);
		spinlock_lock(&async_lock);
		async_blocked--;
		if (rc == ETIMEOUT && !m->done) {
			spinlock_unlock(&async_lock);
			return ETIMEOUT;
		}
	}
	amsg_collect_locked(m, retval);
	spinlock_unlock(&async_lock);
	return EOK;
}

void async_wait_for(aid_t aid, errno_t *retval)
{
	amsg_t *m = (amsg_t *) aid;
	if (m == NULL) {
		if (retval != NULL)
			*retval = ENOMEM;
		return;
	}
	spinlock_lock(&async_lock);
	while (!m->done) {
		async_blocked++;
		spinlock_unlock(&async_lock);
		fibril_wait_for(&m->done_event);
		spinlock_lock(&async_lock);
		async_blocked--;
	}
	amsg_collect_locked(m, retval);
	spinlock_unlock(&async_lock);
}

void async_forget(aid_t aid)
{
	amsg_t *m = (amsg_t *) aid;
	if (m == NULL)
		return;
	spinlock_lock(&async_lock);
	if (m->done)
		amsg_release_locked(m);
	else
		m->forget = true;
	spinlock_unlock(&async_lock);
}

/** A synchronous request's record @a m, in its caller's frame, whose answer
 *  lands whole in @a answer. No lock: nobody else knows @a m until it is
 *  sent, and the caller collects it before its frame ends (the manager
 *  touches it only under async_lock, before it marks it done). */
static void amsg_init_on_stack(amsg_t *m, ipc_call_t *answer)
{
	link_initialize(&m->link);
	amsg_reset(m, NULL, answer);
}

errno_t async_req_call(async_exch_t *exch, sysarg_t imethod,
    const sysarg_t args[IPC_CALL_ARGS], ipc_call_t *answer)
{
	if (exch == NULL) {
		memset(answer, 0, sizeof(*answer));
		return EINVAL;
	}
	amsg_t m;
	amsg_init_on_stack(&m, answer);
	amsg_send(&m, exch->phone, imethod, args, true);
	/* Answered already (the usual case: call-and-wait ran the manager on
	 * this runner): the answer is in place and nobody touches m again. */
	if (__atomic_load_n(&m.done, __ATOMIC_ACQUIRE))
		return (errno_t) answer->imethod;
	errno_t retval;
	async_wait_for((aid_t) &m, &retval);
	return retval;
}

errno_t async_req_args(async_exch_t *exch, sysarg_t imethod,
    const sysarg_t in[IPC_CALL_ARGS], sysarg_t *out[IPC_CALL_ARGS])
{
	ipc_call_t answer;
	errno_t rc = async_req_call(exch, imethod, in, &answer);
	for (unsigned i = 0; i < IPC_CALL_ARGS; i++) {
		if (out[i] != NULL)
			*out[i] = answer.args[i];
	}
	return rc;
}

errno_t async_msg_args(
    async_exch_t *exch, sysarg_t imethod, const sysarg_t args[IPC_CALL_ARGS])
{
	if (exch == NULL)
		return EINVAL;
	amsg_t *m = amsg_get();
	if (m == NULL)
		return ENOMEM;
	errno_t rc = amsg_send(m, exch->phone, imethod, args, false);
	async_forget((aid_t) m);
	return rc;
}

async_sess_t *async_session_make(exch_mgmt_t mgmt, cap_handle_t phone, bool shared)
{
	async_init();
	async_sess_t *sess = calloc(1, sizeof(*sess));
	if (sess == NULL)
		return NULL;
	sess->phone = async_phone_create(phone);
	if (sess->phone == NULL) {
		free(sess);
		return NULL;
	}
	sess->mgmt = mgmt;
	sess->shared = shared;
	link_initialize(&sess->atomic_exch.link);
	sess->atomic_exch.sess = sess;
	sess->atomic_exch.phone = sess->phone;
	list_initialize(&sess->idle);
	list_initialize(&sess->free_exchs);
	list_initialize(&sess->waiters);
	return sess;
}

async_sess_t *async_session_create(exch_mgmt_t mgmt, cap_handle_t phone)
{
	return async_session_make(mgmt, phone, false);
}

async_sess_t *async_session_ns(void)
{
	async_sess_t *sess = __atomic_load_n(&ns_session, __ATOMIC_ACQUIRE);
	if (sess != NULL)
		return sess;
	sess = async_session_make(EXCHANGE_ATOMIC, 1, false);
	if (sess == NULL)
		return NULL;
	async_sess_t *expected = NULL;
	if (!__atomic_compare_exchange_n(&ns_session, &expected, sess, false,
		__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		free(sess->phone);
		free(sess);
		sess = expected;
	}
	return sess;
}

/** An exchange record on @a ph for @a sess (reused if possible). */
static async_exch_t *exch_get_locked(async_sess_t *sess, async_phone_t *ph)
{
	link_t *l = list_first(&sess->free_exchs);
	async_exch_t *exch;
	if (l != NULL) {
		list_remove(l);
		exch = list_get_instance(l, async_exch_t, link);
	} else {
		exch = malloc(sizeof(*exch));
		if (exch == NULL)
			return NULL;
		link_initialize(&exch->link);
	}
	exch->sess = sess;
	exch->phone = ph;
	exch->own_phone = false;
	return exch;
}

typedef struct {
	link_t link;
	fibril_event_t event;
	async_exch_t *exch; /* handed over by async_exchange_end() */
} exch_waiter_t;

/** Waits until an ending exchange of @a sess is handed over to us. */
static async_exch_t *exch_wait_locked(async_sess_t *sess)
{
	exch_waiter_t w = {.exch = NULL};
	link_initialize(&w.link);
	fibril_event_initialize(&w.event);
	list_append(&w.link, &sess->waiters);
	async_blocked++;
	spinlock_unlock(&async_lock);
	fibril_wait_for(&w.event);
	spinlock_lock(&async_lock);
	async_blocked--;
	return w.exch;
}

/** A new connection to @a sess's server through its phone, as it was made. */
static errno_t session_connect_phone(async_sess_t *sess, cap_handle_t *phone)
{
	async_exch_t base = {.sess = sess, .phone = sess->phone};
	const sysarg_t args[IPC_CALL_ARGS] = {
	    sess->connect_args[0], sess->connect_args[1], sess->connect_args[2]};
	ipc_call_t answer;
	errno_t rc = async_req_call(&base, IPC_M_CONNECT_ME_TO, args, &answer);
	if (rc == EOK)
		*phone = answer.args[4];
	return rc;
}

/** An exchange of its own for a PARALLEL session: an idle one, the
 *  session's phone if free, a new connection, or (if none can be made) the
 *  next one that ends, which stays counted open (*@a handed set). */
static async_exch_t *parallel_begin_locked(async_sess_t *sess, bool *handed)
{
	bool tried = false;
	for (;;) {
		link_t *l = list_first(&sess->idle);
		if (l != NULL) {
			list_remove(l);
			return list_get_instance(l, async_exch_t, link);
		}
		if (!sess->base_busy) {
			async_exch_t *exch = exch_get_locked(sess, sess->phone);
			if (exch != NULL)
				sess->base_busy = true;
			return exch;
		}
		if (!sess->can_connect || tried) {
			*handed = true;
			return exch_wait_locked(sess);
		}
		tried = true;
		spinlock_unlock(&async_lock);
		cap_handle_t phone;
		async_exch_t *exch = NULL;
		if (session_connect_phone(sess, &phone) == EOK) {
			exch = malloc(sizeof(*exch));
			async_phone_t *ph = exch != NULL ? async_phone_create(phone)
							 : NULL;
			if (ph == NULL) {
				free(exch);
				exch = NULL;
				DISCARD(cleanup, ipc_hangup(phone, IPC_HANGUP_RELEASE));
			} else {
				link_initialize(&exch->link);
				exch->sess = sess;
				exch->phone = ph;
				exch->own_phone = true;
			}
		}
		spinlock_lock(&async_lock);
		if (exch != NULL)
			return exch;
	}
}

cap_handle_t async_exchange_phone(async_exch_t *exch)
{
	return exch->phone->cap;
}

/** async_exchange_begin() of a session that is not ATOMIC; out of line, so
 *  the ATOMIC case (phone 1, most sessions) saves no registers for it. */
static __attribute__((noinline)) async_exch_t *exchange_begin_locking(async_sess_t *sess)
{
	spinlock_lock(&async_lock);
	async_exch_t *exch;
	bool handed = false; /* an ending exchange was handed over: still open */
	switch (sess->mgmt) {
	case EXCHANGE_PARALLEL:
		exch = parallel_begin_locked(sess, &handed);
		break;
	case EXCHANGE_SERIALIZE:
		if (sess->open > 0 || !list_empty(&sess->waiters)) {
			exch = exch_wait_locked(sess);
			handed = true;
			break;
		}
		exch = exch_get_locked(sess, sess->phone);
		break;
	default:
		exch = exch_get_locked(sess, sess->phone);
		break;
	}
	if (exch != NULL && !handed)
		sess->open++;
	spinlock_unlock(&async_lock);
	return exch;
}

async_exch_t *async_exchange_begin(async_sess_t *sess)
{
	if (sess == NULL)
		return NULL;
	/* A session exists only once async_init() ran (async_session_make). */
	if (sess->mgmt == EXCHANGE_ATOMIC) { /* no waiting, no record to take */
		__atomic_fetch_add(&sess->open, 1, __ATOMIC_RELAXED);
		return &sess->atomic_exch;
	}
	return exchange_begin_locking(sess);
}

/** async_exchange_end() of an exchange of a session that is not ATOMIC. */
static __attribute__((noinline)) void exchange_end_locking(
    async_sess_t *sess, async_exch_t *exch)
{
	spinlock_lock(&async_lock);
	link_t *first = list_first(&sess->waiters);
	if (first != NULL) {
		list_remove(first);
		exch_waiter_t *w = list_get_instance(first, exch_waiter_t, link);
		w->exch = exch;
		fibril_notify(&w->event);
		spinlock_unlock(&async_lock);
		return;
	}
	sess->open--;
	if (exch->own_phone) {
		list_append(&exch->link, &sess->idle);
	} else {
		if (sess->mgmt == EXCHANGE_PARALLEL)
			sess->base_busy = false;
		list_append(&exch->link, &sess->free_exchs);
	}
	spinlock_unlock(&async_lock);
}

void async_exchange_end(async_exch_t *exch)
{
	if (exch == NULL)
		return;
	async_sess_t *sess = exch->sess;
	if (exch == &sess->atomic_exch) {
		__atomic_fetch_sub(&sess->open, 1, __ATOMIC_RELEASE);
		return;
	}
	exchange_end_locking(sess, exch);
}

static async_sess_t *connect_me_to(
    exch_mgmt_t mgmt, async_exch_t *exch, const sysarg_t args[IPC_CALL_ARGS], errno_t *rc)
{
	ipc_call_t answer;
	errno_t r = async_req_call(exch, IPC_M_CONNECT_ME_TO, args, &answer);
	async_sess_t *sess = NULL;
	if (r == EOK) {
		sess = async_session_make(mgmt, answer.args[4], false);
		if (sess == NULL) {
			DISCARD(cleanup, ipc_hangup(answer.args[4], IPC_HANGUP_RELEASE));
			r = ENOMEM;
		}
	}
	if (sess != NULL) {
		memcpy(sess->connect_args, args, sizeof(sess->connect_args));
		sess->can_connect = true;
	}
	if (rc != NULL)
		*rc = r;
	return sess;
}

async_sess_t *async_connect_me_to(exch_mgmt_t mgmt, async_exch_t *exch, iface_t iface,
    sysarg_t arg2, sysarg_t arg3, errno_t *rc)
{
	const sysarg_t args[IPC_CALL_ARGS] = {iface, arg2, arg3};
	return connect_me_to(mgmt, exch, args, rc);
}

errno_t async_connect_me_to_phone(
    async_exch_t *exch, iface_t iface, sysarg_t arg2, sysarg_t arg3, cap_handle_t *phone)
{
	const sysarg_t args[IPC_CALL_ARGS] = {iface, arg2, arg3};
	ipc_call_t answer;
	errno_t rc = async_req_call(exch, IPC_M_CONNECT_ME_TO, args, &answer);
	if (rc == EOK)
		*phone = (cap_handle_t) answer.args[4];
	return rc;
}

async_sess_t *async_connect_me_to_blocking(exch_mgmt_t mgmt, async_exch_t *exch,
    iface_t iface, sysarg_t arg2, sysarg_t arg3, errno_t *rc)
{
	const sysarg_t args[IPC_CALL_ARGS] = {iface, arg2, arg3, IPC_FLAG_BLOCKING};
	return connect_me_to(mgmt, exch, args, rc);
}

/** Ends the connection of @a ph: tells the server which one it is (a
 *  @a shared one, a clone, stays open), hangs up and releases the handle. */
static errno_t phone_close(async_phone_t *ph, bool shared)
{
	async_exch_t exch = {.phone = ph};
	const sysarg_t args[IPC_CALL_ARGS] = {shared};
	ipc_call_t answer;
	/* The answer does not matter: EHANGUP means the server is gone. */
	DISCARD(best_effort, async_req_call(&exch, ASYNC_M_CLOSE, args, &answer));
	errno_t rc = ipc_hangup(ph->cap, IPC_HANGUP_RELEASE);
	spinlock_lock(&async_lock);
	ph->released = true;
	if (ph->inflight == 0)
		free(ph);
	spinlock_unlock(&async_lock);
	return rc;
}

errno_t async_hangup(async_sess_t *sess)
{
	if (sess == NULL)
		return EINVAL;
	spinlock_lock(&async_lock);
	if (__atomic_load_n(&sess->open, __ATOMIC_ACQUIRE) > 0) {
		spinlock_unlock(&async_lock);
		return EBUSY;
	}
	spinlock_unlock(&async_lock);
	errno_t rc = EOK;
	link_t *l;
	while ((l = list_first(&sess->idle)) != NULL) {
		list_remove(l);
		async_exch_t *exch = list_get_instance(l, async_exch_t, link);
		errno_t r = phone_close(exch->phone, sess->shared);
		if (rc == EOK)
			rc = r;
		free(exch);
	}
	errno_t r = phone_close(sess->phone, sess->shared);
	if (rc == EOK)
		rc = r;
	while ((l = list_first(&sess->free_exchs)) != NULL) {
		list_remove(l);
		free(list_get_instance(l, async_exch_t, link));
	}
	free(sess);
	return rc;
}

errno_t async_exchange_clone(async_exch_t *exch, async_exch_t *clone_exch)
{
	if (exch == NULL || clone_exch == NULL)
		return EINVAL;
	const sysarg_t args[IPC_CALL_ARGS] = {clone_exch->phone->cap};
	ipc_call_t answer;
	return async_req_call(exch, IPC_M_CONNECTION_CLONE, args, &answer);
}

async_sess_t *async_callback_receive_start(exch_mgmt_t mgmt, ipc_call_t *call)
{
	if (call->imethod != IPC_M_CONNECT_TO_ME || call->args[4] == CAP_NULL)
		return NULL;
	async_sess_t *sess = async_session_make(mgmt, call->args[4], false);
	if (sess != NULL) {
		/* More phones (EXCHANGE_PARALLEL): CONNECT_ME_TO through the
		 * callback phone with the interface and arguments it was
		 * offered with. */
		memcpy(sess->connect_args, call->args, sizeof(sess->connect_args));
		sess->can_connect = true;
	}
	return sess;
}
