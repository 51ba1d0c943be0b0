/*
 * Task records: the value a task reported (NS_TASK_RETVAL), how it ended
 * (its phone-1 hang-up), and the NS_TASK_WAIT calls waiting for either.
 * Guarded by the state lock (ns.h).
 *
 * A record exists while one of these holds, and sits on the list named:
 *   - the task lives and reported a value              `living`
 *   - the task ended and no waiter has had the end     `kept` (the
 *     NS_EXITS_KEPT most recent; the oldest go first)
 *   - the task ended and a waiter had the end          `remembered` (the
 *     NS_ENDS_REMEMBERED most recent): the end is collected, further waits
 *     get ENOENT, and calls the task left queued get EHANGUP (ns.c)
 *   - the task lives and has waiters                   `waited` too
 * A record with waiters always belongs to a living task: an end answers
 * every waiter, whatever it waits for.
 *
 * A wait for a task ns has no record of, and which the kernel no longer
 * knows (or keeps only as a zombie), is answered at once: the kernel hangs
 * a task's phones up before it makes it a zombie, so its end, if it had one
 * for ns, is queued for ns already; ns takes what is queued
 * (ns_take_queued_ends) and looks again, then ENOENT. No clock decides it:
 * a busy ns on a loaded host once answered ENOENT to a wait whose end was
 * still queued when a 100 ms grace time ran out.
 */
#include "ns.h"
#include <assert.h>
#include <common/adt/hash_table.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TASK_BUCKETS   256
#define TASK_WAIT_ALL  (TASK_WAIT_EXIT | TASK_WAIT_RETVAL)
#define TASK_WAIT_OPTS TASK_WAIT_OBSERVE
#define LIST_UNLIMITED 0

/** A list of records with a count, trimmed from the front past @a max. */
typedef struct {
	list_t list;
	size_t count;
	size_t max; /* LIST_UNLIMITED: never trimmed */
} task_list_t;

typedef struct {
	link_t hash_link;   /* tasks */
	link_t list_link;   /* on `list` */
	link_t waited_link; /* waited, while it has waiters */
	task_list_t *list;  /* living, kept, remembered or NULL */
	task_id_t id;
	bool reported;
	bool ended;
	bool collected; /* a waiter had the end */
	sysarg_t value;
	task_exit_t exit;
	list_t waiters; /* ns_held_t: NS_TASK_WAIT, args[1] the flags */
} ns_task_t;

static hash_table_t tasks;
static list_t task_buckets[TASK_BUCKETS];
static task_list_t living = {LIST_INITIALIZER(living.list), 0, LIST_UNLIMITED};
static task_list_t kept = {LIST_INITIALIZER(kept.list), 0, NS_EXITS_KEPT};
static task_list_t remembered = {
    LIST_INITIALIZER(remembered.list), 0, NS_ENDS_REMEMBERED};
static list_t waited = LIST_INITIALIZER(waited);

static uint64_t task_hash(const link_t *item)
{
	return hash_mix64(list_get_instance(item, ns_task_t, hash_link)->id);
}

static uint64_t task_key_hash(const void *key)
{
	return hash_mix64(*(const task_id_t *) key);
}

static bool task_key_equal(const void *key, const link_t *item)
{
	return list_get_instance(item, ns_task_t, hash_link)->id ==
	    *(const task_id_t *) key;
}

static const hash_table_ops_t task_ops = {
    .hash = task_hash,
    .key_hash = task_key_hash,
    .key_equal = task_key_equal,
};

void ns_task_init(void)
{
	hash_table_init(&tasks, &task_ops, task_buckets, TASK_BUCKETS);
}

static ns_task_t *task_find(task_id_t id)
{
	link_t *l = hash_table_find(&tasks, &id);
	return l != NULL ? list_get_instance(l, ns_task_t, hash_link) : NULL;
}

static ns_task_t *task_create(task_id_t id)
{
	ns_task_t *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->id = id;
	link_initialize(&t->list_link);
	link_initialize(&t->waited_link);
	list_initialize(&t->waiters);
	hash_table_insert(&tasks, &t->hash_link);
	return t;
}

static void task_unfile(ns_task_t *t)
{
	if (t->list == NULL)
		return;
	list_remove(&t->list_link);
	t->list->count--;
	t->list = NULL;
}

/** Frees @a t, which has no waiters. */
static void task_free(ns_task_t *t)
{
	assert(list_empty(&t->waiters));
	task_unfile(t);
	list_remove(&t->waited_link);
	hash_table_remove_item(&tasks, &t->hash_link);
	free(t);
}

/** Puts @a t on @a list (off any other), dropping the oldest past the
 *  list's limit. */
static void task_file(ns_task_t *t, task_list_t *list)
{
	task_unfile(t);
	list_append(&t->list_link, &list->list);
	t->list = list;
	list->count++;
	if (list->max != LIST_UNLIMITED && list->count > list->max)
		task_free(
		    list_get_instance(list_first(&list->list), ns_task_t, list_link));
}

/** Keeps a living task's record while it has waiters or a value. */
static void task_settle(ns_task_t *t)
{
	if (!list_empty(&t->waiters)) {
		if (!link_in_use(&t->waited_link))
			list_append(&t->waited_link, &waited);
		return;
	}
	list_remove(&t->waited_link);
	if (!t->reported)
		task_free(t);
}

static bool task_ready(const ns_task_t *t, sysarg_t flags)
{
	return t->ended || ((flags & TASK_WAIT_RETVAL) != 0 && t->reported);
}

/** The NS_WAIT_* answer arguments for @a t as it is now. */
static void task_answer_args(const ns_task_t *t, sysarg_t args[IPC_CALL_ARGS])
{
	args[NS_WAIT_STATE] = (t->ended ? TASK_WAIT_EXIT : 0) |
	    (t->reported ? TASK_WAIT_RETVAL : 0);
	args[NS_WAIT_HOW] = t->ended ? (sysarg_t) t->exit.how : 0;
	args[NS_WAIT_STATUS] = t->ended ? (sysarg_t) (uint32_t) t->exit.status : 0;
	args[NS_WAIT_RETVAL] = t->reported ? t->value : 0;
	args[NS_WAIT_FAULT_ADDR] = t->ended ? t->exit.fault_addr : 0;
}

/** Answers the waiters of @a t whose wait is over. */
static void task_answer_ready(ns_task_t *t)
{
	sysarg_t args[IPC_CALL_ARGS];
	task_answer_args(t, args);
	link_t *l = list_first(&t->waiters);
	while (l != NULL) {
		link_t *next = list_next(l, &t->waiters);
		ns_held_t *held = list_get_instance(l, ns_held_t, link);
		if (task_ready(t, held->call.args[1])) {
			if (!(held->call.args[1] & TASK_WAIT_OBSERVE))
				t->collected = t->ended;
			ns_held_answer(held, EOK, args);
		}
		l = next;
	}
}

/** Frees records of living tasks that reported a value, have no waiters,
 *  and that the kernel no longer knows (their end never reached us). */
static void living_sweep(void)
{
	link_t *l = list_first(&living.list);
	while (l != NULL) {
		link_t *next = list_next(l, &living.list);
		ns_task_t *t = list_get_instance(l, ns_task_t, list_link);
		task_info_t info;
		if (list_empty(&t->waiters) && task_get_info(t->id, &info) == ENOENT)
			task_free(t);
		l = next;
	}
}

/** Records @a value as reported by living task @a t. */
static errno_t task_report(ns_task_t *t, sysarg_t value)
{
	if (!t->reported && living.count >= NS_LIVING_MAX) {
		living_sweep();
		if (living.count >= NS_LIVING_MAX)
			return ELIMIT;
	}
	t->reported = true;
	t->value = value;
	task_file(t, &living);
	return EOK;
}

void ns_task_retval(ipc_call_t *call)
{
	ns_task_t *t = task_find(call->task_id);
	if (t == NULL)
		t = task_create(call->task_id);
	errno_t rc = t != NULL ? task_report(t, call->args[0]) : ENOMEM;
	if (rc == EOK)
		task_answer_ready(t);
	ns_answer(call, rc, NULL);
	if (t != NULL)
		task_settle(t);
}

/** Whether the kernel still knows task @a id as living. */
static bool task_alive(task_id_t id)
{
	task_info_t info;
	errno_t rc = task_get_info(id, &info);
	/* The kernel hangs a task's phones up before it makes it a zombie: a
	 * zombie's end has reached us already, or is on its way. */
	return rc == EOK && !info.zombie;
}

/** The record of task @a id for a wait, of which ns knew nothing: made if
 *  the task lives; else NULL (*@a rc ENOENT: no end of it is queued for us
 *  either, so none will come) or the record its queued end made. */
static ns_task_t *task_for_wait(task_id_t id, errno_t *rc)
{
	*rc = ENOMEM;
	if (task_alive(id))
		return task_create(id);
	*rc = ENOENT;
	ns_take_queued_ends();
	return task_find(id);
}

/** Answers the wait @a call for @a t at once, the end included. */
static void task_answer_now(ipc_call_t *call, ns_task_t *t)
{
	sysarg_t args[IPC_CALL_ARGS];
	task_answer_args(t, args);
	bool observe = (call->args[1] & TASK_WAIT_OBSERVE) != 0;
	ns_answer(call, EOK, args);
	if (t->ended && !t->collected && !observe) {
		t->collected = true;
		task_file(t, &remembered);
	}
}

void ns_task_wait(ipc_call_t *call)
{
	task_id_t id = call->args[0];
	sysarg_t flags = call->args[1];
	if ((flags & TASK_WAIT_ALL) == 0 ||
	    (flags & ~(sysarg_t) (TASK_WAIT_ALL | TASK_WAIT_OPTS)) != 0) {
		ns_answer(call, EINVAL, NULL);
		return;
	}
	ns_task_t *t = task_find(id);
	errno_t rc = EOK;
	if (t == NULL && (t = task_for_wait(id, &rc)) == NULL) {
		ns_answer(call, rc, NULL);
		return;
	}
	if (t->collected) {
		ns_answer(call, ENOENT, NULL);
		return;
	}
	if (task_ready(t, flags)) {
		task_answer_now(call, t);
		return;
	}
	rc = ns_held_add(call, &t->waiters);
	if (rc != EOK)
		ns_answer(call, rc, NULL);
	task_settle(t);
}

/** Answers the waits task @a caller (which ended) made, to no one. */
static void task_drop_waits_of(task_id_t caller)
{
	link_t *l = list_first(&waited);
	while (l != NULL) {
		link_t *next = list_next(l, &waited);
		ns_task_t *t = list_get_instance(l, ns_task_t, waited_link);
		if (ns_held_drop_caller(&t->waiters, caller) > 0)
			task_settle(t);
		l = next;
	}
}

void ns_task_ended(task_id_t id, const task_exit_t *exit)
{
	task_drop_waits_of(id);
	ns_task_t *t = task_find(id);
	if (t != NULL && t->ended)
		return; /* a second phone-1 hang-up (a clone of it) */
	if (t == NULL && (t = task_create(id)) == NULL) {
		printf("ns: out of memory, lost the end of task %llu\n",
		    (unsigned long long) id);
		return;
	}
	t->ended = true;
	t->exit = *exit;
	task_answer_ready(t); /* every waiter: all are ready now */
	list_remove(&t->waited_link);
	task_file(t, t->collected ? &remembered : &kept);
}

bool ns_task_has_ended(task_id_t id)
{
	ns_task_t *t = task_find(id);
	return t != NULL && t->ended;
}
