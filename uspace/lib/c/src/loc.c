/*
 * Location-service client calls (loc.h). The two sessions are made on
 * first use under `sess_lock` and kept; calls on them are exchanges of
 * their own (EXCHANGE_SERIALIZE: one at a time per session, so a blocking
 * lookup holds up the task's other consumer calls until it is answered).
 */
#include <fibril_synch.h>
#include <loc.h>
#include <ns.h>
#include <string.h>

typedef struct {
	async_sess_t *sess;
	iface_t iface;
} loc_session_t;

static FIBRIL_MUTEX_INITIALIZE(sess_lock);
static loc_session_t supplier = {.iface = LOC_IFACE_SUPPLIER};
static loc_session_t consumer = {.iface = LOC_IFACE_CONSUMER};

static void (*cat_change_cb)(void *);
static void *cat_change_arg;
static bool server_registered, callback_made;

/** An exchange on @a s, connecting first if need be; NULL: *@a rc says. */
static async_exch_t *loc_begin(loc_session_t *s, errno_t *rc)
{
	fibril_mutex_lock(&sess_lock);
	if (s->sess == NULL)
		s->sess = service_connect_blocking(
		    service_id_from_name(LOC_SERVICE_NAME), s->iface, 0, rc);
	async_sess_t *sess = s->sess;
	fibril_mutex_unlock(&sess_lock);
	if (sess == NULL)
		return NULL;
	async_exch_t *exch = async_exchange_begin(sess);
	*rc = exch != NULL ? EOK : ENOMEM;
	return exch;
}

/** @a method (@a arg) + W @a name -> (*@a out). */
static errno_t name_req(
    loc_session_t *s, sysarg_t method, sysarg_t arg, const char *name, sysarg_t *out)
{
	errno_t rc;
	async_exch_t *exch = loc_begin(s, &rc);
	if (exch == NULL)
		return rc;
	rc = async_req_write(exch, method, arg, 0, name, strlen(name), out);
	async_exchange_end(exch);
	return rc;
}

/** @a method (@a arg) + R up to @a size bytes into @a buf -> (*@a out). */
static errno_t read_req(loc_session_t *s, sysarg_t method, sysarg_t arg, void *buf,
    size_t size, sysarg_t *out)
{
	errno_t rc;
	async_exch_t *exch = loc_begin(s, &rc);
	if (exch == NULL)
		return rc;
	rc = async_req_read(exch, method, arg, 0, buf, size, NULL, out);
	async_exchange_end(exch);
	return rc;
}

/** @a method (@a a1, @a a2) -> (*@a out). */
static errno_t plain_req(
    loc_session_t *s, sysarg_t method, sysarg_t a1, sysarg_t a2, sysarg_t *out)
{
	errno_t rc;
	async_exch_t *exch = loc_begin(s, &rc);
	if (exch == NULL)
		return rc;
	rc = async_req_2_1(exch, method, a1, a2, out);
	async_exchange_end(exch);
	return rc;
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
 * Suppliers.
 */

/** The callback connection itself carries no calls: connects through it
 *  start connections of their own (the fallback handler). */
static void supplier_callback(ipc_call_t *icall, void *arg)
{
	async_serve_more(async_refuse_call, NULL);
}

/** LOC_SERVER_REGISTER + W @a name + CONNECT_TO_ME on @a exch. */
static errno_t server_register_on(async_exch_t *exch, const char *name)
{
	async_step_data_t w = {.buf = (void *) name, .size = strlen(name)};
	async_step_callback_t cb = {LOC_IFACE_SUPPLIER, supplier_callback, NULL};
	const async_step_t steps[] = {{async_step_write, &w}, {async_step_callback, &cb}};
	const sysarg_t args[IPC_CALL_ARGS] = {0};
	return async_req_steps(exch, LOC_SERVER_REGISTER, args, steps, 2, NULL);
}

errno_t loc_server_register(const char *name, async_port_handler_t handler, void *data)
{
	if (server_registered)
		return EEXIST;
	async_set_fallback_port_handler(handler, data);
	errno_t rc;
	async_exch_t *exch = loc_begin(&supplier, &rc);
	if (exch == NULL)
		return rc;
	rc = server_register_on(exch, name);
	async_exchange_end(exch);
	server_registered = rc == EOK;
	return rc;
}

errno_t loc_service_register(const char *fqn, loc_id_t *id)
{
	return name_req(&supplier, LOC_SERVICE_REGISTER, 0, fqn, id);
}

errno_t loc_service_unregister(loc_id_t id)
{
	return plain_req(&supplier, LOC_SERVICE_UNREGISTER, id, 0, NULL);
}

errno_t loc_service_add_to_cat(loc_id_t id, category_id_t cat)
{
	return plain_req(&supplier, LOC_SERVICE_ADD_TO_CAT, id, cat, NULL);
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
	return name_req(&consumer, LOC_CATEGORY_GET_ID, flags, name, id);
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

static void consumer_callback(ipc_call_t *icall, void *arg)
{
	async_serve_more(consumer_call, NULL);
}

errno_t loc_register_cat_change_cb(void (*cb)(void *), void *arg)
{
	cat_change_arg = arg;
	cat_change_cb = cb;
	if (callback_made)
		return EOK;
	errno_t rc;
	async_exch_t *exch = loc_begin(&consumer, &rc);
	if (exch == NULL)
		return rc;
	async_step_callback_t offer = {LOC_IFACE_CONSUMER, consumer_callback, NULL};
	const async_step_t step = {async_step_callback, &offer};
	const sysarg_t args[IPC_CALL_ARGS] = {0};
	rc = async_req_steps(exch, LOC_CALLBACK_CREATE, args, &step, 1, NULL);
	async_exchange_end(exch);
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
