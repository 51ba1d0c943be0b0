/*
 * IRQ and kernel-event notifications. Each subscription gets its own
 * notification method (NOTIF_METHOD_BASE + its index), so the manager finds
 * it by index. Occurrences are queued for one notification fibril, which
 * runs the handlers in turn; an occurrence arriving while the previous one
 * of the same subscription still waits is merged into it (latest arguments,
 * counts added), as the kernel merges them. Locking: async_lock.
 */
#include "private/async.h"
#include <stdlib.h>

#define NOTIF_METHOD_BASE IPC_FIRST_USER_METHOD

typedef struct {
	link_t link; /* on `pending` while an occurrence waits */
	async_notification_handler_t handler;
	void *data;
	ipc_call_t call; /* the waiting occurrence */
	bool active;
	cap_handle_t irq_handle; /* CAP_NULL for kernel events */
} notif_entry_t;

static notif_entry_t **entries;
static size_t entry_count, entry_capacity;
static list_t pending = LIST_INITIALIZER(pending);
static fibril_event_t pending_event = FIBRIL_EVENT_INIT;
static fid_t notif_fibril;

unsigned async_notification_count;

static errno_t notif_fibril_main(void *arg)
{
	for (;;) {
		spinlock_lock(&async_lock);
		link_t *l = list_first(&pending);
		notif_entry_t *e = NULL;
		ipc_call_t call;
		if (l != NULL) {
			list_remove(l);
			e = list_get_instance(l, notif_entry_t, link);
			call = e->call;
		}
		spinlock_unlock(&async_lock);
		if (e == NULL)
			fibril_wait_for(&pending_event);
		else
			e->handler(&call, e->data);
	}
	return EOK;
}

/** A new active subscription entry with its method in *@a method. */
static notif_entry_t *notif_add(
    async_notification_handler_t handler, void *data, sysarg_t *method)
{
	async_init();
	notif_entry_t *e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	link_initialize(&e->link);
	e->handler = handler;
	e->data = data;
	e->active = true;
	bool start = false;
	spinlock_lock(&async_lock);
	if (entry_count == entry_capacity) {
		size_t cap = entry_capacity == 0 ? 8 : entry_capacity * 2;
		notif_entry_t **grown = realloc(entries, cap * sizeof(*grown));
		if (grown == NULL) {
			spinlock_unlock(&async_lock);
			free(e);
			return NULL;
		}
		entries = grown;
		entry_capacity = cap;
	}
	if (notif_fibril == NULL) {
		notif_fibril = fibril_create(notif_fibril_main, NULL);
		if (notif_fibril == NULL) {
			spinlock_unlock(&async_lock);
			free(e);
			return NULL;
		}
		fibril_detach(notif_fibril);
		start = true;
	}
	*method = NOTIF_METHOD_BASE + entry_count;
	entries[entry_count++] = e;
	async_notification_count++;
	async_may_serve = true;
	spinlock_unlock(&async_lock);
	if (start)
		fibril_add_ready(notif_fibril);
	return e;
}

static void notif_deactivate(notif_entry_t *e)
{
	spinlock_lock(&async_lock);
	if (e->active) {
		e->active = false;
		async_notification_count--;
	}
	if (link_in_use(&e->link))
		list_remove(&e->link);
	spinlock_unlock(&async_lock);
}

void async_notification_received(ipc_event_t *ev)
{
	sysarg_t index = ev->imethod - NOTIF_METHOD_BASE;
	spinlock_lock(&async_lock);
	notif_entry_t *e = index < entry_count ? entries[index] : NULL;
	if (e != NULL && e->active) {
		if (link_in_use(&e->link)) {
			for (unsigned i = 0; i < IPC_CALL_ARGS; i++)
				e->call.args[i] = ev->args[i];
			e->call.label += ev->label;
		} else {
			e->call = *ev;
			list_append(&e->link, &pending);
			fibril_notify(&pending_event);
		}
	}
	spinlock_unlock(&async_lock);
}

errno_t async_irq_subscribe(int irq, async_notification_handler_t handler, void *data,
    const irq_cmd_t *cmds, size_t count, cap_handle_t *handle)
{
	sysarg_t method;
	notif_entry_t *e = notif_add(handler, data, &method);
	if (e == NULL)
		return ENOMEM;
	errno_t rc = ipc_irq_subscribe(irq, method, cmds, count, handle);
	if (rc != EOK) {
		notif_deactivate(e);
		return rc;
	}
	spinlock_lock(&async_lock);
	e->irq_handle = *handle;
	spinlock_unlock(&async_lock);
	return EOK;
}

errno_t async_irq_unsubscribe(cap_handle_t handle)
{
	errno_t rc = ipc_irq_unsubscribe(handle);
	if (rc != EOK)
		return rc;
	spinlock_lock(&async_lock);
	notif_entry_t *found = NULL;
	for (size_t i = 0; i < entry_count && found == NULL; i++) {
		if (entries[i]->active && entries[i]->irq_handle == handle)
			found = entries[i];
	}
	spinlock_unlock(&async_lock);
	if (found != NULL)
		notif_deactivate(found);
	return EOK;
}

errno_t async_event_subscribe(
    unsigned event, async_notification_handler_t handler, void *data)
{
	sysarg_t method;
	notif_entry_t *e = notif_add(handler, data, &method);
	if (e == NULL)
		return ENOMEM;
	errno_t rc = ipc_event_subscribe(event, method);
	if (rc != EOK)
		notif_deactivate(e);
	return rc;
}

errno_t async_event_unmask(unsigned event)
{
	return ipc_event_unmask(event);
}
