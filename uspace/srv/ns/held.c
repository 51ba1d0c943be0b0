/*
 * Calls ns holds for a later answer: blocking connects (service.c) and task
 * waits (task.c). At most NS_HELD_MAX at a time, which bounds their memory
 * and the task records they keep. Guarded by the state lock.
 */
#include "ns.h"
#include <stdlib.h>

static size_t held_count;

errno_t ns_held_add(ipc_call_t *call, list_t *list)
{
	if (held_count >= NS_HELD_MAX)
		return ELIMIT;
	ns_held_t *held = malloc(sizeof(*held));
	if (held == NULL)
		return ENOMEM;
	held->call = *call;
	/* The copy answers it now; the framework must not answer the original
	 * (it would, with EHANGUP, when a connection's handler returns). */
	call->cap = CAP_NULL;
	list_append(&held->link, list);
	held_count++;
	return EOK;
}

void ns_held_free(ns_held_t *held)
{
	list_remove(&held->link);
	held_count--;
	free(held);
}

void ns_held_answer(ns_held_t *held, errno_t rc, const sysarg_t *args)
{
	ns_answer(&held->call, rc, args);
	ns_held_free(held);
}

size_t ns_held_drop_caller(list_t *list, task_id_t caller)
{
	size_t dropped = 0;
	link_t *l = list_first(list);
	while (l != NULL) {
		link_t *next = list_next(l, list);
		ns_held_t *held = list_get_instance(l, ns_held_t, link);
		if (held->call.task_id == caller) {
			ns_held_answer(held, EHANGUP, NULL);
			dropped++;
		}
		l = next;
	}
	return dropped;
}
