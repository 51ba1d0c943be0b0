/*
 * ns: the naming service, the first task; every other task's phone 1 reaches
 * it (protocol: abi/ns.h; the parts: ns.h).
 *
 * Calls through phone 1 arrive in each client task's implicit connection and
 * are handled one at a time, in order, each under the state lock; a
 * CONNECT_ME_TO starts a connection of its own. No handler waits for an
 * event: what cannot be answered at once is held (held.c) and answered by
 * whoever makes it true.
 *
 * Task ends. The manager calls ns_hangup() for every phone-1 hang-up; a task
 * that ended goes on the `ends` queue (spinlock `ends_lock`), which is
 * applied whenever the state lock is taken. So every request that reads or
 * changes state (all but NS_PING) is handled after the ends that reached ns
 * before it, and the worker fibril applies
 * ends when no request comes. A task's registrations are dropped before its
 * waiters are answered, and the calls it left held are answered (to no one)
 * and freed. Calls still queued from a task whose end was applied are
 * answered EHANGUP and leave no state behind.
 */
#include "ns.h"
#include <fibril.h>
#include <fibril_synch.h>
#include <spinlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <getopt.h>

#define USAGE "(a server; the kernel starts it first)"

/** A task end, from the manager to the state. */
typedef struct {
	link_t link;
	task_id_t id;
	task_exit_t exit;
} ns_end_t;

static FIBRIL_MUTEX_INITIALIZE(state_lock);

static spinlock_t ends_lock = SPINLOCK_INITIALIZER;
static list_t ends = LIST_INITIALIZER(ends); /* ns_end_t, in arrival order */
static unsigned ends_lost;		     /* no memory for the record */

static fibril_event_t worker_event = FIBRIL_EVENT_INIT;

errno_t ns_answer(ipc_call_t *call, errno_t rc, const sysarg_t *args)
{
	const sysarg_t none[IPC_CALL_ARGS] = {0};
	errno_t arc = async_answer_args(call, rc, args != NULL ? args : none);
	if (arc != EOK)
		printf("ns: cannot answer method %lu: %s\n",
		    (unsigned long) call->imethod, strerror(arc));
	return arc;
}

/** The manager's hang-up handler (async_set_hangup_handler): queues the end
 *  of a task that ended. Must not block. */
static void ns_hangup(const ipc_call_t *call, void *arg)
{
	if (call->args[1] == 0)
		return; /* a plain hang-up: the task lives on */
	ns_end_t *end = malloc(sizeof(*end));
	spinlock_lock(&ends_lock);
	if (end != NULL) {
		end->id = call->task_id;
		end->exit = (task_exit_t){
		    .how = (int) call->args[1],
		    .status = (int) (uint32_t) call->args[2],
		    .fault_addr = call->args[3],
		};
		list_append(&end->link, &ends);
	} else {
		ends_lost++;
	}
	spinlock_unlock(&ends_lock);
	fibril_notify(&worker_event);
}

/** The next queued end, or NULL. */
static ns_end_t *end_take(void)
{
	spinlock_lock(&ends_lock);
	link_t *l = list_first(&ends);
	if (l != NULL)
		list_remove(l);
	spinlock_unlock(&ends_lock);
	return l != NULL ? list_get_instance(l, ns_end_t, link) : NULL;
}

/** Applies the queued ends; the state lock is held. */
static void ends_apply(void)
{
	ns_end_t *end;
	while ((end = end_take()) != NULL) {
		ns_service_task_ended(end->id);
		ns_demand_task_ended(end->id);
		ns_task_ended(end->id, &end->exit);
		free(end);
	}
}

void ns_lock(void)
{
	fibril_mutex_lock(&state_lock);
	ends_apply();
}

void ns_take_queued_ends(void)
{
	/* ns has one runner (main's): draining cannot fail (ENOTSUP). */
	errno_t rc = fibril_ipc_drain();
	if (rc != EOK)
		printf("ns: cannot take the queued events: %s\n", strerror(rc));
	ends_apply();
}

void ns_unlock(void)
{
	list_t dropped;
	list_initialize(&dropped);
	ns_service_take_dropped(&dropped);
	fibril_mutex_unlock(&state_lock);
	ns_service_free_dropped(&dropped);
}

/** Reports ends lost for want of memory (their waiters are not answered). */
static void ends_report_lost(void)
{
	spinlock_lock(&ends_lock);
	unsigned lost = ends_lost;
	ends_lost = 0;
	spinlock_unlock(&ends_lock);
	if (lost > 0)
		printf("ns: out of memory, lost the end of %u task(s)\n", lost);
}

/** Applies task ends when no request does. */
static errno_t ns_worker(void *arg)
{
	for (;;) {
		ns_lock();
		ns_unlock();
		ends_report_lost();
		fibril_wait_for(&worker_event);
	}
	return EOK;
}

/** Handles one call of a client; the state lock is held. */
static void ns_dispatch(ipc_call_t *call)
{
	if (ns_task_has_ended(call->task_id)) {
		ns_answer(call, EHANGUP, NULL); /* queued before its end */
		return;
	}
	switch (call->imethod) {
	case IPC_M_CONNECT_TO_ME:
		ns_service_register(call);
		break;
	case IPC_M_CONNECT_ME_TO:
		ns_service_connect(call);
		break;
	case NS_TASK_RETVAL:
		ns_task_retval(call);
		break;
	case NS_TASK_WAIT:
		ns_task_wait(call);
		break;
	case NS_DEMAND_SET:
		ns_demand_set(call);
		break;
	case NS_DEMAND_WAIT:
		ns_demand_wait(call);
		break;
	case NS_DEMAND_DONE:
		ns_demand_done(call);
		break;
	default:
		ns_answer(call, ENOTSUP, NULL);
		break;
	}
}

static void ns_handle(ipc_call_t *call)
{
	/* A ping reads and changes no state, so it needs neither the state
	 * lock nor the ends before it: answered at once (to a task that has
	 * ended, the answer reaches no one). */
	if (call->imethod == NS_PING) {
		ns_answer(call, EOK, NULL);
		return;
	}
	ns_lock();
	ns_dispatch(call);
	ns_unlock();
}

/** A client's phone-1 calls (its implicit connection), or a CONNECT_ME_TO,
 *  which arrives as a connection of its own. */
static void ns_client(ipc_call_t *icall, void *arg)
{
	if (icall->imethod == IPC_M_CONNECT_ME_TO) {
		ns_handle(icall);
		return;
	}
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			return; /* the client hung up phone 1 */
		ns_handle(&call);
	}
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	ns_service_init();
	ns_task_init();
	fid_t worker = fibril_create(ns_worker, NULL);
	if (worker == NULL) {
		printf("ns: cannot start: out of memory\n");
		return 1;
	}
	fibril_detach(worker);
	async_set_hangup_handler(ns_hangup, NULL);
	async_set_fallback_port_handler(ns_client, NULL);
	fibril_add_ready(worker);
	printf("ns: naming service started\n");
	async_manager();
}
