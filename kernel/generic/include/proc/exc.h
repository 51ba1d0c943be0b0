/*
 * Exceptions as messages and the debug interface (proc/exc.c, abi/exc.h).
 */
#ifndef KERN_PROC_EXC_H
#define KERN_PROC_EXC_H

#include <abi/exc.h>
#include <arch/exc_regs.h>
#include <types.h>

struct task;
struct thread;
struct phone;

/** Why and where a thread is stopped (thread->exc_stop, on its kernel stack). */
typedef struct exc_stop {
	unsigned state;	    /* EXC_THREAD_STOPPED or EXC_THREAD_FAULTED */
	unsigned kind;	    /* FAULTED: EXC_KIND_*; STOPPED: EXC_STOPPED_* */
	uintptr_t addr;	    /* FAULTED: the fault address (page faults) */
	exc_context_t *ctx; /* the saved user registers */
} exc_stop_t;

/**
 * A user fault the kernel did not resolve, in the current thread, whose
 * saved registers are @a ctx: if the thread or its task has an exception
 * handler (not its own task), the fault goes there and the thread stops until
 * the answer. Returns true to resume (the handler may have changed the
 * registers); false when there is no handler to ask (the caller then does
 * what it does without one). Does not return when the task is killed.
 * @a what names the fault for the log.
 */
bool exc_fault(exc_context_t *ctx, unsigned kind, uintptr_t addr, const char *what);
/** How many tasks are stopped by the debug interface: the system-call exits
 *  look at their task only while it is not 0 (changed under the stopped
 *  task's debug_wq.lock). */
extern volatile uint32_t exc_debug_stops;
/** The current thread is on its way to user mode with its registers in
 *  @a ctx while its task is stopped by the debug interface: it waits here. */
void exc_debug_stop_point(exc_context_t *ctx);

/** How thread @a t is stopped, in @a view: at a fault or stop point, or
 *  (while its task is stopped by the debug interface) inside a full-path
 *  system call, with the registers saved at its entry (kind
 *  EXC_STOPPED_IN_SYSCALL). False: it runs. task->lock held (the thread
 *  stays in its task's list meanwhile). */
bool exc_thread_stop_get(struct thread *t, exc_stop_t *view);
/** Makes @a phone (a reference, which this takes over; NULL: none) the
 *  exception handler of thread @a thread_id of @a task (0: of the task);
 *  the old one's reference is dropped. @a self: the handler's own thread
 *  when the handler is in @a task (its faults are not sent), 0: unknown
 *  (then no thread of the handler's task is sent its faults). ENOENT: no
 *  such thread (the phone is dropped). */
errno_t exc_handler_set(
    struct task *task, uint64_t thread_id, struct phone *phone, uint64_t self);
/** Thread @a id of @a task (task->lock held); NULL if it has none. */
struct thread *exc_thread_find_locked(struct task *task, uint64_t id);
/** EXC_DEBUG_STOP or EXC_DEBUG_RESUME for @a task; EINVAL otherwise. */
errno_t exc_debug_control(struct task *task, unsigned command);
/** @a debugger has ended: the tasks it stopped go on (a debugger that dies,
 *  or forgets, never leaves a task stopped for good). */
void exc_debugger_gone(struct task *debugger);
/** Whether the current task may debug @a task (its parent, or PERM_DEBUG). */
bool exc_debug_allowed(struct task *task);
/** Drops the handler references of a thread leaving its task, or of a task
 *  that has ended (task->lock not held). */
void exc_thread_cleanup(struct thread *thread);
void exc_task_cleanup(struct task *task);

#endif
