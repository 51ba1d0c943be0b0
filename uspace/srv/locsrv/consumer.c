/*
 * Consumers: queries of the registry, blocking lookups held until their
 * service appears (state lock), and the category-change callbacks, which
 * the notifier fibril calls with `cb_lock` held and the state lock not
 * held, so a slow consumer delays only other consumers' events.
 */
#include "locsrv.h"
#include <fibril.h>
#include <fibril_synch.h>
#include <stdlib.h>
#include <string.h>

#define LOC_FQN_MAX (2 * LOC_NAME_MAX + 2) /* "ns/name" and its NUL */

/** A LOC_SERVICE_GET_ID waiting for its service. */
typedef struct {
	link_t link; /* held */
	ipc_call_t call;
	char *fqn;
	loc_conn_t *conn;
} loc_held_t;

/** A consumer's category-change callback. */
typedef struct {
	link_t link; /* callbacks */
	async_sess_t *sess;
	loc_conn_t *conn;
} loc_callback_t;

static list_t held = LIST_INITIALIZER(held); /* state lock */
static size_t held_count;

static FIBRIL_MUTEX_INITIALIZE(cb_lock);
static list_t callbacks = LIST_INITIALIZER(callbacks); /* cb_lock */
static size_t callback_count;
static fibril_event_t notify_event = FIBRIL_EVENT_INIT;

/*
 * Lookups by name.
 */

/** Finds @a name (the call's args[0] @a flags and args[1] @a wanted) in the
 *  registry; the lock is held. */
typedef errno_t (*lookup_fn_t)(
    const char *name, sysarg_t flags, sysarg_t wanted, sysarg_t *id);

static errno_t lookup_service(
    const char *name, sysarg_t flags, sysarg_t wanted, sysarg_t *id)
{
	return loc_registry_service_lookup(&loc_registry, name, id);
}

static errno_t lookup_category(
    const char *name, sysarg_t flags, sysarg_t wanted, sysarg_t *id)
{
	bool create = (flags & LOC_FLAG_BLOCKING) != 0;
	return loc_registry_category_get(&loc_registry, name, create, wanted, id);
}

static errno_t lookup_namespace(
    const char *name, sysarg_t flags, sysarg_t wanted, sysarg_t *id)
{
	return loc_registry_ns_lookup(&loc_registry, name, id);
}

/** Holds @a call for @a fqn (which it then owns); the lock is held. */
static errno_t held_add(loc_conn_t *conn, ipc_call_t *call, char *fqn)
{
	if (held_count >= LOC_HELD_MAX)
		return ELIMIT;
	loc_held_t *h = malloc(sizeof(*h));
	if (h == NULL)
		return ENOMEM;
	h->call = *call;
	/* The copy answers it; the framework must not answer the original. */
	call->cap = CAP_NULL;
	h->fqn = fqn;
	h->conn = conn;
	list_append(&h->link, &held);
	held_count++;
	return EOK;
}

static void held_answer(loc_held_t *h, errno_t rc, sysarg_t id)
{
	loc_answer(&h->call, rc, id);
	list_remove(&h->link);
	held_count--;
	free(h->fqn);
	free(h);
}

void loc_held_flush(void)
{
	link_t *l = list_first(&held);
	while (l != NULL) {
		link_t *next = list_next(l, &held);
		loc_held_t *h = list_get_instance(l, loc_held_t, link);
		loc_id_t id;
		if (loc_registry_service_lookup(&loc_registry, h->fqn, &id) == EOK)
			held_answer(h, EOK, id);
		l = next;
	}
}

/** Receives a name, looks it up with @a fn and answers (or holds a
 *  blocking service lookup whose service is not there yet). */
static void name_lookup(loc_conn_t *conn, ipc_call_t *call, lookup_fn_t fn)
{
	char *name;
	errno_t rc = loc_name_receive(&name);
	if (rc != EOK) {
		loc_answer(call, rc, 0);
		return;
	}
	sysarg_t flags = call->args[0], id = 0;
	loc_lock();
	rc = fn(name, flags, call->args[1], &id);
	bool hold = rc == ENOENT && fn == lookup_service &&
	    (flags & LOC_FLAG_BLOCKING) != 0;
	if (hold)
		rc = held_add(conn, call, name);
	loc_unlock();
	if (!hold || rc != EOK) {
		free(name);
		loc_answer(call, rc, id);
	}
}

/*
 * Calls answered with a data read.
 */

/** Fills @a buf (@a size bytes) for @a call; *@a len gets the bytes to
 *  send, *@a result the answer's argument. The lock is held. */
typedef errno_t (*fill_fn_t)(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result);

/** Takes the data read that follows @a call, fills it with @a fill and
 *  answers both. */
static void read_reply(ipc_call_t *call, fill_fn_t fill)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive(&rcall, &size)) {
		loc_answer(&rcall, EINVAL, 0);
		loc_answer(call, EINVAL, 0);
		return;
	}
	if (size > IPC_DATA_MAX)
		size = IPC_DATA_MAX;
	void *buf = malloc(size > 0 ? size : 1);
	errno_t rc = buf != NULL ? EOK : ENOMEM;
	size_t len = 0;
	sysarg_t result = 0;
	if (rc == EOK) {
		loc_lock();
		rc = fill(call, buf, size, &len, &result);
		loc_unlock();
	}
	if (rc == EOK)
		rc = async_data_read_finalize(&rcall, buf, len);
	else
		loc_answer(&rcall, rc, 0);
	free(buf);
	loc_answer(call, rc, result);
}

/** Copies the string @a s with its NUL into @a buf, cut short to @a size
 *  (the client's buffer; its library ends the string). */
static size_t str_out(void *buf, size_t size, const char *s)
{
	size_t n = strlen(s) + 1;
	n = n < size ? n : size;
	memcpy(buf, s, n);
	return n;
}

static errno_t fill_service_name(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	loc_service_t *s = loc_registry_service_find(&loc_registry, call->args[0]);
	if (s == NULL)
		return ENOENT;
	char fqn[LOC_FQN_MAX];
	loc_service_fqn(s, fqn, sizeof(fqn));
	*len = str_out(buf, size, fqn);
	return EOK;
}

static errno_t fill_category_name(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	loc_category_t *c = loc_registry_category_find(&loc_registry, call->args[0]);
	if (c == NULL)
		return ENOENT;
	*len = str_out(buf, size, c->name);
	return EOK;
}

static errno_t fill_namespace_name(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	loc_namespace_t *ns = loc_registry_ns_find(&loc_registry, call->args[0]);
	if (ns == NULL)
		return ENOENT;
	*len = str_out(buf, size, ns->name);
	return EOK;
}

/** Sets the length of an id list of @a total ids in a @a size buffer. */
static void ids_out(size_t size, size_t total, size_t *len, sysarg_t *result)
{
	size_t max = size / sizeof(loc_id_t);
	*len = (total < max ? total : max) * sizeof(loc_id_t);
	*result = total;
}

static errno_t fill_services(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	size_t total = loc_registry_services(&loc_registry, buf, size / sizeof(loc_id_t));
	ids_out(size, total, len, result);
	return EOK;
}

static errno_t fill_namespaces(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	size_t total = loc_registry_namespaces(
	    &loc_registry, buf, size / sizeof(loc_id_t));
	ids_out(size, total, len, result);
	return EOK;
}

static errno_t fill_category_svcs(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	size_t total;
	errno_t rc = loc_registry_cat_services(
	    &loc_registry, call->args[0], buf, size / sizeof(loc_id_t), &total);
	if (rc == EOK)
		ids_out(size, total, len, result);
	return rc;
}

static errno_t fill_namespace_svcs(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	size_t total;
	errno_t rc = loc_registry_ns_services(
	    &loc_registry, call->args[0], buf, size / sizeof(loc_id_t), &total);
	if (rc == EOK)
		ids_out(size, total, len, result);
	return rc;
}

static void id_probe(ipc_call_t *call)
{
	loc_lock();
	loc_object_type_t type = loc_registry_probe(&loc_registry, call->args[0]);
	loc_unlock();
	loc_answer(call, EOK, type);
}

/*
 * Category-change callbacks.
 */

/** LOC_CALLBACK_CREATE, then CONNECT_TO_ME with the callback. */
static void callback_create(loc_conn_t *conn, ipc_call_t *call)
{
	ipc_call_t cb;
	async_get_call(&cb);
	if (cb.imethod != IPC_M_CONNECT_TO_ME) {
		loc_answer(&cb, EINVAL, 0);
		loc_answer(call, EINVAL, 0);
		return;
	}
	loc_callback_t *c = malloc(sizeof(*c));
	errno_t rc = c != NULL ? EOK : ENOMEM;
	fibril_mutex_lock(&cb_lock);
	if (rc == EOK && callback_count >= LOC_CALLBACKS_MAX)
		rc = ELIMIT;
	if (rc == EOK) {
		c->conn = conn;
		c->sess = async_callback_receive_start(EXCHANGE_ATOMIC, &cb);
		rc = c->sess != NULL ? EOK : ENOMEM;
	}
	if (rc == EOK) {
		list_append(&c->link, &callbacks);
		callback_count++;
	}
	fibril_mutex_unlock(&cb_lock);
	if (rc != EOK)
		free(c);
	loc_answer(&cb, rc, 0);
	loc_answer(call, rc, 0);
}

/** Unlinks and frees @a c; cb_lock is held. */
static void callback_drop(loc_callback_t *c)
{
	list_remove(&c->link);
	callback_count--;
	DISCARD(cleanup, async_hangup(c->sess)); /* EHANGUP when the consumer is gone */
	free(c);
}

/** Sends LOC_EVENT_CAT_CHANGE to @a c; cb_lock is held. */
static errno_t callback_send(loc_callback_t *c)
{
	async_exch_t *exch = async_exchange_begin(c->sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_msg_0(exch, LOC_EVENT_CAT_CHANGE);
	async_exchange_end(exch);
	return rc;
}

/** Tells every consumer that asked whenever a category changed. */
static errno_t notifier(void *arg)
{
	for (;;) {
		fibril_wait_for(&notify_event);
		fibril_mutex_lock(&cb_lock);
		link_t *l = list_first(&callbacks);
		while (l != NULL) {
			link_t *next = list_next(l, &callbacks);
			loc_callback_t *c = list_get_instance(l, loc_callback_t, link);
			if (callback_send(c) != EOK)
				callback_drop(c);
			l = next;
		}
		fibril_mutex_unlock(&cb_lock);
	}
	return EOK;
}

errno_t loc_notifier_start(void)
{
	fid_t f = fibril_create(notifier, NULL);
	if (f == NULL)
		return ENOMEM;
	fibril_detach(f);
	fibril_add_ready(f);
	return EOK;
}

void loc_notify_cat_change(void)
{
	fibril_notify(&notify_event);
}

/*
 * Dispatch and connection ends.
 */

bool loc_consumer_call(loc_conn_t *conn, ipc_call_t *call)
{
	switch (call->imethod) {
	case LOC_SERVICE_GET_ID:
		name_lookup(conn, call, lookup_service);
		return true;
	case LOC_CATEGORY_GET_ID:
		name_lookup(conn, call, lookup_category);
		return true;
	case LOC_NAMESPACE_GET_ID:
		name_lookup(conn, call, lookup_namespace);
		return true;
	case LOC_SERVICE_GET_NAME:
		read_reply(call, fill_service_name);
		return true;
	case LOC_CATEGORY_GET_NAME:
		read_reply(call, fill_category_name);
		return true;
	case LOC_NAMESPACE_GET_NAME:
		read_reply(call, fill_namespace_name);
		return true;
	case LOC_CATEGORY_GET_SVCS:
		read_reply(call, fill_category_svcs);
		return true;
	case LOC_NAMESPACE_GET_SVCS:
		read_reply(call, fill_namespace_svcs);
		return true;
	case LOC_GET_SERVICES:
		read_reply(call, fill_services);
		return true;
	case LOC_GET_NAMESPACES:
		read_reply(call, fill_namespaces);
		return true;
	case LOC_ID_PROBE:
		id_probe(call);
		return true;
	case LOC_CALLBACK_CREATE:
		callback_create(conn, call);
		return true;
	default:
		return false;
	}
}

void loc_consumer_end(loc_conn_t *conn)
{
	loc_lock();
	link_t *l = list_first(&held);
	while (l != NULL) {
		link_t *next = list_next(l, &held);
		loc_held_t *h = list_get_instance(l, loc_held_t, link);
		if (h->conn == conn)
			held_answer(h, EHANGUP, 0);
		l = next;
	}
	loc_unlock();
	fibril_mutex_lock(&cb_lock);
	l = list_first(&callbacks);
	while (l != NULL) {
		link_t *next = list_next(l, &callbacks);
		loc_callback_t *c = list_get_instance(l, loc_callback_t, link);
		if (c->conn == conn)
			callback_drop(c);
		l = next;
	}
	fibril_mutex_unlock(&cb_lock);
}
