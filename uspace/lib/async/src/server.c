/*
 * The server side: the manager's dispatch of events, connections and their
 * fibrils, ports, clients, and the calls a connection fibril takes, answers
 * and forwards.
 *
 * Routing. A connection's label (private/label.h) comes back on every call
 * through it, so a request goes to its connection's queue by one array
 * index. Phone 1 of every task (to the naming service) is made by the kernel
 * with label 0: its calls go to the sender task's implicit connection, found
 * by task id (the one lookup, per call of that phone only), which runs the
 * fallback handler. A CONNECT_ME_TO always starts a new connection.
 *
 * Hang-ups. The kernel's PHONE_HUNGUP names the connection by its label and
 * says in args[0] how many of its phones (clones) are still connected. The
 * client side also sends ASYNC_M_CLOSE through a phone first (with its label:
 * that connection ends, unless the phone was a clone, and the task is owed
 * one PHONE_HUNGUP, which is then ignored). A label-0 PHONE_HUNGUP nobody
 * announced means the task died (or hung up behind the framework's back): all
 * its connections end. A PHONE_HUNGUP for the last phone of a labelled
 * connection ends that connection. Every label-0 PHONE_HUNGUP, announced or
 * not, then goes to the hang-up handler if one is set (the naming service
 * learns of task ends there, with how they ended).
 *
 * Locking: async_lock (private/async.h).
 */
#include "private/async.h"
#include <common/adt/hash_table.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT_BUCKETS 64

/** A client task: its connections and its client data. */
typedef struct async_client {
	link_t hash_link;
	task_id_t task_id;
	unsigned refs;	    /* connections */
	unsigned announced; /* ASYNC_M_CLOSE seen, kernel hang-up still due */
	void *data;
	struct async_conn *implicit; /* label 0 calls (its phone 1) */
	list_t conns;
} async_client_t;

typedef struct async_conn {
	uint64_t label;		/* 0: the implicit connection of a client's phone 1 */
	async_client_t *client; /* NULL: a callback connection not yet called */
	link_t client_link;
	async_port_handler_t handler;
	void *data;
	ipc_call_t icall;
	list_t queue;	      /* conn_call_t received, not yet taken */
	list_t free_calls;    /* conn_call_t to reuse */
	fibril_event_t event; /* a call was queued or the client hung up */
	/* While the connection's fibril waits in async_get_call with nothing
	 * queued: where the next call goes, bypassing the queue (the delivery
	 * sets it back to NULL). */
	ipc_call_t *receiver;
	bool hungup;
	fid_t fibril;
} async_conn_t;

typedef struct {
	link_t link;
	ipc_call_t call;
} conn_call_t;

typedef struct {
	link_t link;
	iface_t iface;
	async_port_handler_t handler;
	void *data;
} async_port_t;

static label_table_t labels;
static hash_table_t clients;
static list_t client_buckets[CLIENT_BUCKETS];
static list_t ports;
static unsigned port_count, conn_count;
static async_port_handler_t fallback_handler;
static void *fallback_data;
static async_client_data_ctor_t client_ctor;
static async_client_data_dtor_t client_dtor;
static async_hangup_handler_t hangup_handler;
/* The exception handler (async_set_exception_handler), under async_lock. */
static async_exception_handler_t exception_handler;
static void *exception_data;
static void *hangup_data;

unsigned async_blocked;

static uint64_t client_hash(const link_t *item)
{
	return hash_mix64(list_get_instance(item, async_client_t, hash_link)->task_id);
}

static uint64_t client_key_hash(const void *key)
{
	return hash_mix64(*(const task_id_t *) key);
}

static bool client_key_equal(const void *key, const link_t *item)
{
	return list_get_instance(item, async_client_t, hash_link)->task_id ==
	    *(const task_id_t *) key;
}

static const hash_table_ops_t client_ops = {
    .hash = client_hash,
    .key_hash = client_key_hash,
    .key_equal = client_key_equal,
};

/** Called once, from async_init(), with async_lock held. */
void async_server_init(void)
{
	label_table_init(&labels);
	hash_table_init(&clients, &client_ops, client_buckets, CLIENT_BUCKETS);
	list_initialize(&ports);
}

/* Set (under async_lock, never cleared) where anything this task could
 * serve is first set up: a port, a connection, a handler, a notification.
 * A pure client (most programs) then tells "serving nothing" by one test
 * on each request (client.c), without async_serving_locked(). */
bool async_may_serve;

bool async_serving_locked(void)
{
	return port_count > 0 || conn_count > 0 || fallback_handler != NULL ||
	    hangup_handler != NULL || exception_handler != NULL ||
	    async_notification_count > 0;
}

/* The client found last (async_lock): a server's calls come in runs from
 * one task, and a naming service's phone-1 calls are routed by task id, so
 * this spares most hash lookups. Cleared when that client is freed. */
static async_client_t *recent_client;

static async_client_t *client_find_locked(task_id_t task_id)
{
	if (recent_client != NULL && recent_client->task_id == task_id)
		return recent_client;
	link_t *l = hash_table_find(&clients, &task_id);
	if (l == NULL)
		return NULL;
	recent_client = list_get_instance(l, async_client_t, hash_link);
	return recent_client;
}

/** The client record of @a task_id, made (with its client data) if new;
 *  the caller takes a reference for a connection. */
static async_client_t *client_get_locked(task_id_t task_id)
{
	async_client_t *c = client_find_locked(task_id);
	if (c != NULL)
		return c;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->task_id = task_id;
	list_initialize(&c->conns);
	c->data = client_ctor != NULL ? client_ctor() : NULL;
	hash_table_insert(&clients, &c->hash_link);
	return c;
}

/** Frees @a c once it has no connections and owes no hang-up. */
static void client_maybe_free_locked(async_client_t *c)
{
	if (c->refs > 0 || c->announced > 0)
		return;
	hash_table_remove_item(&clients, &c->hash_link);
	if (recent_client == c)
		recent_client = NULL;
	if (client_dtor != NULL && c->data != NULL)
		client_dtor(c->data);
	free(c);
}

static void conn_attach_locked(async_conn_t *conn, async_client_t *c)
{
	conn->client = c;
	c->refs++;
	list_append(&conn->client_link, &c->conns);
}

static errno_t conn_fibril(void *arg);

/** A connection (not started) running @a handler(@a data) with first call
 *  @a icall, with a label unless @a implicit. */
static async_conn_t *conn_create_locked(async_client_t *client,
    async_port_handler_t handler, void *data, const ipc_call_t *icall, bool implicit)
{
	async_conn_t *conn = calloc(1, sizeof(*conn));
	if (conn == NULL)
		return NULL;
	if (!implicit && label_alloc(&labels, conn, &conn->label) != EOK) {
		free(conn);
		return NULL;
	}
	conn->fibril = fibril_create(conn_fibril, conn);
	if (conn->fibril == NULL) {
		if (!implicit)
			label_free(&labels, conn->label);
		free(conn);
		return NULL;
	}
	fibril_detach(conn->fibril);
	conn->handler = handler;
	conn->data = data;
	conn->icall = *icall;
	link_initialize(&conn->client_link);
	list_initialize(&conn->queue);
	list_initialize(&conn->free_calls);
	fibril_event_initialize(&conn->event);
	if (client != NULL)
		conn_attach_locked(conn, client);
	conn_count++;
	async_may_serve = true;
	return conn;
}

/** Undoes conn_create_locked() for a connection never started. */
static void conn_destroy_locked(async_conn_t *conn)
{
	if (conn->label != 0)
		label_free(&labels, conn->label);
	if (conn->client != NULL) {
		if (conn->client->implicit == conn)
			conn->client->implicit = NULL;
		list_remove(&conn->client_link);
		conn->client->refs--;
		client_maybe_free_locked(conn->client);
	}
	fibril_destroy(conn->fibril);
	conn_count--;
	free(conn);
}

static void conn_hangup_locked(async_conn_t *conn)
{
	conn->hungup = true;
	fibril_notify(&conn->event);
}

/** Ends @a conn after its handler returned: no more calls reach it, and
 *  those it left are answered with EHANGUP. */
static void conn_finish(async_conn_t *conn)
{
	list_t left;
	list_initialize(&left);
	spinlock_lock(&async_lock);
	if (conn->label != 0)
		label_free(&labels, conn->label);
	async_client_t *c = conn->client;
	if (c != NULL) {
		if (c->implicit == conn)
			c->implicit = NULL;
		list_remove(&conn->client_link);
		c->refs--;
		client_maybe_free_locked(c);
	}
	link_t *l;
	while ((l = list_first(&conn->queue)) != NULL) {
		list_remove(l);
		list_append(l, &left);
	}
	conn_count--;
	spinlock_unlock(&async_lock);

	const sysarg_t none[IPC_CALL_ARGS] = {0};
	DISCARD(answer, async_answer_args(&conn->icall, EHANGUP, none));
	while ((l = list_first(&left)) != NULL) {
		list_remove(l);
		conn_call_t *cc = list_get_instance(l, conn_call_t, link);
		DISCARD(answer, async_answer_args(&cc->call, EHANGUP, none));
		free(cc);
	}
	while ((l = list_first(&conn->free_calls)) != NULL) {
		list_remove(l);
		free(list_get_instance(l, conn_call_t, link));
	}
	free(conn);
}

static errno_t conn_fibril(void *arg)
{
	async_conn_t *conn = arg;
	async_fibril_t *af = async_fibril();
	if (af != NULL) {
		af->conn = conn;
		conn->handler(&conn->icall, conn->data);
		af->conn = NULL;
	}
	conn_finish(conn);
	return EOK;
}

static async_conn_t *current_conn(void)
{
	async_fibril_t *af = fibril_get_local();
	if (af == NULL || af->conn == NULL) {
		fprintf(
		    stderr, "async: a connection function called outside a connection\n");
		abort();
	}
	return af->conn;
}

void async_answer_later(fibril_ipc_answer_t *later, const ipc_call_t *call, errno_t rc)
{
	ipc_payload_t answer = {.method = (sysarg_t) rc};
	if (later->pending) {
		DISCARD(answer, ipc_answer(call->cap, &answer));
		return;
	}
	later->pending = true;
	later->call = call->cap;
	later->answer = answer;
}

/** The connection request @a ev asks for: a port's or the fallback's. */
static void connection_received(ipc_event_t *ev, fibril_ipc_answer_t *later)
{
	spinlock_lock(&async_lock);
	async_port_handler_t handler = fallback_handler;
	void *data = fallback_data;
	list_foreach (ports, link, async_port_t, p) {
		if (p->iface == ev->args[0]) {
			handler = p->handler;
			data = p->data;
			break;
		}
	}
	errno_t rc = ENOENT;
	async_conn_t *conn = NULL;
	if (handler != NULL) {
		async_client_t *c = client_get_locked(ev->task_id);
		conn = c != NULL ? conn_create_locked(c, handler, data, ev, false) : NULL;
		if (conn == NULL && c != NULL)
			client_maybe_free_locked(c);
		rc = conn != NULL ? EOK : ENOMEM;
	}
	spinlock_unlock(&async_lock);
	if (conn != NULL)
		fibril_add_ready(conn->fibril);
	else
		async_answer_later(later, ev, rc);
}

/** The implicit connection for label-0 calls of @a task_id, started with the
 *  fallback handler on first use; NULL without one (*@a rc ENOENT) or
 *  without memory for it (ENOMEM). */
static async_conn_t *implicit_conn_locked(task_id_t task_id, bool *started, errno_t *rc)
{
	async_client_t *c = client_find_locked(task_id);
	if (c != NULL && c->implicit != NULL)
		return c->implicit;
	*rc = ENOENT;
	if (fallback_handler == NULL)
		return NULL;
	*rc = ENOMEM;
	if (c == NULL && (c = client_get_locked(task_id)) == NULL)
		return NULL;
	const ipc_call_t icall = {.kind = IPC_EVENT_REQUEST, .task_id = task_id};
	c->implicit = conn_create_locked(
	    c, fallback_handler, fallback_data, &icall, true);
	if (c->implicit == NULL) {
		client_maybe_free_locked(c);
		return NULL;
	}
	*started = true;
	return c->implicit;
}

/** The connection call @a ev belongs to, or NULL with the answer in *@a rc:
 *  EHANGUP for a stale label (its connection ended), ENOENT for label 0
 *  with no fallback handler, ENOMEM. A callback connection learns its
 *  client here. */
static async_conn_t *route_locked(const ipc_event_t *ev, bool *started, errno_t *rc)
{
	if (ev->label == 0)
		return implicit_conn_locked(ev->task_id, started, rc);
	async_conn_t *conn = label_get(&labels, ev->label);
	if (conn != NULL && conn->client == NULL && ev->task_id != 0) {
		async_client_t *c = client_get_locked(ev->task_id);
		if (c != NULL)
			conn_attach_locked(conn, c);
	}
	*rc = EHANGUP;
	return conn;
}

/** Hands @a ev to @a conn's fibril, which waits for it in async_get_call
 *  (`receiver` set, so nothing is queued). */
static inline void conn_deliver_locked(async_conn_t *conn, const ipc_event_t *ev)
{
	*conn->receiver = *ev;
	__atomic_store_n(&conn->receiver, NULL, __ATOMIC_RELEASE);
	fibril_notify(&conn->event);
}

static errno_t conn_enqueue_locked(async_conn_t *conn, const ipc_event_t *ev)
{
	if (conn->receiver != NULL) {
		conn_deliver_locked(conn, ev);
		return EOK;
	}
	link_t *l = list_first(&conn->free_calls);
	conn_call_t *cc;
	if (l != NULL) {
		list_remove(l);
		cc = list_get_instance(l, conn_call_t, link);
	} else {
		cc = malloc(sizeof(*cc));
		if (cc == NULL)
			return ENOMEM;
		link_initialize(&cc->link);
	}
	cc->call = *ev;
	list_append(&cc->link, &conn->queue);
	fibril_notify(&conn->event);
	return EOK;
}

/** A kernel PHONE_HUNGUP (see the top of this file). */
static void hangup_received(const ipc_event_t *ev)
{
	spinlock_lock(&async_lock);
	async_client_t *c = client_find_locked(ev->task_id);
	/* args[0]: phones of this connection still connected (clones). */
	async_conn_t *conn = ev->label != 0 && ev->args[0] == 0
	    ? label_get(&labels, ev->label)
	    : NULL;
	if (conn != NULL)
		conn_hangup_locked(conn);
	if (c != NULL && c->announced > 0) {
		c->announced--; /* its ASYNC_M_CLOSE ended the connection */
		client_maybe_free_locked(c);
	} else if (c != NULL && ev->label == 0) {
		list_foreach (c->conns, client_link, async_conn_t, other)
			conn_hangup_locked(other);
	}
	spinlock_unlock(&async_lock);
}

/** Tells the hang-up handler, if any, of the label-0 PHONE_HUNGUP @a ev
 *  (async_set_hangup_handler); called without async_lock. */
static void hangup_notify(const ipc_event_t *ev)
{
	spinlock_lock(&async_lock);
	async_hangup_handler_t handler = hangup_handler;
	void *data = hangup_data;
	spinlock_unlock(&async_lock);
	if (handler != NULL)
		handler(ev, data);
}

/** ASYNC_M_CLOSE: the connection it came through ends (unless the phone
 *  was a clone); its task owes us the kernel's PHONE_HUNGUP for that phone. */
static void close_received(const ipc_event_t *ev)
{
	spinlock_lock(&async_lock);
	async_client_t *c = client_find_locked(ev->task_id);
	async_conn_t *conn = NULL;
	if (ev->label != 0)
		conn = label_get(&labels, ev->label);
	else if (c != NULL)
		conn = c->implicit;
	if (conn != NULL && ev->args[0] == 0)
		conn_hangup_locked(conn);
	if (c != NULL)
		c->announced++;
	spinlock_unlock(&async_lock);
}

typedef struct {
	ipc_call_t call;
	async_exception_handler_t handler;
	void *data;
} exception_work_t;

static errno_t exception_fibril(void *arg)
{
	exception_work_t *w = arg;
	w->handler(&w->call, w->data);
	free(w);
	return EOK;
}

/** IPC_M_EXCEPTION: the handler runs in a fibril of its own and answers;
 *  without one (or without memory) the fault is refused, which kills the
 *  faulting task. */
static void exception_received(ipc_event_t *ev, fibril_ipc_answer_t *later)
{
	spinlock_lock(&async_lock);
	async_exception_handler_t handler = exception_handler;
	void *data = exception_data;
	spinlock_unlock(&async_lock);
	exception_work_t *w = handler != NULL ? malloc(sizeof(*w)) : NULL;
	fid_t f = w != NULL ? fibril_create(exception_fibril, w) : 0;
	if (f == 0) {
		free(w);
		async_answer_later(later, ev, handler != NULL ? ENOMEM : ENOENT);
		return;
	}
	*w = (exception_work_t){*ev, handler, data};
	fibril_add_ready(f);
}

void async_set_exception_handler(async_exception_handler_t handler, void *data)
{
	async_init();
	spinlock_lock(&async_lock);
	exception_handler = handler;
	exception_data = data;
	async_may_serve = true;
	spinlock_unlock(&async_lock);
}

static void request_received(ipc_event_t *ev, fibril_ipc_answer_t *later)
{
	switch (ev->imethod) {
	case IPC_M_EXCEPTION:
		exception_received(ev, later);
		return;
	case IPC_M_CONNECT_ME_TO:
		connection_received(ev, later);
		return;
	case IPC_M_PHONE_HUNGUP:
		hangup_received(ev);
		if (ev->label == 0)
			hangup_notify(ev);
		async_answer_later(later, ev, EOK);
		return;
	case ASYNC_M_CLOSE:
		close_received(ev);
		async_answer_later(later, ev, EOK);
		return;
	}
	bool started = false;
	spinlock_lock(&async_lock);
	errno_t rc;
	async_conn_t *conn = route_locked(ev, &started, &rc);
	if (conn != NULL)
		rc = conn_enqueue_locked(conn, ev);
	if (rc != EOK && started)
		conn_destroy_locked(conn);
	spinlock_unlock(&async_lock);
	if (rc != EOK)
		async_answer_later(later, ev, rc);
	else if (started)
		fibril_add_ready(conn->fibril);
}

/**
 * The usual request: a user method through a labelled connection, or a
 * phone-1 call to a started implicit one, whose fibril waits for its next
 * call in async_get_call. Delivered straight into
 * the fibril's buffer (as conn_enqueue_locked() would) and true; false,
 * with nothing done, for anything else, which the general dispatch takes.
 * Small and apart from it, so the usual case saves few registers.
 */
static inline bool request_to_waiting_conn(ipc_event_t *ev)
{
	if (ev->imethod <= IPC_M_LAST_SYSTEM || ev->imethod == ASYNC_M_CLOSE)
		return false;
	spinlock_lock(&async_lock);
	async_conn_t *conn;
	if (ev->label != 0) {
		conn = label_get(&labels, ev->label);
	} else { /* phone 1: the sender's implicit connection, if started */
		async_client_t *c = client_find_locked(ev->task_id);
		conn = c != NULL ? c->implicit : NULL;
	}
	bool waiting = conn != NULL && conn->client != NULL && conn->receiver != NULL;
	if (waiting)
		conn_deliver_locked(conn, ev);
	spinlock_unlock(&async_lock);
	return waiting;
}

static __attribute__((noinline)) void dispatch_general(
    ipc_event_t *ev, fibril_ipc_answer_t *later)
{
	switch (ev->kind) {
	case IPC_EVENT_ANSWER:
		async_answer_received(ev);
		break;
	case IPC_EVENT_NOTIF:
		async_notification_received(ev);
		break;
	case IPC_EVENT_REQUEST:
		request_received(ev, later);
		break;
	}
}

void async_dispatch(ipc_event_t *ev, fibril_ipc_answer_t *later)
{
	if (ev->kind == IPC_EVENT_ANSWER) {
		async_answer_received(ev);
		return;
	}
	if (ev->kind == IPC_EVENT_REQUEST && request_to_waiting_conn(ev))
		return;
	dispatch_general(ev, later);
}

/** Whether the call @a conn's fibril waits for was delivered: only the
 *  delivery clears `receiver` (under async_lock, the call written first)
 *  while the fibril waits, and its notify ordered that before our wake-up.
 *  Still set: woken otherwise (a hang-up, a stale notify), and the caller
 *  looks again under the lock. */
static inline bool conn_delivered(async_conn_t *conn)
{
	return __atomic_load_n(&conn->receiver, __ATOMIC_ACQUIRE) == NULL;
}

bool async_get_call_timeout(ipc_call_t *call, uint64_t usec)
{
	async_conn_t *conn = current_conn();
	uint64_t deadline = usec != 0 ? fibril_deadline(usec) : 0;
	spinlock_lock(&async_lock);
	for (;;) {
		link_t *l = list_first(&conn->queue);
		if (l != NULL) {
			list_remove(l);
			conn_call_t *cc = list_get_instance(l, conn_call_t, link);
			*call = cc->call;
			list_append(l, &conn->free_calls);
			break;
		}
		if (conn->hungup) {
			*call = (ipc_call_t){
			    .kind = IPC_EVENT_REQUEST,
			    .label = conn->label,
			    .task_id = conn->client != NULL ? conn->client->task_id : 0,
			};
			break;
		}
		/* Not counted in async_blocked: a connection counts as serving
		 * (async_serving_locked()) for as long as its fibril runs. */
		conn->receiver = call;
		spinlock_unlock(&async_lock);
		errno_t rc = fibril_wait_until(&conn->event, deadline);
		if (rc == EOK && conn_delivered(conn))
			return true; /* the usual case: no second hold of the lock */
		spinlock_lock(&async_lock);
		bool delivered = conn->receiver == NULL;
		conn->receiver = NULL;
		if (delivered)
			break;
		if (rc == ETIMEOUT && list_empty(&conn->queue) && !conn->hungup) {
			spinlock_unlock(&async_lock);
			return false;
		}
	}
	spinlock_unlock(&async_lock);
	return true;
}

bool async_get_call(ipc_call_t *call)
{
	return async_get_call_timeout(call, 0);
}

errno_t async_answer_payload(ipc_call_t *call, ipc_payload_t *answer)
{
	if (call->cap == CAP_NULL)
		return EOK; /* needs no answer (method 0, a callback's stand-in) */
	if (call->cap == ASYNC_CALL_ANSWERED)
		return EINVAL;
	/* A user method's answer to a call not yet answered cannot fail in the
	 * kernel's processing: the runner may send it with its next wait. */
	errno_t rc = EBUSY;
	if (call->imethod > IPC_M_LAST_SYSTEM)
		rc = fibril_defer_answer(call->cap, answer);
	if (rc == EBUSY)
		rc = ipc_answer(call->cap, answer);
	call->cap = ASYNC_CALL_ANSWERED;
	return rc;
}

errno_t async_answer_args(
    ipc_call_t *call, errno_t retval, const sysarg_t args[IPC_CALL_ARGS])
{
	/* The usual case, a user method's first answer: straight into the
	 * runner's slot for its next wait, with no payload built here. */
	if (call->cap != CAP_NULL && call->cap != ASYNC_CALL_ANSWERED &&
	    call->imethod > IPC_M_LAST_SYSTEM) {
		errno_t rc = fibril_defer_answer_args(call->cap, (sysarg_t) retval, args);
		if (rc != EBUSY) {
			call->cap = ASYNC_CALL_ANSWERED;
			return rc;
		}
	}
	ipc_payload_t answer = {.method = (sysarg_t) retval};
	__builtin_memcpy(answer.args, args, sizeof(answer.args));
	return async_answer_payload(call, &answer);
}

void async_serve(ipc_call_t *icall, async_call_handler_t handle, void *arg)
{
	async_serve_withholding(icall, 0, handle, arg);
}

void async_serve_withholding(
    ipc_call_t *icall, cap_rights_t withheld, async_call_handler_t handle, void *arg)
{
	DISCARD(answer, async_accept_withholding(icall, withheld));
	async_serve_more(handle, arg);
}

void async_refuse_call(ipc_call_t *call, void *arg)
{
	DISCARD(answer, async_answer_0(call, ENOTSUP));
}

void async_serve_more(async_call_handler_t handle, void *arg)
{
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			return;
		handle(&call, arg);
	}
}

sysarg_t async_get_label(void)
{
	return current_conn()->label;
}

errno_t async_accept_0(ipc_call_t *call)
{
	return async_accept_withholding(call, 0);
}

errno_t async_accept_withholding(ipc_call_t *call, cap_rights_t withheld)
{
	async_conn_t *conn = current_conn();
	const sysarg_t args[IPC_CALL_ARGS] = {0, 0, 0, withheld, conn->label};
	return async_answer_args(call, EOK, args);
}

errno_t async_forward_args(ipc_call_t *call, async_exch_t *exch, sysarg_t imethod,
    const sysarg_t args[IPC_CALL_ARGS], unsigned mode)
{
	if (call->cap == CAP_NULL || call->cap == ASYNC_CALL_ANSWERED || exch == NULL)
		return EINVAL;
	ipc_payload_t rewrite = {.method = imethod};
	memcpy(rewrite.args, args, sizeof(rewrite.args));
	if (imethod != 0)
		mode |= IPC_FF_REWRITE;
	errno_t rc = ipc_forward(call->cap, exch->phone->cap, &rewrite, mode);
	if (rc == EOK || rc == EHANGUP)
		call->cap =
		    ASYNC_CALL_ANSWERED; /* gone: the caller gets the answer (or EFORWARD) */
	return rc;
}

errno_t async_create_port(
    iface_t iface, async_port_handler_t handler, void *data, port_id_t *port_id)
{
	async_init();
	async_port_t *p = malloc(sizeof(*p));
	if (p == NULL)
		return ENOMEM;
	link_initialize(&p->link);
	p->iface = iface;
	p->handler = handler;
	p->data = data;
	spinlock_lock(&async_lock);
	list_append(&p->link, &ports);
	port_count++;
	async_may_serve = true;
	spinlock_unlock(&async_lock);
	if (port_id != NULL)
		*port_id = (port_id_t) p;
	return EOK;
}

void async_set_fallback_port_handler(async_port_handler_t handler, void *data)
{
	async_init();
	spinlock_lock(&async_lock);
	fallback_handler = handler;
	fallback_data = data;
	async_may_serve = true;
	spinlock_unlock(&async_lock);
}

void async_set_hangup_handler(async_hangup_handler_t handler, void *data)
{
	async_init();
	spinlock_lock(&async_lock);
	hangup_handler = handler;
	hangup_data = data;
	async_may_serve = true;
	spinlock_unlock(&async_lock);
}

errno_t async_create_callback_port(async_exch_t *exch, iface_t iface, sysarg_t arg1,
    sysarg_t arg2, async_port_handler_t handler, void *data, port_id_t *port_id)
{
	async_init();
	const ipc_call_t icall = {
	    .kind = IPC_EVENT_REQUEST,
	    .imethod = IPC_M_CONNECT_TO_ME,
	    .args = {iface, arg1, arg2},
	};
	spinlock_lock(&async_lock);
	async_conn_t *conn = conn_create_locked(NULL, handler, data, &icall, false);
	spinlock_unlock(&async_lock);
	if (conn == NULL)
		return ENOMEM;
	const sysarg_t args[IPC_CALL_ARGS] = {iface, arg1, arg2, conn->label};
	ipc_call_t answer;
	errno_t rc = async_req_call(exch, IPC_M_CONNECT_TO_ME, args, &answer);
	if (rc != EOK) {
		spinlock_lock(&async_lock);
		conn_destroy_locked(conn);
		spinlock_unlock(&async_lock);
		return rc;
	}
	if (port_id != NULL)
		*port_id = conn->label;
	fibril_add_ready(conn->fibril);
	return EOK;
}

_Noreturn void async_manager(void)
{
	async_init();
	fibril_exit(EOK);
}

void async_set_client_data_constructor(async_client_data_ctor_t ctor)
{
	client_ctor = ctor;
}

void async_set_client_data_destructor(async_client_data_dtor_t dtor)
{
	client_dtor = dtor;
}

void *async_get_client_data(void)
{
	async_conn_t *conn = current_conn();
	spinlock_lock(&async_lock);
	void *data = conn->client != NULL ? conn->client->data : NULL;
	spinlock_unlock(&async_lock);
	return data;
}

async_sess_t *async_clone_receive(exch_mgmt_t mgmt)
{
	ipc_call_t call;
	async_get_call(&call);
	const sysarg_t none[IPC_CALL_ARGS] = {0};
	if (call.imethod != IPC_M_CONNECTION_CLONE || call.args[0] == CAP_NULL) {
		DISCARD(answer, async_answer_args(&call, EINVAL, none));
		return NULL;
	}
	async_sess_t *sess = async_session_make(mgmt, call.args[0], true);
	errno_t rc = async_answer_args(&call, sess != NULL ? EOK : ENOMEM, none);
	if (sess != NULL && rc != EOK) {
		DISCARD(cleanup, async_hangup(sess));
		return NULL;
	}
	return sess;
}
