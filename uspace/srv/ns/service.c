/*
 * The service registry: which server takes connections for a service id,
 * per interface or as the service's broker, and the connects held until
 * one registers (blocking ones, and those for a service started on demand,
 * demand.c). Guarded by the state lock (ns.h).
 *
 * A service has either one broker or registrations for distinct interfaces;
 * its record exists while it has a registration. A registration lasts until
 * its server's task ends or a forward to it fails (the server is gone); a
 * dropped registration's session is hung up after the lock is released
 * (ns_unlock).
 *
 * A forward to a server that is gone fails in the kernel, which then answers
 * the client EFORWARD itself (the call is consumed): ns cannot answer ENOENT
 * instead, so the client sees EFORWARD and ns drops the registration. This
 * happens only while the server's end is on its way to ns: ns applies every
 * end that reached it before handling a request.
 */
#include "ns.h"
#include <common/adt/hash_table.h>
#include <stdlib.h>

#define SERVICE_BUCKETS 64

typedef struct {
	link_t hash_link; /* services */
	service_id_t id;
	list_t regs; /* ns_reg_t: one broker, or one per interface; never empty */
} ns_service_t;

typedef struct {
	link_t service_link; /* its service's regs, or dropped */
	link_t all_link;     /* all_regs */
	ns_service_t *service;
	bool broker;
	iface_t iface; /* unless a broker */
	task_id_t task;
	async_sess_t *sess;
} ns_reg_t;

static hash_table_t services;
static list_t service_buckets[SERVICE_BUCKETS];
static list_t all_regs = LIST_INITIALIZER(all_regs);
static size_t reg_count;
static list_t dropped = LIST_INITIALIZER(dropped); /* ns_reg_t to hang up */
static list_t held_connects = LIST_INITIALIZER(held_connects);

static uint64_t service_hash(const link_t *item)
{
	return hash_mix64(list_get_instance(item, ns_service_t, hash_link)->id);
}

static uint64_t service_key_hash(const void *key)
{
	return hash_mix64(*(const service_id_t *) key);
}

static bool service_key_equal(const void *key, const link_t *item)
{
	return list_get_instance(item, ns_service_t, hash_link)->id ==
	    *(const service_id_t *) key;
}

static const hash_table_ops_t service_ops = {
    .hash = service_hash,
    .key_hash = service_key_hash,
    .key_equal = service_key_equal,
};

void ns_service_init(void)
{
	hash_table_init(&services, &service_ops, service_buckets, SERVICE_BUCKETS);
}

static ns_service_t *service_find(service_id_t id)
{
	link_t *l = hash_table_find(&services, &id);
	return l != NULL ? list_get_instance(l, ns_service_t, hash_link) : NULL;
}

/** The registration of @a s that takes connections for @a iface. */
static ns_reg_t *reg_find_in(ns_service_t *s, iface_t iface)
{
	list_foreach (s->regs, service_link, ns_reg_t, reg) {
		if (reg->broker || reg->iface == iface)
			return reg;
	}
	return NULL;
}

static ns_reg_t *reg_find(service_id_t id, iface_t iface)
{
	ns_service_t *s = service_find(id);
	return s != NULL ? reg_find_in(s, iface) : NULL;
}

/** The record of service @a id, made (without registrations) if new; NULL
 *  when out of memory. */
static ns_service_t *service_get(service_id_t id)
{
	ns_service_t *s = service_find(id);
	if (s != NULL)
		return s;
	s = malloc(sizeof(*s));
	if (s == NULL)
		return NULL;
	s->id = id;
	list_initialize(&s->regs);
	hash_table_insert(&services, &s->hash_link);
	return s;
}

/** Frees @a s once it has no registrations. */
static void service_maybe_free(ns_service_t *s)
{
	if (!list_empty(&s->regs))
		return;
	hash_table_remove_item(&services, &s->hash_link);
	free(s);
}

/** Unlinks @a reg (its session is hung up at ns_unlock). */
static void reg_drop(ns_reg_t *reg)
{
	list_remove(&reg->service_link);
	list_remove(&reg->all_link);
	reg_count--;
	service_maybe_free(reg->service);
	list_append(&reg->service_link, &dropped);
}

void ns_service_take_dropped(list_t *out)
{
	link_t *l;
	while ((l = list_first(&dropped)) != NULL) {
		list_remove(l);
		list_append(l, out);
	}
}

void ns_service_free_dropped(list_t *list)
{
	link_t *l;
	while ((l = list_first(list)) != NULL) {
		list_remove(l);
		ns_reg_t *reg = list_get_instance(l, ns_reg_t, service_link);
		/* EHANGUP is expected: the server is gone. */
		DISCARD(cleanup, async_hangup(reg->sess));
		free(reg);
	}
}

/** Passes the connect @a call on to @a reg's server, arguments intact. */
static void connect_forward(ipc_call_t *call, ns_reg_t *reg)
{
	const sysarg_t none[IPC_CALL_ARGS] = {0};
	async_exch_t *exch = async_exchange_begin(reg->sess);
	errno_t rc = exch != NULL ? async_forward_args(call, exch, 0, none, 0) : ENOMEM;
	if (exch != NULL)
		async_exchange_end(exch);
	if (rc == EHANGUP)
		reg_drop(reg); /* the kernel answered the client EFORWARD */
	else if (rc != EOK)
		ns_answer(call, rc, NULL);
}

static bool connect_wants(const ipc_call_t *call, const ns_reg_t *reg)
{
	return call->args[1] == reg->service->id &&
	    (reg->broker || call->args[0] == reg->iface);
}

/** Forwards the held connects @a reg takes, while it stays registered. */
static void held_flush(ns_reg_t *reg)
{
	link_t *l = list_first(&held_connects);
	while (l != NULL && link_in_use(&reg->all_link)) {
		link_t *next = list_next(l, &held_connects);
		ns_held_t *held = list_get_instance(l, ns_held_t, link);
		if (connect_wants(&held->call, reg)) {
			connect_forward(&held->call, reg);
			ns_held_free(held);
		}
		l = next;
	}
}

void ns_service_connect(ipc_call_t *call)
{
	iface_t iface = call->args[0];
	service_id_t id = call->args[1];
	bool blocking = (call->args[3] & IPC_FLAG_BLOCKING) != 0;
	ns_reg_t *reg = reg_find(id, iface);
	if (reg != NULL) {
		connect_forward(call, reg);
		return;
	}
	/* Service 0 is never registered: waiting for it would be forever. A
	 * service started on demand is waited for until its start is done. */
	bool on_demand = id != 0 && ns_demand_want(id);
	errno_t rc = (blocking && id != 0) || on_demand
	    ? ns_held_add(call, &held_connects)
	    : ENOENT;
	if (rc != EOK)
		ns_answer(call, rc, NULL);
}

void ns_service_fail_held(service_id_t id, errno_t rc)
{
	link_t *l = list_first(&held_connects);
	while (l != NULL) {
		link_t *next = list_next(l, &held_connects);
		ns_held_t *held = list_get_instance(l, ns_held_t, link);
		if (held->call.args[1] == id)
			ns_held_answer(held, rc, NULL);
		l = next;
	}
}

/** Decodes a registration: EINVAL, EEXIST or ELIMIT, or EOK. */
static errno_t reg_check(service_id_t id, iface_t iface, bool broker, sysarg_t flags)
{
	if (id == 0 || (flags & ~(sysarg_t) NS_REGISTER_BROKER) != 0)
		return EINVAL;
	ns_service_t *s = service_find(id);
	if (s != NULL && (broker || reg_find_in(s, iface) != NULL))
		return EEXIST;
	return reg_count < NS_SERVICES_MAX ? EOK : ELIMIT;
}

/** Adds a registration of @a s for the CONNECT_TO_ME @a call, with the
 *  callback session it brings; NULL when out of memory. */
static ns_reg_t *reg_add(ns_service_t *s, ipc_call_t *call, bool broker)
{
	ns_reg_t *reg = malloc(sizeof(*reg));
	if (reg == NULL)
		return NULL;
	reg->sess = async_callback_receive_start(EXCHANGE_ATOMIC, call);
	if (reg->sess == NULL) {
		free(reg);
		return NULL;
	}
	reg->service = s;
	reg->broker = broker;
	reg->iface = broker ? 0 : call->args[0];
	reg->task = call->task_id;
	list_append(&reg->service_link, &s->regs);
	list_append(&reg->all_link, &all_regs);
	reg_count++;
	return reg;
}

void ns_service_register(ipc_call_t *call)
{
	bool broker = (call->args[2] & NS_REGISTER_BROKER) != 0;
	errno_t rc = reg_check(call->args[1], call->args[0], broker, call->args[2]);
	if (rc != EOK) {
		ns_answer(call, rc, NULL); /* the kernel revokes the callback phone */
		return;
	}
	ns_service_t *s = service_get(call->args[1]);
	ns_reg_t *reg = s != NULL ? reg_add(s, call, broker) : NULL;
	if (reg == NULL) {
		if (s != NULL)
			service_maybe_free(s);
		ns_answer(call, ENOMEM, NULL);
		return;
	}
	if (ns_answer(call, EOK, NULL) != EOK) {
		reg_drop(reg);
		return;
	}
	held_flush(reg);
}

void ns_service_task_ended(task_id_t id)
{
	link_t *l = list_first(&all_regs);
	while (l != NULL) {
		link_t *next = list_next(l, &all_regs);
		ns_reg_t *reg = list_get_instance(l, ns_reg_t, all_link);
		if (reg->task == id)
			reg_drop(reg);
		l = next;
	}
	ns_held_drop_caller(&held_connects, id);
}
