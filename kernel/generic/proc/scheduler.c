/*
 * Scheduler: strict priorities, round robin within a priority, tick-driven
 * preemption, one set of run queues per CPU.
 *
 * Every thread has a home CPU (thread->cpu: its task's home, or
 * thread_set_cpu() before it starts); it is queued on and runs on that CPU
 * only, so its context is live on one CPU at a time. Its home changes in two
 * ways, both respecting thread->affinity:
 * - the thread itself (thread_set_affinity): scheduler_migrate_self() saves
 *   its FPU state, switches away, and the finish of that switch (its
 *   context saved) queues it on the new CPU;
 * - work stealing: a CPU that has nothing to run (schedule() finds its
 *   queues empty; an idle CPU looks at every tick) takes a READY thread off
 *   the queue of a CPU that is busy, under that CPU's rq_lock, if the
 *   thread's context is saved (!on_cpu) and its FPU state is not live in
 *   that CPU's registers (cpu->fpu_owner; written by that CPU only, and
 *   never set to a queued thread). So N runnable threads spread over N CPUs.
 *   Which threads may be taken (steal_may_split):
 *   - a thread that chose its CPUs (affinity_set), or its task's only
 *     thread: at once;
 *   - any other thread of a task (the async framework's runners, a task's
 *     workers), once it has run (it starts beside its creator; taking such
 *     threads before their first turn killed utest 1 run in 4 on four CPUs
 *     with a jump to address 0: it made likely a race of the unmap's
 *     shoot-down with a new area at the freed addresses, now closed in
 *     mm/as.c, as_t.releasing; the rule stays as the placement policy):
 *     only once its home CPU has taken a tick while it waited on
 *     the queue, READY and not run (the home's tick count moved on by
 *     STEAL_WAIT_TICKS since it was queued: thread->queued_tick), so the
 *     tick found the CPU busy with another thread while this one was
 *     ready. Threads of one task that wake each other (IPC, futexes) run
 *     within microseconds of their wake-up unless their CPU is overloaded,
 *     so they seldom wait across a tick: they stay together and their
 *     wake-ups stay on one CPU; threads that compete for a CPU wait whole
 *     slices and spread. (Taking every thread at once was tried: asynctest
 *     on four CPUs took 117 s instead of 24 s.) Not a whole tick: a thread
 *     behind one other busy thread waits one slice (THREAD_SLICE_TICKS,
 *     2) and is popped at the very tick that would make it two, so two
 *     busy threads on a CPU beside an idle one were split only by chance
 *     (seconds).
 * - a wake-up of a pair's partner: when thread A wakes B, homed on another
 *   CPU, and B was the last to wake A (they wake each other in turn: a
 *   client and its server, two threads playing ping-pong), A's CPU becomes
 *   B's home if it has nothing else queued, B may run there, has run
 *   before, and its context and FPU state are off its old home (the steal
 *   conditions). The pair then lives on one CPU, where the IPC fast path
 *   hands the CPU from one to the other with no IPI; without this a pair
 *   whose threads started on different CPUs crossed by IPI on every round
 *   trip until a tick's stealing happened to join them (under -icount, two
 *   free pairs on two CPUs: 1,656 IPIs per CPU in 2,000 round trips). A
 *   producer that wakes a consumer and runs on is no pair: the consumer
 *   stays where it is. Pairs then spread like any threads: while two share
 *   a CPU one waits queued, an idle CPU steals it, and its partner follows
 *   at their next wake-up.
 * Tasks are also spread over the CPUs when they are made (task.c). An
 * address space loaded on several CPUs gets its unmaps shot down there
 * (as->active_cpus, mm/tlb.c). Kernel threads stay where they were placed.
 *
 * Locks: cpu->rq_lock guards that CPU's rq[], ready_mask and ready_count,
 * the state change of a thread to READY, the home and queued_tick of a
 * thread queued there; no CPU holds two run-queue locks at once (a stealer
 * takes only its victim's); it is a leaf (taken last, under
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
#include <proc/scheduler_switch.h>
#include <proc/task.h>
#include <arch/asm.h>
#include <arch/thread.h>
#include <arch/cycle.h>
#include <cpu.h>
#include <panic.h>
#include <time/timeout.h>
#include <intc.h>
#include <smp.h>

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

/* How far the home CPU's tick count must move on while a thread of a
 * task that did not choose its CPUs waits queued before another CPU may
 * take it: one tick that found it passed over. */
#define STEAL_WAIT_TICKS 1

/** cpu->rq_lock held. */
static void rq_push(cpu_t *cpu, thread_t *t)
{
	t->queued_tick = __atomic_load_n(&cpu->ticks, __ATOMIC_RELAXED);
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

/** Whether @a t, queued on @a victim (its rq_lock held), may leave its
 *  task's other threads: it chose its CPUs itself, it is its task's only
 *  thread, or it has run and waited queued across a tick of its home (the rules at the top
 *  of this file). Racy reads of the thread count and of victim's ticks: a
 *  wrong answer only delays or allows one steal. */
static bool steal_may_split(const cpu_t *victim, const thread_t *t)
{
	if (t->affinity_set || t->task->thread_count == 1)
		return true;
	uint64_t now = __atomic_load_n(&victim->ticks, __ATOMIC_RELAXED);
	return t->switches != 0 && now - t->queued_tick >= STEAL_WAIT_TICKS;
}

/** Whether CPU @a me may take @a t off @a victim's queue (victim->rq_lock
 *  held): allowed there, free to leave its task's other threads, its
 *  context saved, its FPU state not in victim's registers. */
static bool steal_allowed(const cpu_t *victim, const thread_t *t, const cpu_t *me)
{
	return (t->affinity & (1ull << me->id)) != 0 && steal_may_split(victim, t) &&
	    !__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) && victim->fpu_owner != t;
}

/** Takes a thread @a me may run off @a victim's queues (highest priority
 *  first) and makes @a me its home; NULL if none. Interrupts off. */
static thread_t *steal_from(cpu_t *victim, cpu_t *me)
{
	thread_t *found = NULL;
	spinlock_lock_noirq(&victim->rq_lock);
	for (unsigned p = 0; p < PRIORITY_COUNT && found == NULL; p++) {
		if (!(victim->ready_mask & (1u << p)))
			continue;
		list_foreach (victim->rq[p], rq_link, thread_t, t) {
			if (steal_allowed(victim, t, me)) {
				found = t;
				break;
			}
		}
	}
	if (found != NULL) {
		list_remove(&found->rq_link);
		if (list_empty(&victim->rq[found->priority]))
			victim->ready_mask &= ~(1u << found->priority);
		victim->ready_count--;
		found->cpu = me; /* READY on no queue until we switch to it */
	}
	spinlock_unlock_noirq(&victim->rq_lock);
	return found;
}

/** Whether @a victim has a queued thread waiting while it runs another
 *  (racy reads: a wrong answer costs a look, or a tick's delay). */
static bool steal_worth_trying(const cpu_t *victim)
{
	const thread_t *cur = victim->current;
	return victim->ready_count != 0 && cur != NULL && cur != victim->idle;
}

/** A thread for @a me, which has nothing queued, from a busy CPU; NULL if
 *  there is none. Interrupts off, no run-queue lock held. */
static thread_t *scheduler_steal(cpu_t *me)
{
	unsigned n = cpu_count;
	for (unsigned i = 1; i < n; i++) {
		cpu_t *victim = &cpus[(me->id + i) % n];
		if (!steal_worth_trying(victim))
			continue;
		thread_t *t = steal_from(victim, me);
		if (t != NULL) {
			me->steals++;
			return t;
		}
	}
	return NULL;
}

/** Whether an idle @a me should look for a thread to steal. */
static bool steal_candidate_exists(const cpu_t *me)
{
	unsigned n = cpu_count;
	for (unsigned i = 1; i < n; i++) {
		if (steal_worth_trying(&cpus[(me->id + i) % n]))
			return true;
	}
	return false;
}

/** Whether @a me may become the home of @a t, BLOCKED and homed on
 *  @a home, at its wake-up: @a me has nothing queued, @a t may run here,
 *  has run before, and its context and FPU state are off @a home. Racy
 *  read of our own ready_count (another CPU may queue here meanwhile): a
 *  wrong answer costs one wait or one IPI. */
static bool pull_allowed(const cpu_t *home, const thread_t *t, const cpu_t *me)
{
	return me->ready_count == 0 && (t->affinity & (1ull << me->id)) != 0 &&
	    t->switches != 0 && !__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) &&
	    home->fpu_owner != t;
}

/** The CPU that woken @a t is queued on: its home, or @a me (this CPU)
 *  when @a t and the waker wake each other in turn (the pair rule at the
 *  top). The caller is @a t's only waker (it took @a t off its wait
 *  queue), so it alone writes t->cpu and t->last_waker now. Only wake-ups
 *  across CPUs are recorded: they are what a pair on one CPU never needs,
 *  and the one-CPU path stays one comparison longer. */
static inline cpu_t *wake_cpu(thread_t *t, cpu_t *me)
{
	cpu_t *home = t->cpu;
	if (home == me)
		return home;
	const thread_t *waker = me->current;
	bool partner = waker != NULL && waker->last_waker == t;
	t->last_waker = waker;
	if (!partner || !pull_allowed(home, t, me))
		return home;
	me->pulls++;
	t->cpu = me;
	return me;
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
	cpu_t *me = CPU;
	cpu_t *cpu = wake_cpu(t, me);
	spinlock_lock_noirq(&cpu->rq_lock);
	assert(t->state != THREAD_READY && t->state != THREAD_RUNNING);
	t->state = THREAD_READY;
	rq_push(cpu, t);
	bool preempt = should_preempt(cpu, t);
	spinlock_unlock_noirq(&cpu->rq_lock);
	if (preempt) {
		if (cpu == me)
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

void scheduler_migrate_self(cpu_t *to)
{
	assert(!irq_enabled());
	cpu_t *cpu = CPU;
	thread_t *t = cpu->current;
	arch_thread_migrate(t); /* e.g. its FPU state to memory */
	t->cpu = to;
	t->state = THREAD_BLOCKED; /* on no queue until finish_switch */
	cpu->migrating = t;
	schedule();
}

void scheduler_finish_migration(void)
{
	cpu_t *cpu = CPU;
	thread_t *t = cpu->migrating;
	cpu->migrating = NULL;
	scheduler_ready(t);
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

/** Charges the running @a t at a tick, so that readers on other CPUs see
 *  its time grow while it runs; @a user: the tick interrupted user mode. */
static void thread_charge_tick(thread_t *t, bool user)
{
	uint64_t now = arch_cycle_count();
	__atomic_store_n(&t->cycles, t->cycles + (now - t->run_start), __ATOMIC_RELAXED);
	t->run_start = now;
	t->ticks++;
	if (user)
		t->user_ticks++;
}

/** The same for any thread (the boot CPU's idle thread runs on the boot
 *  stack, without a canary). */
static void check_stack(thread_t *t)
{
	if (t->kstack != NULL)
		scheduler_check_own_stack(t);
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
	if (next == NULL && cpu_count > 1)
		next = scheduler_steal(cpu);
	if (next == NULL)
		next = cpu->idle;
	/* A new turn. */
	cpu->need_resched = false;
	next->slice_left = THREAD_SLICE_TICKS;
	scheduler_switch_to(cpu, prev, next, false);
}

void scheduler_hand_off(thread_t *next)
{
	scheduler_hand_off_inline(next);
}

void scheduler_tick(bool user)
{
	cpu_t *cpu = CPU;
	thread_t *t = cpu->current;
	if (t == NULL)
		return;
	thread_charge_tick(t, user);
	__atomic_store_n(&cpu->ticks, cpu->ticks + 1, __ATOMIC_RELAXED);
	if (t == cpu->idle) {
		cpu->idle_ticks++;
		if (cpu_count > 1 && steal_candidate_exists(cpu))
			cpu->need_resched = true;
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
