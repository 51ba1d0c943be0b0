/*
 * Buffered transmit: writers copy into the transmit ring and go on; the
 * transmitter fibril feeds the UART's FIFO from it whenever the chip's
 * transmitter is empty, sleeping briefly while the line is busy. tx_lock
 * guards the ring; a writer that finds it full waits (tx_space) so no byte
 * is dropped, and the transmitter waits (tx_data) while it is empty.
 * Bytes go out in the order the writes took the lock.
 */
#include "ns16550.h"
#include <fibril.h>
#include <fibril_synch.h>

#define TX_RING_SIZE 4096
#define TX_BUSY_USEC 200 /* the line is busy: look again after this */

static FIBRIL_MUTEX_INITIALIZE(tx_lock);
static FIBRIL_CONDVAR_INITIALIZE(tx_space);
static FIBRIL_CONDVAR_INITIALIZE(tx_data);

static uint8_t ring[TX_RING_SIZE];
static size_t ring_head; /* the next byte to send */
static size_t ring_used;
static uint16_t tx_base;

errno_t tx_write(const uint8_t *buf, size_t size)
{
	fibril_mutex_lock(&tx_lock);
	for (size_t i = 0; i < size; i++) {
		while (ring_used == TX_RING_SIZE)
			fibril_condvar_wait(&tx_space, &tx_lock);
		ring[(ring_head + ring_used++) % TX_RING_SIZE] = buf[i];
		if (ring_used == 1)
			fibril_condvar_signal(&tx_data);
	}
	fibril_mutex_unlock(&tx_lock);
	return EOK;
}

/** Moves up to a FIFO's worth of the ring into the chip; tx_lock held. */
static size_t tx_feed(void)
{
	uint8_t chunk[UART_TX_FIFO];
	size_t n = 0;
	while (n < sizeof(chunk) && n < ring_used) {
		chunk[n++] = ring[ring_head];
		ring_head = (ring_head + 1) % TX_RING_SIZE;
	}
	ring_used -= n;
	uart_tx_fill(tx_base, chunk, n);
	fibril_condvar_broadcast(&tx_space);
	return n;
}

static errno_t tx_fibril(void *arg)
{
	fibril_mutex_lock(&tx_lock);
	for (;;) {
		while (ring_used == 0)
			fibril_condvar_wait(&tx_data, &tx_lock);
		if (uart_tx_ready(tx_base)) {
			tx_feed();
			continue;
		}
		fibril_mutex_unlock(&tx_lock);
		fibril_usleep(TX_BUSY_USEC);
		fibril_mutex_lock(&tx_lock);
	}
	return EOK;
}

errno_t tx_start(uint16_t base)
{
	tx_base = base;
	fid_t f = fibril_create(tx_fibril, NULL);
	if (f == 0)
		return ENOMEM;
	fibril_add_ready(f);
	return EOK;
}
