/*
 * Scheduler: strict priorities, round robin within a priority, tick-driven
 * preemption. All run-queue state is per CPU and changed only by that CPU
 * with interrupts disabled (one CPU today; remote wake-ups will need an IPI
 * and a lock when SMP arrives).
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

void scheduler_init(void)
{
	scheduler_cpu_init(CPU);
}

void scheduler_cpu_init(cpu_t *cpu)
{
	for (unsigned p = 0; p < PRIORITY_COUNT; p++)
		list_initialize(&cpu->rq[p]);
	cpu->ready_mask = 0;
	list_initialize(&cpu->timeouts);
	spinlock_init(&cpu->timeout_lock, "timeouts", LOCK_CLASS_TIMEOUTS);
}

static void rq_push(cpu_t *cpu, thread_t *t)
{
	list_append(&t->rq_link, &cpu->rq[t->priority]);
	cpu->ready_mask |= 1u << t->priority;
	cpu->ready_count++;
}

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

void scheduler_ready(thread_t *t)
{
	bool ints = irq_save();
	cpu_t *cpu = CPU;
	assert(t->state != THREAD_READY && t->state != THREAD_RUNNING);
	t->state = THREAD_READY;
	rq_push(cpu, t);
	if (cpu->current == cpu->idle || t->priority < cpu->current->priority)
		cpu->need_resched = true;
	irq_restore(ints);
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
	if (prev->state == THREAD_RUNNING && prev != cpu->idle) {
		prev->state = THREAD_READY;
		rq_push(cpu, prev);
	}
	thread_t *next = rq_pop(cpu);
	if (next == NULL)
		next = cpu->idle;
	/* A new turn. */
	cpu->need_resched = false;
	next->slice_left = THREAD_SLICE_TICKS;
	switch_to(cpu, prev, next);
}

bool scheduler_may_hand_off(const thread_t *next)
{
	cpu_t *cpu = CPU;
	if (cpu->need_resched)
		return false; /* the turn is over: the scheduler picks */
	uint32_t mask = cpu->ready_mask;
	return mask == 0 || (int) __builtin_ctz(mask) >= next->priority;
}

void scheduler_hand_off(thread_t *next)
{
	assert(!irq_enabled());
	cpu_t *cpu = CPU;
	thread_t *prev = cpu->current;
	assert(prev->state == THREAD_BLOCKED && next->state == THREAD_BLOCKED);
	check_stack(prev);
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
