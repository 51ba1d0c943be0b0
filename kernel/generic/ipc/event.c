/*
 * Kernel events as notifications: up to EVENT_SUBSCRIBERS_MAX subscribers
 * per event, so no task can take an event from the others (a further one
 * gets ELIMIT, a second subscription of the same task EEXIST). After each
 * delivery the event is masked for that subscriber until it unmasks it, so
 * a busy event cannot flood anyone.
 * Lock: events_lock (interrupts off: events are posted from any context).
 */
#include <ipc/irq.h>
#include <proc/task.h>

typedef struct {
	task_t *task; /* subscriber (referenced), NULL: a free slot */
	ipc_notif_t notif;
	bool masked;
} event_slot_t;

static event_slot_t events[EVENT_COUNT][EVENT_SUBSCRIBERS_MAX];
static spinlock_t events_lock = SPINLOCK_INITIALIZER("events", EVENTS);

/** @a task's slot of @a event, NULL if it has none. Lock held. */
static event_slot_t *slot_of(unsigned event, const task_t *task)
{
	for (unsigned i = 0; i < EVENT_SUBSCRIBERS_MAX; i++) {
		if (events[event][i].task == task)
			return &events[event][i];
	}
	return NULL;
}

errno_t event_subscribe(task_t *task, unsigned event, sysarg_t method)
{
	if (event >= EVENT_COUNT)
		return EINVAL;
	spinlock_lock(&events_lock);
	errno_t rc = EOK;
	event_slot_t *e = NULL;
	if (slot_of(event, task) != NULL)
		rc = EEXIST;
	else if ((e = slot_of(event, NULL)) == NULL)
		rc = ELIMIT;
	if (rc == EOK) {
		task_get(task);
		e->task = task;
		e->masked = false;
		ipc_notif_init(&e->notif, &task->box, method);
	}
	spinlock_unlock(&events_lock);
	return rc;
}

errno_t event_unmask(task_t *task, unsigned event)
{
	if (event >= EVENT_COUNT)
		return EINVAL;
	spinlock_lock(&events_lock);
	event_slot_t *e = slot_of(event, task);
	if (e != NULL)
		e->masked = false;
	spinlock_unlock(&events_lock);
	return e != NULL ? EOK : ENOENT;
}

void event_notify(unsigned event, sysarg_t a1, sysarg_t a2, sysarg_t a3)
{
	sysarg_t args[IPC_CALL_ARGS] = {a1, a2, a3};
	spinlock_lock(&events_lock);
	for (unsigned i = 0; i < EVENT_SUBSCRIBERS_MAX; i++) {
		event_slot_t *e = &events[event][i];
		if (e->task != NULL && !e->masked) {
			ipc_notif_post(&e->notif, args);
			e->masked = true;
		}
	}
	spinlock_unlock(&events_lock);
}

void event_task_cleanup(task_t *task)
{
	for (unsigned i = 0; i < EVENT_COUNT; i++) {
		spinlock_lock(&events_lock);
		event_slot_t *e = slot_of(i, task);
		if (e != NULL) {
			ipc_notif_detach(&e->notif);
			e->task = NULL;
		}
		spinlock_unlock(&events_lock);
		if (e != NULL)
			task_put(task);
	}
}
