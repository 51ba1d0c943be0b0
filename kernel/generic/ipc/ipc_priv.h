/*
 * What the IPC core (ipc.c) shares with its fast path (fastpath.c) and with
 * nobody else.
 */
#ifndef KERN_IPC_PRIV_H
#define KERN_IPC_PRIV_H

#include <ipc/ipc.h>
#include <proc/thread.h>

extern uint64_t ipc_calls_cached; /* calls parked in threads' caches */

/** Takes @a t's spare call, if it has one (uninitialised). */
static inline call_t *call_take_cached(thread_t *t)
{
	call_t *call = t->cached_call;
	if (call != NULL) {
		t->cached_call = NULL;
		__atomic_sub_fetch(&ipc_calls_cached, 1, __ATOMIC_RELAXED);
	}
	return call;
}

/** Makes @a call a fresh request @a data from @a sender: one reference (the
 *  flight's), a new id, everything else cleared. */
void call_init(call_t *call, const ipc_data_t *data, struct task *sender);

/** Destroys @a call (its last reference is gone), keeping it in @a t's
 *  cache for t's next send when that is empty. */
void call_destroy_into(call_t *call, thread_t *t);

/** Whether @a box has nothing waiting to be taken (box locked). */
static inline bool box_quiet(const answerbox_t *box)
{
	return box->active && list_empty(&box->calls) && list_empty(&box->answers) &&
	    list_empty(&box->notifications) && box->pokes == 0;
}

#endif
