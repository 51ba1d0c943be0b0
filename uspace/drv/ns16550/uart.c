/*
 * The 16550 chip: register layout, setup, the IRQ program and polled
 * transmit. The kernel programs baud rate and format at boot and keeps
 * writing its own messages polled (it never enables UART interrupts); setup
 * here leaves those settings alone and only turns on the FIFO, OUT2 and the
 * receive-data interrupt.
 *
 * Receive interrupts are masked by the IRQ program (IER <- 0) whenever it
 * accepts and unmasked by the handler (uart_rx_enable) after it has drained
 * the FIFO, so at most one notification is outstanding and the bytes the
 * program read are never overwritten by a later interrupt's.
 */
#include "ns16550.h"
#include <ddi.h>

#define REG_DATA 0 /* RBR (read), THR (write) */
#define REG_IER	 1
#define REG_FCR	 2 /* FCR (write), IIR (read) */
#define REG_IIR	 2
#define REG_MCR	 4
#define REG_LSR	 5

#define IER_RX_DATA    0x01
#define FCR_ENABLE     0x01
#define FCR_TRIGGER_8  0x80
#define MCR_DTR	       0x01
#define MCR_RTS	       0x02
#define MCR_OUT2       0x08 /* routes the chip's interrupt to the PIC */
#define LSR_DATA_READY 0x01
/* IIR's identification with only receive interrupts enabled: 0x04 (data
 * available) or 0x0c (character timeout) while one is pending, 0x01 when
 * none is (masked by IER <- 0, or already served). */
#define IIR_RX_PENDING 0x04
#define LSR_THR_EMPTY  0x20

/* Scratch registers of the IRQ program: 0 the line status, 1..4 the bytes,
 * 5 how many of them were read (notification args[0..4]). */
#define SCR_LSR	  0
#define SCR_BYTE0 1
#define SCR_COUNT 5

/** Gains the chip's 8 ports (granted by devman), checks that a UART answers, and
 *  turns on the FIFO and the interrupt line with receive interrupts still
 *  off. ENOENT if no UART is there. */
errno_t uart_init(uint16_t base)
{
	errno_t rc = iospace_enable(base, UART_REG_COUNT);
	if (rc != EOK)
		return rc;
	if (pio_read_8(base + REG_LSR) == 0xff)
		return ENOENT; /* a missing UART reads back all ones */
	pio_write_8(base + REG_IER, 0);
	/* No FIFO reset: bytes typed before we started stay readable. */
	pio_write_8(base + REG_FCR, FCR_ENABLE | FCR_TRIGGER_8);
	pio_write_8(base + REG_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	return EOK;
}

static irq_cmd_t *prog_emit(uart_irq_prog_t *prog, uint32_t cmd)
{
	irq_cmd_t *c = &prog->cmds[prog->count++];
	*c = (irq_cmd_t){.cmd = cmd};
	return c;
}

/** Emits "if the register at @a port has none of @a bits set, skip to ..."
 *  (through scratch register SCR_LSR) and returns the predicate's index, to
 *  be patched once the target is known. */
static size_t prog_emit_bits_check(uart_irq_prog_t *prog, uint16_t port, uint32_t bits)
{
	irq_cmd_t *c = prog_emit(prog, IRQ_CMD_PIO_READ_8);
	c->port = port;
	c->dst = SCR_LSR;
	c = prog_emit(prog, IRQ_CMD_AND);
	c->src = SCR_LSR;
	c->dst = SCR_LSR;
	c->value = bits;
	c = prog_emit(prog, IRQ_CMD_PREDICATE);
	c->src = SCR_LSR;
	return prog->count - 1;
}

/** Emits reading byte @a k into its scratch register and counting it. */
static void prog_emit_read_byte(uart_irq_prog_t *prog, uint16_t base, unsigned k)
{
	irq_cmd_t *c = prog_emit(prog, IRQ_CMD_PIO_READ_8);
	c->port = base + REG_DATA;
	c->dst = SCR_BYTE0 + k;
	c = prog_emit(prog, IRQ_CMD_LOAD);
	c->dst = SCR_COUNT;
	c->value = k + 1;
}

/** Patches the predicate at @a pred to skip to just before @a target. */
static void prog_patch_skip(uart_irq_prog_t *prog, size_t pred, size_t target)
{
	prog->cmds[pred].value = target - pred - 1;
}

/**
 * Builds the IRQ program (IRQ_CMD_* as in abi/irq.h):
 *
 *   if !(IIR & RX_PENDING) goto decline   not ours (or masked already)
 *   if !(LSR & DR) goto decline      no data
 *   IER <- 0                         mask until the handler is done
 *   for k in 0..UART_RX_PER_IRQ-1:
 *       (k > 0) if !(LSR & DR) goto accept
 *       scratch[1+k] <- RBR; scratch[5] <- k+1
 *   accept: ACCEPT
 *   decline: DECLINE
 *
 * The pending check matters where the interrupt controller does not detect
 * edges itself (an emulated I/O APIC takes every raise of a line that is
 * already high as a new interrupt): a second interrupt for the same bytes,
 * taken after this program masked the chip, must not be accepted again
 * while the handler has not drained the FIFO (its bytes would be lost in
 * the merged notification).
 */
void uart_irq_prog_build(uint16_t base, uart_irq_prog_t *prog)
{
	size_t preds[UART_RX_PER_IRQ];
	prog->count = 0;
	size_t pending = prog_emit_bits_check(prog, base + REG_IIR, IIR_RX_PENDING);
	for (unsigned k = 0; k < UART_RX_PER_IRQ; k++) {
		preds[k] = prog_emit_bits_check(prog, base + REG_LSR, LSR_DATA_READY);
		if (k == 0) {
			irq_cmd_t *c = prog_emit(prog, IRQ_CMD_PIO_WRITE_8);
			c->port = base + REG_IER;
			c->value = 0;
		}
		prog_emit_read_byte(prog, base, k);
	}
	size_t accept = prog->count;
	prog_emit(prog, IRQ_CMD_ACCEPT);
	size_t decline = prog->count;
	prog_emit(prog, IRQ_CMD_DECLINE);
	prog_patch_skip(prog, pending, decline);
	prog_patch_skip(prog, preds[0], decline);
	for (unsigned k = 1; k < UART_RX_PER_IRQ; k++)
		prog_patch_skip(prog, preds[k], accept);
}

/** Unmasks the receive-data interrupt; raised at once if data waits. */
void uart_rx_enable(uint16_t base)
{
	pio_write_8(base + REG_IER, IER_RX_DATA);
}

/** Takes one received byte if there is one. */
bool uart_rx_poll(uint16_t base, uint8_t *byte)
{
	if (!(pio_read_8(base + REG_LSR) & LSR_DATA_READY))
		return false;
	*byte = pio_read_8(base + REG_DATA);
	return true;
}

bool uart_tx_ready(uint16_t base)
{
	return (pio_read_8(base + REG_LSR) & LSR_THR_EMPTY) != 0;
}

void uart_tx_fill(uint16_t base, const uint8_t *buf, size_t size)
{
	for (size_t i = 0; i < size; i++)
		pio_write_8(base + REG_DATA, buf[i]);
}
