/*
 * Services started on demand (NS_DEMAND_*, abi/ns.h): a task, init, names
 * services it starts when a client first wants one. A connect to such a
 * service while no server is registered for it is held like a blocking one
 * (service.c) and the service is offered to its starter through the
 * starter's NS_DEMAND_WAIT; the starter starts the program, which registers
 * as any server does and so takes the held connects, and then reports the
 * start's outcome with NS_DEMAND_DONE: the connects still held for the
 * service (it did not register, or failed to start) are answered with the
 * start's error, or ENOENT, so no client waits for a server that never
 * comes. Guarded by the state lock (ns.h).
 *
 * Ownership: a record belongs to this file from NS_DEMAND_SET until its
 * starter's task ends (then its offers are void: the held connects for it
 * are answered ENOENT). A held NS_DEMAND_WAIT is on `waits` until a service
 * is offered through it or its caller ends.
 */
#include "ns.h"
#include <stdlib.h>

typedef enum {
	DEMAND_IDLE,	/* no client waits for a start */
	DEMAND_WANTED,	/* a client waits; not yet offered to the starter */
	DEMAND_OFFERED, /* offered; the starter has not reported it done */
} demand_state_t;

typedef struct {
	link_t link; /* demands */
	service_id_t service;
	task_id_t starter;
	demand_state_t state;
} ns_demand_t;

static list_t demands = LIST_INITIALIZER(demands);
static size_t demand_count;
static list_t waits = LIST_INITIALIZER(waits); /* held NS_DEMAND_WAIT calls */

static ns_demand_t *demand_find(service_id_t service)
{
	list_foreach (demands, link, ns_demand_t, d) {
		if (d->service == service)
			return d;
	}
	return NULL;
}

static ns_held_t *wait_of(task_id_t starter)
{
	list_foreach (waits, link, ns_held_t, held) {
		if (held->call.task_id == starter)
			return held;
	}
	return NULL;
}

/** Offers @a d to its starter if the starter waits. */
static void demand_offer(ns_demand_t *d)
{
	ns_held_t *wait = wait_of(d->starter);
	if (wait == NULL)
		return; /* offered at its next NS_DEMAND_WAIT */
	d->state = DEMAND_OFFERED;
	ns_held_answer(wait, EOK, (sysarg_t[IPC_CALL_ARGS]){d->service});
}

/** Decodes NS_DEMAND_SET: EINVAL, EEXIST (another starter) or ELIMIT. */
static errno_t demand_check(service_id_t service, task_id_t starter)
{
	if (service == 0)
		return EINVAL;
	ns_demand_t *d = demand_find(service);
	if (d != NULL && d->starter != starter)
		return EEXIST;
	return d != NULL || demand_count < NS_SERVICES_MAX ? EOK : ELIMIT;
}

void ns_demand_set(ipc_call_t *call)
{
	service_id_t service = call->args[0];
	errno_t rc = demand_check(service, call->task_id);
	if (rc != EOK || demand_find(service) != NULL) {
		ns_answer(call, rc, NULL); /* set already: EOK */
		return;
	}
	ns_demand_t *d = malloc(sizeof(*d));
	if (d == NULL) {
		ns_answer(call, ENOMEM, NULL);
		return;
	}
	d->service = service;
	d->starter = call->task_id;
	d->state = DEMAND_IDLE;
	list_append(&d->link, &demands);
	demand_count++;
	ns_answer(call, EOK, NULL);
}

/** Whether task @a starter starts any service on demand. */
static bool starts_any(task_id_t starter)
{
	list_foreach (demands, link, ns_demand_t, d) {
		if (d->starter == starter)
			return true;
	}
	return false;
}

void ns_demand_wait(ipc_call_t *call)
{
	if (!starts_any(call->task_id) || wait_of(call->task_id) != NULL) {
		ns_answer(call, starts_any(call->task_id) ? EBUSY : ENOENT, NULL);
		return;
	}
	errno_t rc = ns_held_add(call, &waits);
	if (rc != EOK) {
		ns_answer(call, rc, NULL);
		return;
	}
	list_foreach (demands, link, ns_demand_t, d) {
		if (d->starter == call->task_id && d->state == DEMAND_WANTED) {
			demand_offer(d);
			return;
		}
	}
}

void ns_demand_done(ipc_call_t *call)
{
	ns_demand_t *d = demand_find(call->args[0]);
	if (d == NULL || d->starter != call->task_id || d->state != DEMAND_OFFERED) {
		ns_answer(call, d == NULL ? ENOENT : EINVAL, NULL);
		return;
	}
	errno_t rc = (errno_t) call->args[1];
	d->state = DEMAND_IDLE;
	ns_service_fail_held(d->service, rc != EOK ? rc : ENOENT);
	ns_answer(call, EOK, NULL);
}

bool ns_demand_want(service_id_t service)
{
	ns_demand_t *d = demand_find(service);
	if (d == NULL)
		return false;
	if (d->state == DEMAND_IDLE) {
		d->state = DEMAND_WANTED;
		demand_offer(d);
	}
	return true;
}

void ns_demand_task_ended(task_id_t id)
{
	ns_held_drop_caller(&waits, id);
	link_t *l = list_first(&demands);
	while (l != NULL) {
		link_t *next = list_next(l, &demands);
		ns_demand_t *d = list_get_instance(l, ns_demand_t, link);
		if (d->starter == id) {
			ns_service_fail_held(d->service, ENOENT);
			list_remove(&d->link);
			demand_count--;
			free(d);
		}
		l = next;
	}
}
