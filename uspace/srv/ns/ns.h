/*
 * What the naming service's files share (protocol: abi/ns.h).
 *
 *   ns.c       main, the per-client dispatch, the state lock, the task ends
 *              the manager hands over and the worker fibril
 *   service.c  the service registry and the connect requests it holds
 *   task.c     task records: values reported, ends, NS_TASK_WAIT
 *   demand.c   services started on demand: NS_DEMAND_*
 *   held.c     calls held for a later answer
 *
 * Locking: all state is guarded by the state lock (ns_lock/ns_unlock), taken
 * once per request; everything done under it is non-blocking (answers and
 * forwards are single system calls). Only the queue of task ends filled by
 * the manager has a spinlock of its own (ns.c).
 *
 * Memory is bounded: at most NS_SERVICES_MAX registrations, NS_HELD_MAX held
 * calls (each keeps at most one task record alive), NS_EXITS_KEPT ends no one
 * has collected, NS_ENDS_REMEMBERED collected ones (their task ids only
 * matter) and NS_LIVING_MAX records of living tasks that reported a value.
 */
#ifndef NS_NS_H
#define NS_NS_H

#include <abi/ns.h>
#include <async.h>
#include <common/adt/list.h>
#include <task.h>

#define NS_SERVICES_MAX	   1024
#define NS_HELD_MAX	   4096
#define NS_ENDS_REMEMBERED 256
#define NS_LIVING_MAX	   4096

/*
 * ns.c
 */

/** Takes the state lock and applies the task ends that arrived before. */
void ns_lock(void);
/** Releases the state lock, then hangs up the sessions dropped under it. */
void ns_unlock(void);
/** Takes every event queued for ns in the kernel (hang-ups carrying task
 *  ends among them) and applies the ends; the state lock is held. */
void ns_take_queued_ends(void);
/** Answers @a call with @a rc and @a args (NULL: all 0) and returns the
 *  kernel's verdict; a failure is a bug of ours and is reported. Answers to
 *  callers that died go nowhere (and succeed). */
errno_t ns_answer(ipc_call_t *call, errno_t rc, const sysarg_t *args);

/*
 * held.c: a held call is copied out of the request; the copy is what gets
 * answered or forwarded later.
 */
typedef struct {
	link_t link; /* on its owner's list */
	ipc_call_t call;
} ns_held_t;

/** Holds @a call on @a list (it is no longer answered through @a call):
 *  ELIMIT past NS_HELD_MAX, ENOMEM; then the caller still answers it. */
errno_t ns_held_add(ipc_call_t *call, list_t *list);
/** Answers @a held and frees it. */
void ns_held_answer(ns_held_t *held, errno_t rc, const sysarg_t *args);
/** Frees @a held, whose call was answered or forwarded. */
void ns_held_free(ns_held_t *held);
/** Answers EHANGUP to the calls on @a list that task @a caller made (it
 *  ended: nobody receives them) and frees them; returns how many. */
size_t ns_held_drop_caller(list_t *list, task_id_t caller);

/*
 * service.c
 */
void ns_service_init(void);
/** CONNECT_TO_ME (iface, service, flags) through phone 1. */
void ns_service_register(ipc_call_t *call);
/** CONNECT_ME_TO (iface, service, arg, flags). */
void ns_service_connect(ipc_call_t *call);
/** Answers @a rc to every connect held for service @a id. */
void ns_service_fail_held(service_id_t id, errno_t rc);
/** Task @a id ended: its registrations and held connects go. */
void ns_service_task_ended(task_id_t id);
/** Moves the registrations dropped since the last call to @a out. */
void ns_service_take_dropped(list_t *out);
/** Hangs up and frees the registrations on @a list (without the lock). */
void ns_service_free_dropped(list_t *list);

/*
 * demand.c
 */
/** NS_DEMAND_SET (service) from the starter. */
void ns_demand_set(ipc_call_t *call);
/** NS_DEMAND_WAIT () from the starter. */
void ns_demand_wait(ipc_call_t *call);
/** NS_DEMAND_DONE (service, rc) from the starter. */
void ns_demand_done(ipc_call_t *call);
/** A client wants @a service, not registered: false if it is not started
 *  on demand; else its starter is asked to start it (once per start). */
bool ns_demand_want(service_id_t service);
/** Task @a id ended: the services it started on demand are no longer. */
void ns_demand_task_ended(task_id_t id);

/*
 * task.c
 */
void ns_task_init(void);
/** NS_TASK_RETVAL (value) from the caller. */
void ns_task_retval(ipc_call_t *call);
/** NS_TASK_WAIT (id, flags). */
void ns_task_wait(ipc_call_t *call);
/** Task @a id ended as @a exit says (its phone 1 hung up). */
void ns_task_ended(task_id_t id, const task_exit_t *exit);
/** Whether ns has seen task @a id end (recently: see NS_ENDS_REMEMBERED). */
bool ns_task_has_ended(task_id_t id);

#endif
