/*
 * IRQs as IPC notifications. A driver subscribes to a line with an IRQ code
 * program (validated at subscription) and gets an IRQ capability; the kernel
 * runs the programs of a line's subscribers in the interrupt handler and
 * posts a notification for the one that accepts. Notifications are
 * preallocated and coalesce, so interrupt context never allocates.
 * Lock order: line->lock -> box lock.
 */
#ifndef KERN_IPC_IRQ_H
#define KERN_IPC_IRQ_H

#include <abi/irq.h>
#include <cap/cap.h>
#include <ipc/ipc.h>

struct task;

/** A validated program: the commands and whether each port access is allowed. */
typedef struct {
	size_t count;
	irq_cmd_t cmds[IRQ_CODE_MAX_CMDS];
} irq_code_t;

/** Decides whether a task may touch ports [port, port + width). */
typedef bool (*irq_port_check_t)(void *ctx, uint32_t port, unsigned width);

/** Validates @a count commands (pure; host-tested). EINVAL for any bad shape,
 *  EPERM for a port the task may not touch. */
errno_t irq_code_validate(
    const irq_cmd_t *cmds, size_t count, irq_port_check_t may_touch, void *ctx);
/** Runs a validated program; true if it accepted. scratch[1..5] are the arguments. */
bool irq_code_run(const irq_code_t *code, uint64_t scratch[IRQ_SCRATCH_COUNT]);

/** Subscribes the current task; returns the IRQ capability. */
errno_t ipc_irq_subscribe(
    unsigned irq, sysarg_t method, const irq_code_t *code, cap_handle_t *handle);
errno_t ipc_irq_unsubscribe(cap_handle_t handle);
/** Runs the subscribers of @a irq as if it fired (also used by tests). */
void ipc_irq_fire(unsigned irq);

/** Kernel events (EVENT_*). */
errno_t event_subscribe(struct task *task, unsigned event, sysarg_t method);
errno_t event_unmask(struct task *task, unsigned event);
/** Posts @a event if subscribed and not masked; then masks it. Interrupt-safe. */
void event_notify(unsigned event, sysarg_t a1, sysarg_t a2, sysarg_t a3);
void event_task_cleanup(struct task *task);

#endif
