/*
 * IRQ-notification latency: the serial port COM1 (IRQ 4; the kernel drives
 * it polled, with its interrupts off, and in this boot no driver owns it)
 * raises its transmitter-empty interrupt the moment that interrupt is
 * enabled while the transmitter is empty. A sample runs from the port write
 * that enables it to the notification handler in this task: the kernel's
 * interrupt entry, the IRQ code (reads the interrupt identification, masks
 * the interrupt again, accepts), the notification into our answerbox, the
 * async framework's manager and notification fibrils. Under -icount the
 * interrupt is taken right after the write, so the figure is deterministic.
 */
#include "bench.h"
#include <async.h>
#include <benchmark.h>
#include <ddi.h>
#include <fibril_synch.h>
#include <stdio.h>
#include <string.h>

#define COM1_BASE     0x3f8
#define COM1_IRQ      4
#define COM1_IER      (COM1_BASE + 1)
#define COM1_IIR      (COM1_BASE + 2)
#define IER_THRE      0x02 /* interrupt when the transmitter holding register empties */
#define IIR_THRE      0x02 /* identification: transmitter empty */
#define IRQ_WAIT_USEC 1000000

#define SCR_IIR	 1
#define SCR_MINE 2

/* The handler's time stamp and its signal to the measuring fibril. */
static uint64_t irq_stamp;
static fibril_semaphore_t irq_seen;

/* Ours only if the port says transmitter empty: then mask it and notify. */
static const irq_cmd_t irq_code[] = {
    {.cmd = IRQ_CMD_PIO_READ_8, .port = COM1_IIR, .dst = SCR_IIR},
    {.cmd = IRQ_CMD_AND, .src = SCR_IIR, .dst = SCR_MINE, .value = IIR_THRE},
    {.cmd = IRQ_CMD_PREDICATE, .src = SCR_MINE, .value = 2},
    {.cmd = IRQ_CMD_PIO_WRITE_8, .port = COM1_IER, .value = 0},
    {.cmd = IRQ_CMD_ACCEPT},
    {.cmd = IRQ_CMD_DECLINE},
};

static void irq_handler(ipc_call_t *call, void *arg)
{
	irq_stamp = bench_tsc();
	fibril_semaphore_up(&irq_seen);
}

/** Raises the interrupt once and waits for its handler; sample @a i
 *  (none during the warm-up, i < 0). ETIMEOUT if it never comes. */
static errno_t irq_once(long i)
{
	uint64_t t0 = bench_tsc();
	pio_write_8(COM1_IER, IER_THRE);
	errno_t rc = fibril_semaphore_down_timeout(&irq_seen, IRQ_WAIT_USEC);
	if (rc != EOK) {
		pio_write_8(COM1_IER, 0);
		return rc;
	}
	if (i >= 0)
		bench_record((size_t) i, t0, irq_stamp);
	return EOK;
}

int irq_cases(void)
{
	fibril_semaphore_initialize(&irq_seen, 0);
	errno_t rc = iospace_enable(COM1_BASE, 8);
	cap_handle_t handle = CAP_NULL;
	if (rc == EOK)
		rc = async_irq_subscribe(COM1_IRQ, irq_handler, NULL, irq_code,
		    sizeof(irq_code) / sizeof(irq_code[0]), &handle);
	for (long i = -BENCH_WARMUP; i < BENCH_ITERATIONS && rc == EOK; i++)
		rc = irq_once(i);
	if (handle != CAP_NULL)
		DISCARD(cleanup, async_irq_unsubscribe(handle));
	if (rc != EOK) {
		printf("bench: irq-notify failed: %s\n", str_error(rc));
		return 1;
	}
	bench_report("irq-notify", BENCH_ITERATIONS, 1);
	return 0;
}
