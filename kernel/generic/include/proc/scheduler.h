/*
 * The scheduler: per-CPU run queues with PRIORITY_COUNT strict priorities and
 * round-robin time slices within a priority. Called with interrupts disabled;
 * a thread that blocks sets its state first, then calls schedule().
 */
#ifndef KERN_PROC_SCHEDULER_H
#define KERN_PROC_SCHEDULER_H

#include <proc/thread.h>

/** Run queues and timeouts of @a cpu (before it runs). */
void scheduler_cpu_init(cpu_t *cpu);
void scheduler_init(void);
/** The current thread moves to CPU @a to (interrupts off): it leaves this
 *  CPU, and once its context is saved it is queued there. */
void scheduler_migrate_self(cpu_t *to);
/** An IPI_RESCHEDULE arrived: asks for a switch when a queued thread should
 *  run before the current one (interrupts off). */
void scheduler_ipi_reschedule(void);
/** Makes @a thread READY and queues it on its home CPU; preempts the current thread if
 *  @a thread has a higher priority. Any context, interrupts disabled or not. */
void scheduler_ready(thread_t *thread);
/** scheduler_ready() for a caller with interrupts disabled already (a
 *  wake-up under a wait queue's lock). */
void scheduler_ready_noirq(thread_t *thread);
/** Switches to the best ready thread. The current thread must be RUNNING
 *  (it is requeued), BLOCKED, READY (woken meanwhile: queued already) or
 *  EXITED. Interrupts must be disabled. */
void schedule(void);
/** Whether handing the CPU straight to @a next keeps strict priorities (no
 *  ready thread outranks it) and the current turn's slice is not used up
 *  (no reschedule is due). Interrupts disabled. Inline: the IPC fast path
 *  asks it before every hand-off. */
static inline bool scheduler_may_hand_off(const thread_t *next)
{
	cpu_t *cpu = CPU;
	if (next->cpu != cpu)
		return false; /* it runs on its home CPU only */
	if (cpu->need_resched)
		return false; /* the turn is over: the scheduler picks */
	uint32_t mask = cpu->ready_mask;
	return mask == 0 || (int) __builtin_ctz(mask) >= next->priority;
}
/** Switches straight to @a next, skipping the run queues: the current thread
 *  is BLOCKED (on some wait queue) and @a next was blocked and has just been
 *  taken off its wait queue. @a next gets the rest of the current slice, not
 *  a new one. Interrupts disabled. The IPC fast path uses it. If another
 *  CPU has woken the current thread since it blocked, both are left to the
 *  scheduler instead (schedule()). A @a next whose system call an IPC
 *  waker finished goes straight to user space. The IPC fast path uses the
 *  inline form, scheduler_hand_off_inline (proc/scheduler_switch.h). */
void scheduler_hand_off(thread_t *next);
/** The tick: charges the current thread its cycles and the tick (a user
 *  tick if @a user: it interrupted user mode), and requests preemption at
 *  slice end. */
void scheduler_tick(bool user);
/** Preempts at interrupt return if requested (interrupted context had IF set). */
void scheduler_preempt_point(void);

#endif
