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

/** A validated program: the commands and, for each memory read, the kernel
 *  address the page of its register is mapped at (irq_code_map; NULL for
 *  every other command). The program owns those mappings. */
typedef struct {
	size_t count;
	irq_cmd_t cmds[IRQ_CODE_MAX_CMDS];
	volatile void *mem[IRQ_CODE_MAX_CMDS];
} irq_code_t;

/** What a task may touch: ports [port, port + width) and the physical bytes
 *  [addr, addr + width) of device memory. */
typedef struct {
	bool (*may_touch)(void *ctx, uint32_t port, unsigned width);
	bool (*may_read_mem)(void *ctx, uint64_t addr, unsigned width);
	void *ctx;
} irq_code_checks_t;

/** Validates @a count commands (pure; host-tested). EINVAL for any bad shape
 *  (a misaligned memory read too), EPERM for a port or memory the task may
 *  not touch. */
errno_t irq_code_validate(
    const irq_cmd_t *cmds, size_t count, const irq_code_checks_t *checks);
/** Maps the register page of each memory read of validated @a code
 *  (mm/kmmio.h); ENOMEM, with nothing left mapped. */
errno_t irq_code_map(irq_code_t *code);
/** Unmaps what irq_code_map() mapped; nothing may run @a code any more. The
 *  caller holds no spinlock. */
void irq_code_unmap(irq_code_t *code);
/** What a program decided about an interrupt. */
typedef enum {
	IRQ_DECLINED,	   /* not its device's */
	IRQ_ACCEPTED,	   /* notify */
	IRQ_ACCEPTED_HOLD, /* notify; the line stays masked until acknowledged */
} irq_verdict_t;

/** Runs a validated, mapped program; scratch[1..5] are the arguments. */
irq_verdict_t irq_code_run(const irq_code_t *code, uint64_t scratch[IRQ_SCRATCH_COUNT]);

/** Subscribes the current task; returns the IRQ capability. The
 *  subscription takes over @a code's mappings (on failure too). */
errno_t ipc_irq_subscribe(
    unsigned irq, sysarg_t method, irq_code_t *code, cap_handle_t *handle);
errno_t ipc_irq_unsubscribe(cap_handle_t handle);
/** Acknowledges subscription @a handle of @a task (needs CAP_RIGHT_ACK, else
 *  EPERM; ENOENT for anything but an IRQ handle): if its program held the
 *  line (IRQ_CMD_ACCEPT_HOLD), the hold ends, and the line is unmasked once
 *  no subscriber holds it. Acknowledging with nothing held is EOK. */
errno_t ipc_irq_ack(struct task *task, cap_handle_t handle);
/** Whether line @a irq is held masked by a subscriber (tests). */
bool ipc_irq_line_held(unsigned irq);
/** Runs the subscribers of @a irq as if it fired (also used by tests). */
void ipc_irq_fire(unsigned irq);

/** Kernel events (EVENT_*). */
errno_t event_subscribe(struct task *task, unsigned event, sysarg_t method);
errno_t event_unmask(struct task *task, unsigned event);
/** Posts @a event if subscribed and not masked; then masks it. Interrupt-safe. */
void event_notify(unsigned event, sysarg_t a1, sysarg_t a2, sysarg_t a3);
void event_task_cleanup(struct task *task);

#endif
