/*
 * ns16550: a userspace driver for a 16550 UART (protocol: abi/chardev.h).
 *
 * The parts: uart.c owns the chip (registers, setup, the IRQ program);
 * rx.c owns the receive ring that the interrupt handler fills and readers
 * drain; tx.c the transmit ring that writers fill and its fibril drains
 * into the chip; ns16550.c takes the device from devman and serves the
 * clients.
 */
#ifndef NS16550_H
#define NS16550_H

#include <abi/errno.h>
#include <abi/irq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAME	       "ns16550"
#define UART_REG_COUNT 8 /* I/O ports, from the base */

/** How many bytes the IRQ program reads per interrupt (scratch[1..4]; the
 *  count goes in scratch[5]). */
#define UART_RX_PER_IRQ 4
/** The transmit FIFO of a 16550A. */
#define UART_TX_FIFO 16

/** An IRQ program for the UART, as async_irq_subscribe takes it. */
typedef struct {
	irq_cmd_t cmds[IRQ_CODE_MAX_CMDS];
	size_t count;
} uart_irq_prog_t;

/* uart.c */
errno_t uart_init(uint16_t base);
void uart_irq_prog_build(uint16_t base, uart_irq_prog_t *prog);
void uart_rx_enable(uint16_t base);
bool uart_rx_poll(uint16_t base, uint8_t *byte);
/** Whether the transmitter can take a FIFO's worth (UART_TX_FIFO bytes). */
bool uart_tx_ready(uint16_t base);
/** Puts @a size (at most UART_TX_FIFO) bytes into the transmit FIFO. */
void uart_tx_fill(uint16_t base, const uint8_t *buf, size_t size);

/* tx.c */
/** Queues all @a size bytes for transmission (waits while the ring is full). */
errno_t tx_write(const uint8_t *buf, size_t size);
/** Starts the transmitter fibril for the UART at @a base. */
errno_t tx_start(uint16_t base);

/* rx.c */
void rx_push(const uint8_t *buf, size_t size);
errno_t rx_read(uint8_t *buf, size_t size, bool nonblock, size_t *got);
/** Puts @a size bytes a dead reader took back at the front of the ring. */
void rx_unread(const uint8_t *buf, size_t size);
void rx_note_lost(size_t events);

#endif
