/*
 * Exceptions as messages (abi/exc.h, docs/kernel.md): a fault in user mode
 * that the kernel does not resolve is sent as an IPC_M_EXCEPTION call to the
 * thread's exception handler, or else its task's, and the thread stops until
 * the answer says resume or kill. Also the debug stop: a task stopped by the
 * debug interface has each thread wait at its next return to user mode.
 *
 * Lock: task->lock guards task->exc_phone, thread->exc_phone and
 * thread->exc_stop; task->debug_wq.lock guards task->debug_stop and
 * debug_stopper (taken after tasks_lock when a debugger's end resumes what it
 * stopped). Neither is held across a wait, and they are never held together. The phones are
 * references owned by the task or thread (taken by exc_handler_set, dropped
 * when replaced or by exc_*_cleanup); a fault takes its own reference for
 * the time of the call.
 *
 * A thread of a stopped task is seen as stopped (exc_thread_stop_get) when
 * it waits at a stop point or a fault (thread->exc_stop), or while it is off
 * its CPU (asleep or preempted) inside a full-path system call
 * (thread->syscall_regs): it leaves the kernel only through a stop point's
 * check, and from that check to user mode it runs with interrupts off and
 * keeps its mark until the stop point has published its exc_stop. So a
 * thread seen so has not passed the check and will wait there, and a thread
 * woken while its task is stopped is never seen running. A thread on a CPU
 * in the kernel is seen running until it reaches its stop point.
 */
#include <proc/exc.h>
#include <arch/asm.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <printf.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>
#include <common/strerror.h>

static void phone_put(phone_t *phone)
{
	if (phone != NULL)
		kobject_put(&phone->kobj);
}

thread_t *exc_thread_find_locked(task_t *task, uint64_t id)
{
	list_foreach (task->threads, task_link, thread_t, t) {
		if (t->id == id)
			return t;
	}
	return NULL;
}

errno_t exc_handler_set(task_t *task, uint64_t thread_id, phone_t *phone, uint64_t self)
{
	spinlock_lock(&task->lock);
	thread_t *thread = thread_id != 0 ? exc_thread_find_locked(task, thread_id)
					  : NULL;
	errno_t rc = thread_id != 0 && thread == NULL ? ENOENT : EOK;
	if (rc == EOK) {
		phone_t **slot = thread != NULL ? &thread->exc_phone : &task->exc_phone;
		phone_t *old = *slot;
		*slot = phone;
		*(thread != NULL ? &thread->exc_self : &task->exc_self) = self;
		phone = old;
	}
	spinlock_unlock(&task->lock);
	phone_put(phone); /* the one replaced, or the one refused */
	return rc;
}

/** Drops @a *slot's reference (task->lock not held). */
static void slot_clear(task_t *task, phone_t **slot)
{
	spinlock_lock(&task->lock);
	phone_t *phone = *slot;
	*slot = NULL;
	spinlock_unlock(&task->lock);
	phone_put(phone);
}

void exc_thread_cleanup(thread_t *thread)
{
	slot_clear(thread->task, &thread->exc_phone);
}

static void debug_stop_set(task_t *task, bool stop, uint64_t stopper);

void exc_task_cleanup(task_t *task)
{
	slot_clear(task, &task->exc_phone);
	debug_stop_set(task, false, 0); /* a stopped task that ended counts no more */
}

/** The handler of @a t (a reference), or NULL if it has none or @a t is the
 *  handler itself: its own thread that named itself, or any thread of the
 *  handler's task when that is not known (a handler is not sent its own
 *  faults, which nobody would answer). */
static phone_t *handler_get(thread_t *t)
{
	task_t *task = t->task;
	spinlock_lock(&task->lock);
	bool own_slot = t->exc_phone != NULL;
	phone_t *phone = own_slot ? t->exc_phone : task->exc_phone;
	uint64_t self = own_slot ? t->exc_self : task->exc_self;
	if (phone != NULL)
		kobject_get(&phone->kobj);
	spinlock_unlock(&task->lock);
	if (phone == NULL)
		return NULL;
	spinlock_lock(&phone->lock);
	bool own_task = phone->callee != NULL && phone->callee->task == task;
	spinlock_unlock(&phone->lock);
	if (own_task && (self == 0 || self == t->id)) {
		phone_put(phone);
		return NULL;
	}
	return phone;
}

/** Publishes (or, with NULL, withdraws) why the current thread is stopped. */
static void stop_publish(exc_stop_t *stop)
{
	thread_t *t = THREAD;
	spinlock_lock(&t->task->lock);
	t->exc_stop = stop;
	spinlock_unlock(&t->task->lock);
}

/** The IPC_M_EXCEPTION call for the current thread's fault; NULL: no memory. */
static call_t *exc_call_create(exc_context_t *ctx, unsigned kind, uintptr_t addr)
{
	thread_t *t = THREAD;
	call_t *call = call_create_discarded(IPC_M_EXCEPTION, t->task);
	if (call == NULL)
		return NULL;
	call->data.args[0] = kind | (sysarg_t) exc_context_error(ctx) << 32;
	call->data.args[1] = t->id;
	call->data.args[2] = exc_context_ip(ctx);
	call->data.args[3] = addr;
	call->data.args[4] = exc_context_sp(ctx);
	return call;
}

/** Applies an EXC_RESUME answer (checked by the method's answer hook). */
static void resume_apply(exc_context_t *ctx, const ipc_data_t *answer)
{
	if (answer->args[1] != 0)
		exc_context_set_ip(ctx, answer->args[1]);
	if (answer->args[2] != 0)
		exc_context_set_sp(ctx, answer->args[2]);
}

/** Kills the current task after @a what, for the handler's @a reason (NULL:
 *  the handler said kill, and the log says what it says without one). */
static NORETURN void kill_for(exc_context_t *ctx, unsigned kind, uintptr_t addr,
    const char *what, const char *reason, errno_t rc)
{
	char text[96];
	if (reason == NULL)
		task_fault(
		    what, (int) kind, addr, exc_context_ip(ctx), kind == EXC_KIND_PAGE);
	if (rc != EOK)
		snprintf(text, sizeof(text), "%s (exception handler: %s, %s)", what,
		    reason, str_error(rc));
	else
		snprintf(text, sizeof(text), "%s (exception handler: %s)", what, reason);
	task_fault(text, (int) kind, addr, exc_context_ip(ctx), kind == EXC_KIND_PAGE);
}

bool exc_fault(exc_context_t *ctx, unsigned kind, uintptr_t addr, const char *what)
{
	phone_t *phone = handler_get(THREAD);
	if (phone == NULL)
		return false;
	call_t *call = exc_call_create(ctx, kind, addr);
	if (call == NULL) {
		phone_put(phone);
		return false;
	}
	exc_stop_t stop = {
	    .state = EXC_THREAD_FAULTED, .kind = kind, .addr = addr, .ctx = ctx};
	stop_publish(&stop);
	irq_enable();
	ipc_data_t answer;
	errno_t rc = ipc_call_kernel_wait(phone, call, &answer);
	irq_disable();
	stop_publish(NULL);
	phone_put(phone);
	if (rc == EINTR)
		thread_exit(); /* killed while it waited */
	if (rc != EOK)
		kill_for(ctx, kind, addr, what, "unreachable", rc);
	if ((errno_t) answer.method == EHANGUP)
		kill_for(ctx, kind, addr, what, "gone", EHANGUP);
	if ((errno_t) answer.method != EOK)
		kill_for(ctx, kind, addr, what, "refused", (errno_t) answer.method);
	if (answer.args[0] != EXC_RESUME)
		kill_for(ctx, kind, addr, what, NULL, EOK);
	resume_apply(ctx, &answer);
	return true;
}

bool exc_thread_stop_get(thread_t *t, exc_stop_t *view)
{
	if (t->exc_stop != NULL) {
		*view = *t->exc_stop;
		return true;
	}
	exc_context_t *ctx = __atomic_load_n(&t->syscall_regs, __ATOMIC_ACQUIRE);
	if (ctx == NULL || !__atomic_load_n(&t->task->debug_stop, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == THREAD_RUNNING)
		return false;
	*view = (exc_stop_t){
	    .state = EXC_THREAD_STOPPED, .kind = EXC_STOPPED_IN_SYSCALL, .ctx = ctx};
	return true;
}

void exc_debug_stop_point(exc_context_t *ctx)
{
	task_t *task = THREAD->task;
	exc_stop_t stop = {.state = EXC_THREAD_STOPPED, .ctx = ctx};
	stop_publish(&stop);
	irq_enable();
	for (;;) {
		spinlock_lock(&task->debug_wq.lock);
		if (!task->debug_stop) {
			spinlock_unlock(&task->debug_wq.lock);
			break;
		}
		if (waitq_sleep_locked(&task->debug_wq, 0, WAITQ_INTERRUPTIBLE) == EINTR)
			break; /* killed: it exits on its way out */
	}
	irq_disable();
	stop_publish(NULL);
}

volatile uint32_t exc_debug_stops;

/** Stops @a task (by @a stopper) or lets its stopped threads go on. Takes
 *  only task->debug_wq.lock (after tasks_lock when under task_foreach). */
static void debug_stop_set(task_t *task, bool stop, uint64_t stopper)
{
	spinlock_lock(&task->debug_wq.lock);
	if (stop != task->debug_stop)
		__atomic_add_fetch(
		    &exc_debug_stops, stop ? 1 : (uint32_t) -1, __ATOMIC_RELEASE);
	task->debug_stop = stop;
	task->debug_stopper = stopper;
	if (!stop)
		waitq_wakeup_locked(&task->debug_wq, true);
	spinlock_unlock(&task->debug_wq.lock);
}

errno_t exc_debug_control(task_t *task, unsigned command)
{
	if (command != EXC_DEBUG_STOP && command != EXC_DEBUG_RESUME)
		return EINVAL;
	debug_stop_set(task, command == EXC_DEBUG_STOP, THREAD->task->id);
	return EOK;
}

static void resume_if_stopped_by(task_t *task, void *arg)
{
	uint64_t debugger = *(const uint64_t *) arg;
	spinlock_lock(&task->debug_wq.lock);
	bool ours = task->debug_stop && task->debug_stopper == debugger;
	spinlock_unlock(&task->debug_wq.lock);
	if (ours)
		debug_stop_set(task, false, 0);
}

void exc_debugger_gone(task_t *debugger)
{
	task_foreach(resume_if_stopped_by, &debugger->id);
}

bool exc_debug_allowed(task_t *task)
{
	task_t *self = THREAD->task;
	return task == self || task->parent_id == self->id || (self->perms & PERM_DEBUG);
}
