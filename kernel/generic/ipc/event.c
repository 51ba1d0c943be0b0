/*
 * Kernel events as notifications: one subscriber per event; after each
 * delivery the event is masked until the subscriber unmasks it, so a busy
 * event cannot flood its subscriber.
 * Lock: events_lock (interrupts off: events are posted from any context).
 */
#include <ipc/irq.h>
#include <proc/task.h>

typedef struct {
	task_t *task; /* subscriber (referenced), NULL: none */
	ipc_notif_t notif;
	bool masked;
} event_slot_t;

static event_slot_t events[EVENT_COUNT];
static spinlock_t events_lock = SPINLOCK_INITIALIZER("events", EVENTS);

errno_t event_subscribe(task_t *task, unsigned event, sysarg_t method)
{
	if (event >= EVENT_COUNT)
		return EINVAL;
	spinlock_lock(&events_lock);
	event_slot_t *e = &events[event];
	errno_t rc = e->task == NULL ? EOK : EEXIST;
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
	errno_t rc = events[event].task == task ? EOK : ENOENT;
	if (rc == EOK)
		events[event].masked = false;
	spinlock_unlock(&events_lock);
	return rc;
}

void event_notify(unsigned event, sysarg_t a1, sysarg_t a2, sysarg_t a3)
{
	spinlock_lock(&events_lock);
	event_slot_t *e = &events[event];
	if (e->task != NULL && !e->masked) {
		sysarg_t args[IPC_CALL_ARGS] = {a1, a2, a3};
		ipc_notif_post(&e->notif, args);
		e->masked = true;
	}
	spinlock_unlock(&events_lock);
}

void event_task_cleanup(task_t *task)
{
	for (unsigned i = 0; i < EVENT_COUNT; i++) {
		spinlock_lock(&events_lock);
		bool ours = events[i].task == task;
		if (ours) {
			ipc_notif_detach(&events[i].notif);
			events[i].task = NULL;
		}
		spinlock_unlock(&events_lock);
		if (ours)
			task_put(task);
	}
}
