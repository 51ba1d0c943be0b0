/*
 * IRQ code: a small program the kernel runs in the interrupt handler on
 * behalf of a driver, to acknowledge its device and decide whether the
 * interrupt is its own. An accepted interrupt becomes a notification in the
 * driver's answerbox: method chosen at subscription, arguments scratch[1..5].
 *
 * Port commands name the port in `port`; memory reads (a device register in
 * a BAR, e.g. a read-to-clear interrupt status) the physical address in
 * `value`, naturally aligned, inside memory the task may map itself (its
 * hardware grant, or any device memory with PERM_PHYSMEM): EPERM otherwise,
 * EINVAL when misaligned. The kernel maps such a page uncached when the
 * program is subscribed and unmaps it when the subscription goes.
 */
#ifndef ABI_IRQ_H
#define ABI_IRQ_H

#include <stdint.h>

#define IRQ_CODE_MAX_CMDS 32

/* SYS_IRQ_SUBSCRIBE's line argument: the line in the low 32 bits and, in the
 * high 32, 0 (the line stays on the CPU it goes to, CPU 0 at first) or the
 * CPU to deliver it to plus one (a CPU index as SYS_CPU_INFO counts them;
 * one that does not run is EINVAL). A line goes to one CPU at a time: the
 * last subscription that named one. */
#define IRQ_LINE_MASK	     0xffffffffull
#define IRQ_CPU_SHIFT	     32
#define IRQ_ON_CPU(irq, cpu) ((uint64_t) (irq) | ((uint64_t) (cpu) + 1) << IRQ_CPU_SHIFT)

#define IRQ_SCRATCH_COUNT 6

typedef enum {
	IRQ_CMD_PIO_READ_8 = 1, /* scratch[dst] = in8(port) */
	IRQ_CMD_PIO_READ_16,
	IRQ_CMD_PIO_READ_32,
	IRQ_CMD_PIO_WRITE_8, /* out8(port, value) */
	IRQ_CMD_PIO_WRITE_16,
	IRQ_CMD_PIO_WRITE_32,
	IRQ_CMD_PIO_WRITE_A_8, /* out8(port, scratch[src]) */
	IRQ_CMD_PIO_WRITE_A_16,
	IRQ_CMD_PIO_WRITE_A_32,
	IRQ_CMD_LOAD,	    /* scratch[dst] = value */
	IRQ_CMD_AND,	    /* scratch[dst] = scratch[src] & value */
	IRQ_CMD_PREDICATE,  /* if scratch[src] == 0, skip the next value commands */
	IRQ_CMD_ACCEPT,	    /* the interrupt is ours: notify */
	IRQ_CMD_DECLINE,    /* not ours */
	IRQ_CMD_MEM_READ_8, /* scratch[dst] = *(uint8_t *) physical address value */
	IRQ_CMD_MEM_READ_16,
	IRQ_CMD_MEM_READ_32,
	/* The interrupt is ours: notify, and keep the line masked until the
	 * subscriber acknowledges it (SYS_IRQ_ACK, needing CAP_RIGHT_ACK): for
	 * a level-triggered device whose cause the driver clears itself. */
	IRQ_CMD_ACCEPT_HOLD,
	IRQ_CMD_LAST = IRQ_CMD_ACCEPT_HOLD,
} irq_cmd_type_t;

typedef struct {
	uint32_t cmd; /* irq_cmd_type_t */
	uint32_t port;
	uint64_t value;
	uint32_t src;
	uint32_t dst;
} irq_cmd_t;

/* Kernel events a task can subscribe to: each has up to
 * EVENT_SUBSCRIBERS_MAX subscribers (ELIMIT past them, EEXIST for a task's
 * second subscription), each notified and masked on its own. */
#define EVENT_TASK_EXIT	      0 /* args: task id, how, status */
#define EVENT_KLOG	      1 /* args: bytes ever logged */
#define EVENT_COUNT	      2
#define EVENT_SUBSCRIBERS_MAX 8

#endif
