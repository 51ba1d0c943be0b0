/*
 * Thread creation, exit, join and sleep.
 * Lock order: task->lock -> threads_lock; thread->lock -> wq->lock.
 */
#include <proc/thread.h>
#include <arch/asm.h>
#include <arch/thread.h>
#include <arch/cycle.h>
#include <cpu.h>
#include <log/ipclog.h>
#include <mm/frame.h>
#include <mm/kstack.h>
#include <mm/kmalloc.h>
#include <panic.h>
#include <common/printf_core.h>
#include <proc/scheduler.h>
#include <proc/task.h>
#include <string.h>
#include <arch/mm.h>
#include <arch.h>
#include <ipc/ipc.h>
#include <smp.h>

static slab_cache_t thread_cache;
static list_t threads = LIST_INITIALIZER(threads);
static spinlock_t threads_lock = SPINLOCK_INITIALIZER("threads", THREADS);
static size_t live_threads;
static uint64_t next_thread_id = 1;

void thread_init(void)
{
	kmem_cache_init(&thread_cache, "thread", sizeof(thread_t), 16);
}

/** Where a new thread of @a task starts: beside its creator when that is a
 *  thread of the same user task (which may have been moved), so that the
 *  threads of a task stay together unless they choose otherwise
 *  (scheduler.c); else the task's home CPU. */
static cpu_t *thread_first_cpu(task_t *task)
{
	thread_t *creator = CPU->current;
	if (task != &kernel_task && creator != NULL && creator->task == task)
		return creator->cpu;
	return &cpus[task->home_cpu];
}

static errno_t thread_fields_init(thread_t *t, task_t *task, const char *name)
{
	memset(t, 0, sizeof(*t));
	str_lcpy(t->name, name, sizeof(t->name));
	t->state = THREAD_NEW;
	t->cpu = thread_first_cpu(task);
	/* Kernel threads stay where they are placed; user threads may move. */
	t->affinity = task == &kernel_task ? 1ull << task->home_cpu : ~0ull;
	t->priority = THREAD_PRIORITY_DEFAULT;
	link_initialize(&t->rq_link);
	link_initialize(&t->wait_link);
	link_initialize(&t->task_link);
	link_initialize(&t->all_link);
	timeout_init(&t->wait_timeout);
	spinlock_init(&t->lock, "thread", LOCK_CLASS_THREAD);
	waitq_init(&t->join_wq);
	waitq_init(&t->ipc_wq);
	errno_t rc = task_attach_thread(task, t);
	if (rc != EOK)
		return rc;
	spinlock_lock(&threads_lock);
	t->id = next_thread_id++;
	list_append(&t->all_link, &threads);
	live_threads++;
	spinlock_unlock(&threads_lock);
	return EOK;
}

errno_t thread_create(
    task_t *task, thread_fn_t entry, void *arg, const char *name, thread_t **out)
{
	thread_t *t = kmem_alloc(&thread_cache);
	if (t == NULL)
		return ENOMEM;
	void *stack;
	if (kstack_alloc(THREAD_STACK_SIZE, &stack) != EOK) {
		kmem_free(&thread_cache, t);
		return ENOMEM;
	}
	errno_t rc = thread_fields_init(t, task != NULL ? task : &kernel_task, name);
	if (rc != EOK) {
		kstack_free(stack, THREAD_STACK_SIZE);
		kmem_free(&thread_cache, t);
		return rc;
	}
	t->kstack = stack;
	*(uint64_t *) t->kstack = THREAD_STACK_CANARY;
	t->entry = entry;
	t->arg = arg;
	arch_thread_init(t);
	*out = t;
	return EOK;
}

void thread_start(thread_t *t)
{
	assert(t->state == THREAD_NEW);
	if (t->task != &kernel_task)
		IPCLOG_NAME(t->task->id, t->id, t->name);
	scheduler_ready(t);
}

errno_t thread_set_priority(thread_t *t, int priority)
{
	if (priority < 0 || priority >= PRIORITY_COUNT || t->state != THREAD_NEW)
		return EINVAL;
	t->priority = priority;
	return EOK;
}

errno_t thread_set_affinity(uint64_t mask)
{
	unsigned n = cpu_count;
	if (mask == 0 || (n < 64 && (mask >> n) != 0))
		return EINVAL;
	thread_t *t = THREAD;
	bool ints = irq_save();
	t->affinity = mask; /* read by stealers under our home's rq_lock */
	t->affinity_set = true;
	if (!(mask & (1ull << t->cpu->id)))
		scheduler_migrate_self(&cpus[__builtin_ctzll(mask)]);
	irq_restore(ints);
	return EOK;
}

errno_t thread_set_cpu(thread_t *t, unsigned cpu_id)
{
	if (!cpu_id_valid(cpu_id) || t->state != THREAD_NEW)
		return EINVAL;
	t->cpu = &cpus[cpu_id];
	t->affinity = 1ull << cpu_id;
	return EOK;
}

void thread_interrupt(thread_t *t)
{
	/* Before waitq_interrupt reads t->waitq: a sleep that starts meanwhile
	 * sees the kill (synch/waitq.c). */
	__atomic_store_n(&t->kill_pending, true, __ATOMIC_SEQ_CST);
	waitq_interrupt(t);
}

/** Frees everything of an exited thread that is off its stack. */
static void thread_destroy(thread_t *t)
{
	assert(t->state == THREAD_EXITED && t->switched_out);
	task_t *task = t->task;
	task_unlink_thread(t);
	spinlock_lock(&threads_lock);
	list_remove(&t->all_link);
	spinlock_unlock(&threads_lock);
	arch_thread_destroy(t);
	ipc_thread_cleanup(t);
	kstack_free(t->kstack, THREAD_STACK_SIZE);
	kmem_free(&thread_cache, t);
	/* Counted until all of it is back (the stack's shoot-down waits for
	 * the other CPUs), and its task ends only after that: whoever sees the
	 * task's end (task_wait, on any CPU) then finds the thread counts and
	 * frames back. */
	spinlock_lock(&threads_lock);
	live_threads--;
	spinlock_unlock(&threads_lock);
	task_thread_gone(task);
}

/** First code of every new thread (entered from the arch trampoline). */
NORETURN void thread_main(void);

NORETURN void thread_main(void)
{
	thread_finish_switch();
	thread_t *t = THREAD;
	irq_enable();
	t->entry(t->arg);
	thread_exit();
}

void thread_finish_exited(thread_t *prev)
{
	spinlock_lock(&prev->lock);
	prev->switched_out = true;
	bool destroy = prev->detached;
	spinlock_unlock(&prev->lock);
	if (destroy)
		thread_destroy(prev);
	else
		waitq_wakeup(&prev->join_wq, true);
}

void thread_exit(void)
{
	thread_t *t = THREAD;
	irq_disable();
	/* Its FPU state leaves this CPU's registers now: whichever CPU frees
	 * the thread, none keeps it as its FPU owner. */
	arch_thread_migrate(t);
	t->state = THREAD_EXITED;
	schedule();
	panic("thread %llu returned from its final switch", (unsigned long long) t->id);
}

errno_t thread_join(thread_t *t)
{
	spinlock_lock(&t->lock);
	if (t->detached || t->joined || t == THREAD) {
		spinlock_unlock(&t->lock);
		return EINVAL;
	}
	t->joined = true;
	spinlock_unlock(&t->lock);

	for (;;) {
		spinlock_lock(&t->join_wq.lock);
		if (t->switched_out) {
			spinlock_unlock(&t->join_wq.lock);
			break;
		}
		waitq_sleep_locked(&t->join_wq, WAITQ_FOREVER, 0);
	}
	thread_destroy(t);
	return EOK;
}

void thread_detach(thread_t *t)
{
	spinlock_lock(&t->lock);
	bool destroy = t->switched_out && !t->joined;
	t->detached = true;
	spinlock_unlock(&t->lock);
	if (destroy)
		thread_destroy(t);
}

/** A yield is one turn of a wait, often for another CPU's work (a flag it
 *  sets, a lock it holds): the pause hint tells the processor so, as every
 *  spin loop here does. An emulator that
 *  runs the CPUs in turn on one host thread (QEMU under -icount) gives the
 *  other CPUs their turn only at such a hint or a halt; without it a
 *  yielding CPU kept the one that would end its wait from running at all. */
void thread_yield(void)
{
	bool ints = irq_save();
	cpu_relax();
	schedule();
	irq_restore(ints);
}

errno_t thread_sleep(uint64_t ns)
{
	waitq_t wq;
	waitq_init(&wq);
	errno_t rc = waitq_sleep(&wq, ns == 0 ? 1 : ns, WAITQ_INTERRUPTIBLE);
	return rc == ETIMEOUT ? EOK : rc;
}

bool thread_kill_pending(void)
{
	return THREAD->kill_pending;
}

void thread_foreach(void (*fn)(thread_t *thread, void *arg), void *arg)
{
	spinlock_lock(&threads_lock);
	list_foreach (threads, all_link, thread_t, t)
		fn(t, arg);
	spinlock_unlock(&threads_lock);
}

size_t thread_count(void)
{
	return live_threads;
}

/** Makes @a idle the idle thread of @a cpu on @a stack; panics on failure
 *  (start-up cannot go on without it). */
static void idle_init(thread_t *idle, cpu_t *cpu, void *stack)
{
	char name[THREAD_NAME_MAX];
	snprintf(name, sizeof(name), "idle%u", cpu->id);
	if (thread_fields_init(idle, &kernel_task, cpu->id == 0 ? "idle" : name) != EOK)
		panic("cannot set up the idle thread of CPU %u", cpu->id);
	idle->cpu = cpu;
	idle->kstack = stack;
	*(uint64_t *) idle->kstack = THREAD_STACK_CANARY;
	idle->priority = PRIORITY_COUNT; /* below every run queue; never queued */
	idle->state = THREAD_RUNNING;
	cpu->idle = idle;
}

errno_t thread_idle_create(cpu_t *cpu)
{
	if (cpu->idle != NULL)
		return EOK; /* made for an earlier attempt to start this slot */
	thread_t *t = kmem_alloc(&thread_cache);
	if (t == NULL)
		return ENOMEM;
	void *stack;
	if (kstack_alloc(THREAD_STACK_SIZE, &stack) != EOK) {
		kmem_free(&thread_cache, t);
		return ENOMEM;
	}
	idle_init(t, cpu, stack);
	return EOK;
}

void thread_idle_destroy(cpu_t *cpu)
{
	thread_t *t = cpu->idle;
	if (t == NULL)
		return;
	cpu->idle = NULL;
	/* It never ran: its stack is as made, and no CPU will switch from it. */
	t->state = THREAD_EXITED;
	t->switched_out = true;
	thread_destroy(t);
}

void thread_become_idle(void)
{
	static thread_t boot_idle;
	extern char boot_stack_bottom[];
	cpu_t *cpu = CPU;
	if (cpu->idle == NULL)
		idle_init(&boot_idle, cpu, boot_stack_bottom);
	cpu->current = cpu->idle;
	/* Read here, on its own CPU: its time is charged against this count. */
	cpu->idle->run_start = arch_cycle_count();
	for (;;) {
		irq_disable();
		if (cpu->ready_mask != 0)
			schedule();
		else
			arch_idle(); /* enables interrupts and halts atomically */
	}
}
