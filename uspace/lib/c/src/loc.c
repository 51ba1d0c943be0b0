/*
 * Location-service client calls (loc.h). The two sessions are made on
 * first use under `sess_lock` and kept; calls on them are exchanges of
 * their own (EXCHANGE_SERIALIZE: one at a time per session, so a blocking
 * lookup holds up the task's other consumer calls until it is answered).
 *
 * A restarted locsrv starts empty. Each task remembers what it registered
 * (its server name, its services with their ids and categories) and the
 * categories it learned the ids of; when locsrv goes (a call answered
 * EHANGUP, or the end of the supplier or consumer callback) the session is
 * dropped, the next call connects to the new locsrv through ns, and
 * `loc_recover()` registers everything again asking for the old ids, which
 * the new locsrv grants when free (abi/loc.h), so ids saved by anyone stay
 * valid. Lock order: reg_lock, then sess_lock.
 */
#include <fibril.h>
#include <fibril_synch.h>
#include <loc.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Connects to a locsrv whose end ns has not applied yet fail: tries, and
 * the pause between them (5 s in all). */
#define CONNECT_TRIES	 500
#define CONNECT_PAUSE_US 10000
#define SERVICE_CATS_MAX 16 /* categories remembered per service */

typedef struct {
	async_sess_t *sess;
	iface_t iface;
} loc_session_t;

/** A service this task registered. */
typedef struct {
	link_t link; /* regs */
	char *fqn;
	loc_id_t id;
	size_t ncats;
	category_id_t cats[SERVICE_CATS_MAX];
} loc_reg_t;

/** A category this task learned the id of. */
typedef struct {
	link_t link; /* cats */
	char *name;
	category_id_t id;
} loc_cat_t;

static FIBRIL_MUTEX_INITIALIZE(sess_lock);
static loc_session_t supplier = {.iface = LOC_IFACE_SUPPLIER};
static loc_session_t consumer = {.iface = LOC_IFACE_CONSUMER};

/* Guarded by reg_lock. */
static FIBRIL_MUTEX_INITIALIZE(reg_lock);
static list_t regs = LIST_INITIALIZER(regs);
static list_t cats = LIST_INITIALIZER(cats);
static char *server_name; /* non-NULL once registered */

static void (*cat_change_cb)(void *);
static void *cat_change_arg;
static bool callback_made;

/** A session to locsrv for @a iface, waiting for one to register; one
 *  that is gone (ns has yet to see its end) is tried again. */
static async_sess_t *loc_connect(iface_t iface, errno_t *rc)
{
	for (int i = 0; i < CONNECT_TRIES; i++) {
		async_sess_t *sess = service_connect_blocking(
		    service_id_from_name(LOC_SERVICE_NAME), iface, 0, rc);
		if (sess != NULL || (*rc != EFORWARD && *rc != EHANGUP))
			return sess;
		fibril_usleep(CONNECT_PAUSE_US);
	}
	return NULL;
}

/** An exchange on @a s, connecting first if need be (the session in
 *  *@a sess); NULL: *@a rc says. */
static async_exch_t *loc_begin(loc_session_t *s, async_sess_t **sess, errno_t *rc)
{
	fibril_mutex_lock(&sess_lock);
	if (s->sess == NULL)
		s->sess = loc_connect(s->iface, rc);
	*sess = s->sess;
	fibril_mutex_unlock(&sess_lock);
	if (*sess == NULL)
		return NULL;
	async_exch_t *exch = async_exchange_begin(*sess);
	*rc = exch != NULL ? EOK : ENOMEM;
	return exch;
}

/** Drops @a sess from @a s if it is still its session (locsrv went): the
 *  next exchange connects anew. Whether it was. */
static bool loc_drop(loc_session_t *s, async_sess_t *sess)
{
	fibril_mutex_lock(&sess_lock);
	bool ours = s->sess == sess && sess != NULL;
	if (ours)
		s->sess = NULL;
	fibril_mutex_unlock(&sess_lock);
	/* EBUSY while another fibril's exchange is open: the session stays
	 * (its phone is hung up by the kernel when the task ends). */
	if (ours)
		DISCARD(cleanup, async_hangup(sess));
	return ours;
}

typedef enum { LOC_PLAIN, LOC_WRITE, LOC_READ } loc_req_kind_t;

/** One request: @a method (@a a1, @a a2), with @a wbuf written (LOC_WRITE)
 *  or @a rbuf read (LOC_READ; may be NULL with size 0), -> (*@a out). */
typedef struct {
	loc_req_kind_t kind;
	sysarg_t method, a1, a2;
	const void *wbuf;
	void *rbuf;
	size_t size;
	sysarg_t *out;
} loc_req_t;

static errno_t loc_req_on(async_exch_t *exch, const loc_req_t *q)
{
	if (q->kind == LOC_WRITE)
		return async_req_write(
		    exch, q->method, q->a1, q->a2, q->wbuf, q->size, q->out);
	if (q->kind == LOC_READ)
		return async_req_read(
		    exch, q->method, q->a1, q->a2, q->rbuf, q->size, NULL, q->out);
	return async_req_2_1(exch, q->method, q->a1, q->a2, q->out);
}

static void loc_recover(async_sess_t *dead);

/** @a q on @a s. A consumer call answered EHANGUP (locsrv went) is made
 *  once more on a new session; a supplier call after the task registered
 *  everything again. */
static errno_t loc_req(loc_session_t *s, const loc_req_t *q)
{
	errno_t rc = EOK;
	for (int tries = 0; tries < 2; tries++) {
		async_sess_t *sess;
		async_exch_t *exch = loc_begin(s, &sess, &rc);
		if (exch == NULL)
			return rc;
		rc = loc_req_on(exch, q);
		async_exchange_end(exch);
		if (rc != EHANGUP)
			return rc;
		if (s == &supplier)
			loc_recover(sess);
		else
			DISCARD(best_effort, loc_drop(s, sess));
	}
	return rc;
}

/** @a method (@a arg) + W @a name -> (*@a out). */
static errno_t name_req(
    loc_session_t *s, sysarg_t method, sysarg_t arg, const char *name, sysarg_t *out)
{
	return loc_req(s,
	    &(loc_req_t){.kind = LOC_WRITE,
		.method = method,
		.a1 = arg,
		.wbuf = name,
		.size = strlen(name),
		.out = out});
}

/** @a method (@a arg) + R up to @a size bytes into @a buf -> (*@a out). */
static errno_t read_req(loc_session_t *s, sysarg_t method, sysarg_t arg, void *buf,
    size_t size, sysarg_t *out)
{
	return loc_req(s,
	    &(loc_req_t){.kind = LOC_READ,
		.method = method,
		.a1 = arg,
		.rbuf = buf,
		.size = size,
		.out = out});
}

/** @a method (@a a1, @a a2) -> (*@a out). */
static errno_t plain_req(
    loc_session_t *s, sysarg_t method, sysarg_t a1, sysarg_t a2, sysarg_t *out)
{
	return loc_req(s, &(loc_req_t){.method = method, .a1 = a1, .a2 = a2, .out = out});
}

/** A name read into @a buf, always NUL-terminated. */
static errno_t name_read(sysarg_t method, sysarg_t id, char *buf, size_t size)
{
	if (size == 0)
		return EINVAL;
	errno_t rc = read_req(&consumer, method, id, buf, size - 1, NULL);
	buf[rc == EOK ? size - 1 : 0] = '\0';
	return rc;
}

/** An id list: the first @a max into @a ids, the total in *@a count. */
static errno_t ids_read(
    sysarg_t method, sysarg_t arg, loc_id_t *ids, size_t max, size_t *count)
{
	if (max > IPC_DATA_MAX / sizeof(loc_id_t))
		max = IPC_DATA_MAX / sizeof(loc_id_t);
	sysarg_t total = 0;
	errno_t rc = read_req(
	    &consumer, method, arg, ids, max * sizeof(loc_id_t), &total);
	*count = rc == EOK ? total : 0;
	return rc;
}

/*
 * What this task registered, kept for a new locsrv.
 */

/** The record of service @a id; reg_lock held. */
static loc_reg_t *reg_find(loc_id_t id)
{
	list_foreach (regs, link, loc_reg_t, r) {
		if (r->id == id)
			return r;
	}
	return NULL;
}

/** Remembers that category @a name has id @a id (best effort: without
 *  memory it is asked for without a wish after a restart). */
static void cat_remember(const char *name, category_id_t id)
{
	fibril_mutex_lock(&reg_lock);
	bool known = false;
	list_foreach (cats, link, loc_cat_t, c) {
		if (strcmp(c->name, name) == 0) {
			c->id = id;
			known = true;
		}
	}
	loc_cat_t *c = known ? NULL : malloc(sizeof(*c));
	char *copy = c != NULL ? strdup(name) : NULL;
	if (c != NULL && copy != NULL) {
		c->name = copy;
		c->id = id;
		list_append(&c->link, &cats);
	} else {
		free(c);
	}
	fibril_mutex_unlock(&reg_lock);
}

/** LOC_CATEGORY_GET_ID of @a name asking for id @a wanted (0: none). */
static errno_t cat_get_id(
    const char *name, unsigned flags, category_id_t wanted, category_id_t *id)
{
	return loc_req(&consumer,
	    &(loc_req_t){.kind = LOC_WRITE,
		.method = LOC_CATEGORY_GET_ID,
		.a1 = flags,
		.a2 = wanted,
		.wbuf = name,
		.size = strlen(name),
		.out = id});
}

/** Makes every remembered category again with its old id; reg_lock held.
 *  One that comes back with another id is renamed in the services' lists. */
static void cats_reclaim(void)
{
	list_foreach (cats, link, loc_cat_t, c) {
		category_id_t id;
		if (cat_get_id(c->name, LOC_FLAG_BLOCKING, c->id, &id) != EOK ||
		    id == c->id)
			continue;
		list_foreach (regs, link, loc_reg_t, r) {
			for (size_t i = 0; i < r->ncats; i++)
				r->cats[i] = r->cats[i] == c->id ? id : r->cats[i];
		}
		c->id = id;
	}
}

/*
 * Suppliers.
 */

static void supplier_callback(ipc_call_t *icall, void *arg);

/** LOC_SERVER_REGISTER + W @a name + CONNECT_TO_ME on @a exch; the
 *  callback's end (locsrv went) makes the task register again. */
static errno_t server_register_on(
    async_exch_t *exch, async_sess_t *sess, const char *name)
{
	async_step_data_t w = {.buf = (void *) name, .size = strlen(name)};
	async_step_callback_t cb = {LOC_IFACE_SUPPLIER, supplier_callback, sess};
	const async_step_t steps[] = {{async_step_write, &w}, {async_step_callback, &cb}};
	const sysarg_t args[IPC_CALL_ARGS] = {0};
	return async_req_steps(exch, LOC_SERVER_REGISTER, args, steps, 2, NULL);
}

/** A supplier request on @a exch: @a q. */
static errno_t supplier_req_on(async_exch_t *exch, loc_req_t q)
{
	return loc_req_on(exch, &q);
}

/** Registers service @a r again on @a exch with its old id and categories. */
static errno_t reg_again(async_exch_t *exch, loc_reg_t *r)
{
	loc_id_t id = 0;
	errno_t rc = supplier_req_on(exch,
	    (loc_req_t){.kind = LOC_WRITE,
		.method = LOC_SERVICE_REGISTER,
		.a1 = r->id,
		.wbuf = r->fqn,
		.size = strlen(r->fqn),
		.out = &id});
	if (rc != EOK)
		return rc;
	r->id = id; /* the old one unless it was taken */
	for (size_t i = 0; i < r->ncats && rc == EOK; i++)
		rc = supplier_req_on(exch,
		    (loc_req_t){
			.method = LOC_SERVICE_ADD_TO_CAT, .a1 = r->id, .a2 = r->cats[i]});
	return rc;
}

/** Registers the server and its services on a new session; reg_lock held. */
static errno_t supplier_again(void)
{
	async_sess_t *sess;
	errno_t rc;
	async_exch_t *exch = loc_begin(&supplier, &sess, &rc);
	if (exch == NULL)
		return rc;
	rc = server_register_on(exch, sess, server_name);
	list_foreach (regs, link, loc_reg_t, r) {
		if (rc == EOK)
			rc = reg_again(exch, r);
	}
	async_exchange_end(exch);
	return rc;
}

/** Locsrv went while @a dead was the supplier session: unless that was
 *  seen already, connects to the new one and registers everything again. */
static void loc_recover(async_sess_t *dead)
{
	fibril_mutex_lock(&reg_lock);
	if (server_name != NULL && loc_drop(&supplier, dead)) {
		cats_reclaim();
		errno_t rc = supplier_again();
		if (rc != EOK)
			printf("loc: cannot register %s again: %s\n", server_name,
			    strerror(rc));
	}
	fibril_mutex_unlock(&reg_lock);
}

/** The callback connection itself carries no calls: connects through it
 *  start connections of their own (the fallback handler). Its end is
 *  locsrv's (@a arg: the supplier session it was made on). */
static void supplier_callback(ipc_call_t *icall, void *arg)
{
	async_serve_more(async_refuse_call, NULL);
	loc_recover(arg);
}

errno_t loc_server_register(const char *name, async_port_handler_t handler, void *data)
{
	char *copy = strdup(name);
	if (copy == NULL)
		return ENOMEM;
	fibril_mutex_lock(&reg_lock);
	errno_t rc = EEXIST;
	if (server_name == NULL) {
		async_set_fallback_port_handler(handler, data);
		async_sess_t *sess;
		async_exch_t *exch = loc_begin(&supplier, &sess, &rc);
		if (exch != NULL) {
			rc = server_register_on(exch, sess, name);
			async_exchange_end(exch);
		}
	}
	if (rc == EOK)
		server_name = copy;
	else
		free(copy);
	fibril_mutex_unlock(&reg_lock);
	return rc;
}

errno_t loc_service_register(const char *fqn, loc_id_t *id)
{
	loc_reg_t *r = malloc(sizeof(*r));
	char *copy = strdup(fqn);
	if (r == NULL || copy == NULL) {
		free(r);
		free(copy);
		return ENOMEM;
	}
	errno_t rc = name_req(&supplier, LOC_SERVICE_REGISTER, 0, fqn, id);
	if (rc != EOK) {
		free(r);
		free(copy);
		return rc;
	}
	*r = (loc_reg_t){.fqn = copy, .id = *id};
	fibril_mutex_lock(&reg_lock);
	list_append(&r->link, &regs);
	fibril_mutex_unlock(&reg_lock);
	return EOK;
}

errno_t loc_service_unregister(loc_id_t id)
{
	errno_t rc = plain_req(&supplier, LOC_SERVICE_UNREGISTER, id, 0, NULL);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&reg_lock);
	loc_reg_t *r = reg_find(id);
	if (r != NULL) {
		list_remove(&r->link);
		free(r->fqn);
		free(r);
	}
	fibril_mutex_unlock(&reg_lock);
	return EOK;
}

errno_t loc_service_add_to_cat(loc_id_t id, category_id_t cat)
{
	errno_t rc = plain_req(&supplier, LOC_SERVICE_ADD_TO_CAT, id, cat, NULL);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&reg_lock);
	loc_reg_t *r = reg_find(id);
	if (r != NULL && r->ncats < SERVICE_CATS_MAX)
		r->cats[r->ncats++] = cat;
	fibril_mutex_unlock(&reg_lock);
	return EOK;
}

/*
 * Consumers.
 */

errno_t loc_service_get_id(const char *fqn, loc_id_t *id, unsigned flags)
{
	return name_req(&consumer, LOC_SERVICE_GET_ID, flags, fqn, id);
}

errno_t loc_service_get_name(loc_id_t id, char *buf, size_t size)
{
	return name_read(LOC_SERVICE_GET_NAME, id, buf, size);
}

errno_t loc_category_get_id(const char *name, category_id_t *id, unsigned flags)
{
	errno_t rc = cat_get_id(name, flags, 0, id);
	if (rc == EOK)
		cat_remember(name, *id);
	return rc;
}

errno_t loc_category_get_name(category_id_t id, char *buf, size_t size)
{
	return name_read(LOC_CATEGORY_GET_NAME, id, buf, size);
}

errno_t loc_category_get_svcs(category_id_t cat, loc_id_t *ids, size_t max, size_t *count)
{
	return ids_read(LOC_CATEGORY_GET_SVCS, cat, ids, max, count);
}

errno_t loc_get_services(loc_id_t *ids, size_t max, size_t *count)
{
	return ids_read(LOC_GET_SERVICES, 0, ids, max, count);
}

/** Runs the callback for each LOC_EVENT_CAT_CHANGE locsrv sends. */
static void consumer_call(ipc_call_t *call, void *arg)
{
	bool event = call->imethod == LOC_EVENT_CAT_CHANGE;
	DISCARD(answer, async_answer_0(call, event ? EOK : ENOTSUP));
	void (*cb)(void *) = cat_change_cb;
	if (event && cb != NULL)
		cb(cat_change_arg);
}

static void consumer_callback(ipc_call_t *icall, void *arg);

/** LOC_CALLBACK_CREATE + CONNECT_TO_ME on the consumer session. */
static errno_t callback_create(void)
{
	async_sess_t *sess;
	errno_t rc;
	async_exch_t *exch = loc_begin(&consumer, &sess, &rc);
	if (exch == NULL)
		return rc;
	async_step_callback_t offer = {LOC_IFACE_CONSUMER, consumer_callback, sess};
	const async_step_t step = {async_step_callback, &offer};
	const sysarg_t args[IPC_CALL_ARGS] = {0};
	rc = async_req_steps(exch, LOC_CALLBACK_CREATE, args, &step, 1, NULL);
	async_exchange_end(exch);
	return rc;
}

/** The callback's end is locsrv's (@a arg: the consumer session it was
 *  made on): the callback is made again with the new locsrv, once the
 *  task's categories have their ids again, and the function run once, as
 *  anything may have changed meanwhile. */
static void consumer_callback(ipc_call_t *icall, void *arg)
{
	async_serve_more(consumer_call, NULL);
	DISCARD(best_effort, loc_drop(&consumer, arg));
	fibril_mutex_lock(&reg_lock);
	cats_reclaim();
	fibril_mutex_unlock(&reg_lock);
	errno_t rc = callback_create();
	if (rc != EOK) {
		printf("loc: cannot watch categories again: %s\n", strerror(rc));
		return;
	}
	void (*cb)(void *) = cat_change_cb;
	if (cb != NULL)
		cb(cat_change_arg);
}

errno_t loc_register_cat_change_cb(void (*cb)(void *), void *arg)
{
	cat_change_arg = arg;
	cat_change_cb = cb;
	if (callback_made)
		return EOK;
	errno_t rc = callback_create();
	callback_made = rc == EOK;
	return rc;
}

async_sess_t *loc_service_connect(loc_id_t id, iface_t iface, errno_t *rc)
{
	return service_connect(service_id_from_name(LOC_SERVICE_NAME), iface, id, rc);
}

/*
 * Namespaces.
 */

errno_t loc_namespace_get_id(const char *name, loc_id_t *id)
{
	return name_req(&consumer, LOC_NAMESPACE_GET_ID, 0, name, id);
}

errno_t loc_namespace_get_name(loc_id_t id, char *buf, size_t size)
{
	return name_read(LOC_NAMESPACE_GET_NAME, id, buf, size);
}

errno_t loc_get_namespaces(loc_id_t *ids, size_t max, size_t *count)
{
	return ids_read(LOC_GET_NAMESPACES, 0, ids, max, count);
}

errno_t loc_namespace_get_svcs(loc_id_t ns, loc_id_t *ids, size_t max, size_t *count)
{
	return ids_read(LOC_NAMESPACE_GET_SVCS, ns, ids, max, count);
}

errno_t loc_id_probe(loc_id_t id, loc_object_type_t *type)
{
	sysarg_t t = LOC_OBJECT_NONE;
	errno_t rc = plain_req(&consumer, LOC_ID_PROBE, id, 0, &t);
	*type = (loc_object_type_t) t;
	return rc;
}
