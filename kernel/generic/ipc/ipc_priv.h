/*
 * What the IPC core (ipc.c) shares with its fast path (fastpath.c) and with
 * nobody else.
 */
#ifndef KERN_IPC_PRIV_H
#define KERN_IPC_PRIV_H

#include <arch/ipc_regs.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <panic.h>
#include <proc/task.h>
#include <proc/thread.h>

/** Counts @a delta spare calls parked in threads' caches (on this CPU's
 *  counter; ipc_cached_call_count() sums them). */
static inline void calls_cached_add(int64_t delta)
{
	__atomic_add_fetch(&CPU->calls_cached, delta, __ATOMIC_RELAXED);
}

/** A call id no other call has had: this CPU's next number, with the CPU's
 *  index in the low six bits (CPU_MAX <= 64). Taken when a call is first
 *  logged (ipc_call_id), never 0. */
static inline uint64_t call_id_next(void)
{
	cpu_t *cpu = CPU;
	return (__atomic_add_fetch(&cpu->call_seq, 1, __ATOMIC_RELAXED) << 6) | cpu->id;
}

/** Takes @a t's spare call (uninitialised), which it has. */
static inline call_t *call_take_spare(thread_t *t)
{
	call_t *call = t->cached_call;
	t->cached_call = NULL;
	calls_cached_add(-1);
	return call;
}

/** Takes @a t's spare call, if it has one (uninitialised). */
static inline call_t *call_take_cached(thread_t *t)
{
	return t->cached_call != NULL ? call_take_spare(t) : NULL;
}

/** Parks user-method @a call (destroyed, its system-method state clean) as
 *  @a t's spare one; t's cache is empty. */
static inline void call_cache_put(thread_t *t, call_t *call)
{
	t->cached_call = call;
	calls_cached_add(1);
}

/** Counts a call sent through @a phone (its lock held, the limit checked). */
static inline void phone_charge_locked(phone_t *phone)
{
	__atomic_add_fetch(&phone->active_calls, 1, __ATOMIC_RELAXED);
}

/** Uncounts an answered call of @a phone, without its lock: an answer only
 *  lowers the count, so the limit check under the lock stays safe. */
static inline void phone_uncharge(phone_t *phone)
{
	__atomic_sub_fetch(&phone->active_calls, 1, __ATOMIC_RELAXED);
}

/** How many calls of @a phone are unanswered now. */
static inline size_t phone_active_calls(const phone_t *phone)
{
	return __atomic_load_n(&phone->active_calls, __ATOMIC_RELAXED);
}

/** A call's kobject destructor (its last reference went). */
void call_destroy(kobject_t *obj);

/** Zeroes @a call's system-method state (buffer ... share_flags). */
static inline void call_clear_system_state(call_t *call)
{
	__builtin_memset(&call->buffer, 0, sizeof(*call) - offsetof(call_t, buffer));
}

/** Makes @a call a fresh request @a data from @a sender: one reference (the
 *  flight's), no id yet (ipc_call_id), everything else cleared. @a call is a thread's spare
 *  one or has had call_clear_system_state(): its system-method state is
 *  zero already (only the hooks of system methods write it, and call_free
 *  clears it before a call of theirs goes to a thread's cache). Inline: the
 *  fast path's request set-up then writes each field once. */
static inline void call_init(call_t *call, const ipc_data_t *data, task_t *sender)
{
	kobject_init(&call->kobj, KOBJECT_CALL, call_destroy);
	link_initialize(&call->link);
	call->flags = 0;
	call->data = *data;
	call->request_method = data->method;
	call->ops = ipc_method_ops(data->method);
	call->request_label = 0;
	call->answer_label = 0;
	task_get(sender);
	call->sender = sender;
	call->caller_box = NULL;
	call->waiter = NULL;
	call->sync = CALL_SYNC_NONE;
	call->phone = NULL;
	call->id = 0;
}

/** Destroys @a call (its last reference is gone), keeping it in @a t's
 *  cache for t's next send when that is empty. */
void call_destroy_into(call_t *call, thread_t *t);

/** A method (or return value) and its arguments into R1..R6 of @a s. */
static inline void ipc_payload_to_regs(
    sysarg_t method, const sysarg_t args[IPC_CALL_ARGS], ipc_regs_t *s)
{
	IPC_R1(s) = method;
	IPC_R2(s) = args[0];
	IPC_R3(s) = args[1];
	IPC_R4(s) = args[2];
	IPC_R5(s) = args[3];
	IPC_R6(s) = args[4];
}

/** Payload @a d into R1..R6 of @a s. */
static inline void ipc_data_to_regs(const ipc_data_t *d, ipc_regs_t *s)
{
	ipc_payload_to_regs(d->method, d->args, s);
}

/** Fills @a ev with @a call's payload and the given identification. */
static inline void ipc_event_fill(ipc_event_t *ev, sysarg_t kind, const call_t *call,
    sysarg_t label, cap_handle_t cap, uint64_t task_id)
{
	ev->kind = (uint32_t) kind;
	ev->seq = 0;
	ev->imethod = call->data.method;
	__builtin_memcpy(ev->args, call->data.args, sizeof(ev->args));
	ev->label = label;
	ev->cap = cap;
	ev->task_id = task_id;
}

/** Event @a ev into the saved registers @a s (R0..R9, abi/syscall.h). */
static inline void ipc_event_to_regs(const ipc_event_t *ev, ipc_regs_t *s)
{
	IPC_R0(s) = ev->kind | (sysarg_t) ev->seq << 32;
	ipc_payload_to_regs(ev->imethod, ev->args, s);
	IPC_R7(s) = ev->label;
	IPC_R8(s) = ev->cap;
	IPC_R9(s) = ev->task_id;
}

/** ipc_call_wait and ipc_answer_wait without trying the fast path: for the
 *  system calls, whose entry has tried it already (sysipc.c). */
errno_t ipc_call_wait_general(cap_handle_t phone_h, const ipc_data_t *data,
    sysarg_t label, uint64_t timeout_ns, unsigned flags, ipc_event_t *ev);
errno_t ipc_answer_wait_general(cap_handle_t call_h, ipc_data_t *answer,
    uint64_t timeout_ns, unsigned flags, ipc_event_t *ev);

/** The rest of ipc_forward once every check passed: @a call, taken out of
 *  @a self's table (the capability's reference dropped, the flight's
 *  left), goes on through @a phone (handle @a phone_h; the caller's
 *  reference to it is consumed) as @a mode says. EOK, or EHANGUP when the
 *  phone or its box is gone (the call then answered with EFORWARD). */
errno_t ipc_forward_taken(task_t *self, call_t *call, phone_t *phone,
    cap_handle_t phone_h, const ipc_data_t *rewrite, unsigned mode);

/** Whether @a box is active and has nothing waiting to be taken (box
 *  locked): one word, box->pending. The test builds (CONFIG_LOCKDEP) check
 *  it against the lists and pokes it counts and the active flag; the
 *  benchmark's kernel does not. */
static inline bool box_quiet(const answerbox_t *box)
{
	assert_hot(((box->pending & ~BOX_PENDING_CLOSED) == 0) ==
	    (list_empty(&box->calls) && list_empty(&box->answers) &&
		list_empty(&box->notifications) && box->pokes == 0));
	assert_hot(!(box->pending & BOX_PENDING_CLOSED) == box->active);
	return box->pending == 0;
}

/** An answerer's claim on @a call's waiter (call_t.sync): true if the
 *  waiter still waits; it then stays, and its thread with it, until the
 *  answer is set under its ipc_wq lock. */
static inline bool call_claim_waiter(call_t *call)
{
	unsigned w = CALL_SYNC_WAITING;
	return __atomic_compare_exchange_n(&call->sync, &w, CALL_SYNC_DELIVERING, false,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/** Gives back a claim that could not be used (the general path answers). */
static inline void call_unclaim_waiter(call_t *call)
{
	__atomic_store_n(&call->sync, CALL_SYNC_WAITING, __ATOMIC_RELEASE);
}

/** The waiter gives up (under its ipc_wq lock): true if no answerer holds
 *  a claim, so the answer will go to the box; false if one does: the
 *  answer is on its way and must be waited for. */
static inline bool call_release_waiter(call_t *call)
{
	unsigned w = CALL_SYNC_WAITING;
	return __atomic_compare_exchange_n(
	    &call->sync, &w, CALL_SYNC_NONE, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

#endif
