/*
 * IRQ subscriptions. Each hardware line with subscribers has a list of IRQ
 * objects (line->lock, taken with interrupts off) and one kernel handler that
 * runs all their programs, notifying each one that accepts (a line granted
 * shared has several drivers). An IRQ object is named by one capability of its
 * task; freeing the capability (or the task's death) unsubscribes.
 *
 * Holding (IRQ_CMD_ACCEPT_HOLD): a program that accepts with it leaves the
 * line masked at the interrupt controller until its subscriber acknowledges
 * (ipc_irq_ack, CAP_RIGHT_ACK) or unsubscribes. line->holds counts the
 * subscribers holding (sub->held); the line is masked while it is not 0.
 * Both under line->lock; the controller's lock is a leaf below it.
 */
#include <ipc/irq.h>
#include <arch/interrupt.h>
#include <cpu.h>
#include <interrupt.h>
#include <mm/kmalloc.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>

typedef struct {
	kobject_t kobj;
	link_t link; /* line->subscribers */
	unsigned irq;
	irq_code_t code;
	ipc_notif_t notif;
	bool held; /* its program held the line; not acknowledged yet */
} irq_sub_t;

typedef struct {
	spinlock_t lock;
	list_t subscribers;
	bool registered; /* our handler is installed on the line */
	unsigned holds;	 /* subscribers with held set */
} irq_line_t;

static irq_line_t lines[IRQ_COUNT];
static spinlock_t lines_lock = SPINLOCK_INITIALIZER("irq_lines", IRQ_LINES);

void ipc_irq_init(void);

void ipc_irq_init(void)
{
	for (unsigned i = 0; i < IRQ_COUNT; i++) {
		spinlock_init(&lines[i].lock, "irq_line", LOCK_CLASS_IRQ_LINE);
		list_initialize(&lines[i].subscribers);
	}
}

/** @a sub holds its line masked (once, however often it accepts). Lock held. */
static void sub_hold(irq_line_t *line, irq_sub_t *sub)
{
	if (sub->held)
		return;
	sub->held = true;
	if (line->holds++ == 0)
		irq_line_hold(sub->irq);
}

/** @a sub's hold ends; the last one unmasks the line. Lock held. */
static void sub_release(irq_line_t *line, irq_sub_t *sub)
{
	if (!sub->held)
		return;
	sub->held = false;
	if (--line->holds == 0)
		irq_line_release(sub->irq);
}

void ipc_irq_fire(unsigned irq)
{
	irq_line_t *line = &lines[irq];
	spinlock_lock(&line->lock);
	/* Every subscriber's program runs: on a shared line (HWRES_IRQ_SHARED)
	 * each decides whether the interrupt is its device's, and several
	 * devices may have raised it at once. */
	list_foreach (line->subscribers, link, irq_sub_t, sub) {
		uint64_t scratch[IRQ_SCRATCH_COUNT] = {0};
		irq_verdict_t v = irq_code_run(&sub->code, scratch);
		if (v == IRQ_ACCEPTED_HOLD)
			sub_hold(line, sub);
		if (v != IRQ_DECLINED)
			ipc_notif_post(&sub->notif, (const sysarg_t *) &scratch[1]);
	}
	spinlock_unlock(&line->lock);
}

bool ipc_irq_line_held(unsigned irq)
{
	if (irq >= IRQ_COUNT)
		return false;
	spinlock_lock(&lines[irq].lock);
	bool held = lines[irq].holds != 0;
	spinlock_unlock(&lines[irq].lock);
	return held;
}

static void line_handler(unsigned irq, void *arg)
{
	ipc_irq_fire(irq);
}

static void irq_sub_destroy(kobject_t *obj)
{
	irq_sub_t *sub = (irq_sub_t *) obj;
	irq_line_t *line = &lines[sub->irq];
	spinlock_lock(&lines_lock);
	spinlock_lock(&line->lock);
	sub_release(line, sub);
	list_remove(&sub->link);
	bool last = list_empty(&line->subscribers) && line->registered;
	if (last)
		line->registered = false;
	spinlock_unlock(&line->lock);
	if (last)
		irq_unregister(sub->irq);
	spinlock_unlock(&lines_lock);
	/* Off the line: no CPU runs the program any more. */
	irq_code_unmap(&sub->code);
	ipc_notif_detach(&sub->notif);
	task_put(sub->notif.call.sender); /* keeps the box alive while subscribed */
	kfree(sub);
}

/** Adds @a sub to its line, installing the line handler for the first one. */
static errno_t line_attach(irq_sub_t *sub)
{
	irq_line_t *line = &lines[sub->irq];
	errno_t rc = EOK;
	spinlock_lock(&lines_lock);
	if (!line->registered) {
		rc = irq_register(sub->irq, line_handler, NULL);
		line->registered = rc == EOK;
	}
	if (rc == EOK) {
		spinlock_lock(&line->lock);
		list_append(&sub->link, &line->subscribers);
		spinlock_unlock(&line->lock);
	}
	spinlock_unlock(&lines_lock);
	return rc;
}

errno_t ipc_irq_subscribe(
    unsigned irq, sysarg_t method, irq_code_t *code, cap_handle_t *handle)
{
	task_t *self = THREAD->task;
	irq_sub_t *sub = irq < IRQ_COUNT ? kzalloc(sizeof(*sub)) : NULL;
	if (sub == NULL) {
		irq_code_unmap(code);
		return irq < IRQ_COUNT ? ENOMEM : EINVAL;
	}
	kobject_init(&sub->kobj, KOBJECT_IRQ, irq_sub_destroy);
	link_initialize(&sub->link);
	sub->irq = irq;
	sub->code = *code;
	ipc_notif_init(&sub->notif, &self->box, method);
	task_get(self);
	sub->notif.call.sender = self;
	errno_t rc = cap_alloc(&self->caps, &sub->kobj, handle);
	if (rc != EOK) {
		irq_code_unmap(&sub->code);
		task_put(self);
		kfree(sub);
		return rc;
	}
	rc = line_attach(sub);
	if (rc != EOK) {
		kobject_t *obj;
		cap_free(&self->caps, *handle, KOBJECT_IRQ, 0, &obj);
		irq_code_unmap(&sub->code);
		ipc_notif_detach(&sub->notif);
		task_put(self);
		kfree(sub);
	}
	return rc;
}

errno_t ipc_irq_unsubscribe(cap_handle_t handle)
{
	kobject_t *obj;
	errno_t rc = cap_free(&THREAD->task->caps, handle, KOBJECT_IRQ, 0, &obj);
	if (rc == EOK)
		kobject_put(obj);
	return rc;
}

errno_t ipc_irq_ack(task_t *task, cap_handle_t handle)
{
	kobject_t *obj;
	errno_t rc = cap_lookup(&task->caps, handle, KOBJECT_IRQ, CAP_RIGHT_ACK, &obj);
	if (rc != EOK)
		return rc;
	irq_sub_t *sub = (irq_sub_t *) obj;
	irq_line_t *line = &lines[sub->irq];
	spinlock_lock(&line->lock);
	sub_release(line, sub);
	spinlock_unlock(&line->lock);
	kobject_put(obj);
	return EOK;
}
