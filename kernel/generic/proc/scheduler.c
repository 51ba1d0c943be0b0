/*
 * Scheduler: strict priorities, round robin within a priority, tick-driven
 * preemption, one set of run queues per CPU.
 *
 * Every thread has a home CPU (thread->cpu, fixed before it first runs: its
 * task's home, or thread_set_cpu()); it is queued on and runs on that CPU
 * only. So a thread's context is only ever live on its home CPU, and the FPU
 * state, TLB entries of its address space and its kernel stack never need
 * to follow it elsewhere. Tasks are spread over the CPUs when they are made
 * (task.c), which is the load balancing of this version: N tasks with a
 * runnable thread each run on N CPUs.
 *
 * Locks: cpu->rq_lock guards that CPU's rq[], ready_mask and ready_count,
 * and the state change of a thread to READY; it is a leaf (taken last, under
 * wait queue and IPC locks). need_resched, current, prev, idle and the
 * statistics belong to the CPU itself (interrupts off). A wake-up from
 * another CPU queues the thread there and sends IPI_RESCHEDULE when the
 * target should switch (it is idle, or runs a lower priority).
 *
 * A thread that blocks may be woken (queued again) between releasing its
 * wait queue's lock and switching away: only its home CPU pops it, and only
 * in a later schedule(), after this switch saved its context.
 *
 * A time slice belongs to a turn, not to a thread: a thread the scheduler
 * picks starts a turn with a full slice, and an IPC hand-off passes the rest
 * of the current turn to the thread it runs. A pair of threads calling each
 * other through the fast path thus shares one slice; when the tick ends it
 * (need_resched), hand-offs stop and the scheduler picks, so threads of the
 * pair's priority get their turns.
 */
#include <proc/scheduler.h>
#include <arch/asm.h>
#include <arch/thread.h>
#include <cpu.h>
#include <panic.h>
#include <time/timeout.h>
#include <intc.h>

void scheduler_init(void)
{
	scheduler_cpu_init(CPU);
}

void scheduler_cpu_init(cpu_t *cpu)
{
	spinlock_init(&cpu->rq_lock, "rq", LOCK_CLASS_RUNQUEUE);
	for (unsigned p = 0; p < PRIORITY_COUNT; p++)
		list_initialize(&cpu->rq[p]);
	cpu->ready_mask = 0;
	list_initialize(&cpu->timeouts);
	spinlock_init(&cpu->timeout_lock, "timeouts", LOCK_CLASS_TIMEOUTS);
}

/** cpu->rq_lock held. */
static void rq_push(cpu_t *cpu, thread_t *t)
{
	list_append(&t->rq_link, &cpu->rq[t->priority]);
	cpu->ready_mask |= 1u << t->priority;
	cpu->ready_count++;
}

/** cpu->rq_lock held. */
static thread_t *rq_pop(cpu_t *cpu)
{
	if (cpu->ready_mask == 0)
		return NULL;
	unsigned p = (unsigned) __builtin_ctz(cpu->ready_mask);
	link_t *l = list_first(&cpu->rq[p]);
	list_remove(l);
	if (list_empty(&cpu->rq[p]))
		cpu->ready_mask &= ~(1u << p);
	cpu->ready_count--;
	return list_get_instance(l, thread_t, rq_link);
}

/** Whether @a cpu, which just got @a t queued, should switch: it idles or
 *  runs a lower priority. Racy read of another CPU's current: a wrong
 *  answer costs one needless IPI, or a wait until that CPU's next tick. */
static bool should_preempt(const cpu_t *cpu, const thread_t *t)
{
	const thread_t *cur = cpu->current;
	return cur == NULL || cur == cpu->idle || t->priority < cur->priority;
}

void scheduler_ready_noirq(thread_t *t)
{
	cpu_t *cpu = t->cpu;
	spinlock_lock_noirq(&cpu->rq_lock);
	assert(t->state != THREAD_READY && t->state != THREAD_RUNNING);
	t->state = THREAD_READY;
	rq_push(cpu, t);
	bool preempt = should_preempt(cpu, t);
	spinlock_unlock_noirq(&cpu->rq_lock);
	if (preempt) {
		if (cpu == CPU)
			cpu->need_resched = true;
		else
			arch_ipi_send(cpu->id, IPI_RESCHEDULE);
	}
}

void scheduler_ready(thread_t *t)
{
	bool ints = irq_save();
	scheduler_ready_noirq(t);
	irq_restore(ints);
}

void scheduler_ipi_reschedule(void)
{
	cpu_t *cpu = CPU;
	spinlock_lock_noirq(&cpu->rq_lock);
	uint32_t mask = cpu->ready_mask;
	spinlock_unlock_noirq(&cpu->rq_lock);
	thread_t *cur = cpu->current;
	if (mask != 0 &&
	    (cur == NULL || cur == cpu->idle ||
		(int) __builtin_ctz(mask) < cur->priority))
		cpu->need_resched = true;
}

static void check_stack(thread_t *t)
{
	if (t->kstack != NULL && *(uint64_t *) t->kstack != THREAD_STACK_CANARY)
		panic("kernel stack overflow in thread %llu (%s)",
		    (unsigned long long) t->id, t->name);
}

/** Switches from the current thread to @a next (RUNNING from now on); the
 *  caller has set next's slice. Inline in both callers: the IPC hand-off is
 *  a hot path. */
static inline __attribute__((always_inline)) void switch_to(
    cpu_t *cpu, thread_t *prev, thread_t *next)
{
	next->state = THREAD_RUNNING;
	if (next == prev)
		return;
	cpu->prev = prev;
	cpu->current = next;
	cpu->context_switches++;
	next->switches++;
	arch_thread_switch(prev, next);
	context_switch(&prev->context_sp, next->context_sp);
	/* Back on prev's stack: finish the switch that resumed us. */
	thread_finish_switch();
}

void schedule(void)
{
	assert(!irq_enabled());
	cpu_t *cpu = CPU;
	thread_t *prev = cpu->current;
	check_stack(prev);
	spinlock_lock_noirq(&cpu->rq_lock);
	if (prev->state == THREAD_RUNNING && prev != cpu->idle) {
		prev->state = THREAD_READY;
		rq_push(cpu, prev);
	}
	thread_t *next = rq_pop(cpu);
	spinlock_unlock_noirq(&cpu->rq_lock);
	if (next == NULL)
		next = cpu->idle;
	/* A new turn. */
	cpu->need_resched = false;
	next->slice_left = THREAD_SLICE_TICKS;
	switch_to(cpu, prev, next);
}

void scheduler_hand_off(thread_t *next)
{
	assert(!irq_enabled());
	cpu_t *cpu = CPU;
	thread_t *prev = cpu->current;
	/* next: taken off its queue under that queue's lock by the caller and
	 * at home here, so no other CPU can make it ready or run it. */
	assert(next->state == THREAD_BLOCKED && next->waitq == NULL && next->cpu == cpu);
	check_stack(prev);
	/* prev blocked itself and released its queue's lock; another CPU may
	 * have woken it since (a kill, an answer or event from the general
	 * path), queueing it here as READY. Then the scheduler chooses between
	 * it and next, by priority, instead of the hand-off. A wake-up after
	 * this read is the race schedule() has too: prev stays queued, and this
	 * CPU pops it only in a later schedule(), after this switch saved it. */
	if (__atomic_load_n(&prev->state, __ATOMIC_RELAXED) != THREAD_BLOCKED) {
		scheduler_ready_noirq(next);
		schedule();
		return;
	}
	next->slice_left = prev->slice_left; /* the same turn goes on */
	switch_to(cpu, prev, next);
}

void scheduler_tick(void)
{
	cpu_t *cpu = CPU;
	thread_t *t = cpu->current;
	if (t == NULL)
		return;
	t->ticks++;
	if (t == cpu->idle) {
		cpu->idle_ticks++;
	} else {
		cpu->busy_ticks++;
		if (t->slice_left > 0)
			t->slice_left--;
		if (t->slice_left == 0)
			cpu->need_resched = true;
	}
	timeout_process();
}

void scheduler_preempt_point(void)
{
	if (CPU->need_resched && CPU->current != NULL)
		schedule();
}
