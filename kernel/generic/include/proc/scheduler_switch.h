/*
 * The context switch of the scheduler (proc/scheduler.c), inline for the
 * IPC hand-off (scheduler_hand_off_inline: synch/waitq_hand_off.h) as well
 * as schedule(). The locking rules and the ownership of what a switch
 * writes are those at the top of proc/scheduler.c.
 */
#ifndef KERN_PROC_SCHEDULER_SWITCH_H
#define KERN_PROC_SCHEDULER_SWITCH_H

#include <proc/scheduler.h>
#include <proc/thread.h>
#include <arch/asm.h>
#include <arch/cycle.h>
#include <arch/thread.h>
#include <cpu.h>
#include <panic.h>

/** Charges @a prev the cycles since its stretch began and starts one for
 *  @a next: one counter read per switch. The owning CPU (this one, both
 *  threads' contexts live here) writes the counters (thread.h). */
static inline __attribute__((always_inline)) void scheduler_charge_switch(
    thread_t *prev, thread_t *next)
{
	uint64_t now = arch_cycle_count();
	__atomic_store_n(
	    &prev->cycles, prev->cycles + (now - prev->run_start), __ATOMIC_RELAXED);
	next->run_start = now;
}

/** Panics if the canary at the bottom of @a t's kernel stack (a thread
 *  with one of its own) was overwritten. */
static inline void scheduler_check_own_stack(thread_t *t)
{
	if (unlikely(*(uint64_t *) t->kstack != THREAD_STACK_CANARY))
		panic("kernel stack overflow in thread %llu (%s)",
		    (unsigned long long) t->id, t->name);
}

/** Switches from the current thread to @a next (RUNNING from now on); the
 *  caller has set next's slice. Inline in both callers (schedule and the
 *  hand-off): the IPC hand-off is a hot path. @a hand_off: prev is blocked, neither exiting nor migrating,
 *  and not next, so that finishing the switch for it is only clearing its on_cpu, and a
 *  next whose system call an IPC waker finished goes straight to user space
 *  (context_switch_user) instead of through its kernel frames. */
static inline __attribute__((always_inline)) void scheduler_switch_to(
    cpu_t *cpu, thread_t *prev, thread_t *next, bool hand_off)
{
	next->state = THREAD_RUNNING;
	if (!hand_off && next == prev)
		return;
	cpu->current = next;
	cpu->context_switches++;
	next->switches++;
	next->on_cpu = true;
	scheduler_charge_switch(prev, next);
	arch_thread_switch(cpu, prev, next);
	if (hand_off && arch_thread_resumes_user(next)) {
		context_switch_user(
		    &prev->context_sp, arch_thread_user_regs(next), &prev->on_cpu);
	} else {
		cpu->prev = prev;
		context_switch(&prev->context_sp, next->context_sp);
	}
	/* Back on prev's stack: finish the switch that resumed us. */
	thread_finish_switch();
}

/** scheduler_hand_off, inline: the IPC fast path hands off twice per round
 *  trip, and the call, its frame and its saved registers cost more than
 *  most of its body. */
static inline __attribute__((always_inline)) void scheduler_hand_off_inline(
    thread_t *next)
{
	assert_hot(!irq_enabled());
	cpu_t *cpu = CPU;
	thread_t *prev = cpu->current;
	/* next: taken off its queue under that queue's lock by the caller and
	 * at home here, so no other CPU can make it ready or run it. */
	assert_hot(
	    next->state == THREAD_BLOCKED && next->waitq == NULL && next->cpu == cpu);
	/* prev slept in a system call or a kernel thread's IPC: its own stack. */
	assert_hot(prev->kstack != NULL && prev != next);
	scheduler_check_own_stack(prev);
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
	assert_hot(cpu->migrating == NULL);
	scheduler_switch_to(cpu, prev, next, true);
}

#endif
