/*
 * The receive ring: filled by the interrupt handler (in the notification
 * fibril), drained by readers. Bounded (RX_RING_SIZE bytes); bytes that find
 * it full are dropped and counted. rx_lock guards the ring and the counters;
 * read_order (taken before rx_lock) makes waiting readers take their turns
 * in arrival order, so one client's read is not starved by another's.
 */
#include "ns16550.h"
#include <fibril_synch.h>
#include <stdio.h>

#define RX_RING_SIZE 4096

static FIBRIL_MUTEX_INITIALIZE(read_order);
static FIBRIL_MUTEX_INITIALIZE(rx_lock);
static FIBRIL_CONDVAR_INITIALIZE(rx_cv);

static uint8_t ring[RX_RING_SIZE];
static size_t ring_head; /* next byte to read */
static size_t ring_used;
static uint64_t dropped; /* bytes lost: ring full or interrupts merged */

#define DROP_REPORT_EVERY 1024

/** Counts @a n lost bytes, saying so at the first loss and every
 *  DROP_REPORT_EVERY after it; rx_lock is held. */
static void rx_drop(uint64_t n)
{
	uint64_t before = dropped;
	dropped += n;
	if (before == 0 || before / DROP_REPORT_EVERY != dropped / DROP_REPORT_EVERY)
		printf("%s: input overflow, %llu bytes dropped so far\n", NAME,
		    (unsigned long long) dropped);
}

/** Appends what fits of @a buf to the ring, drops the rest, wakes readers. */
void rx_push(const uint8_t *buf, size_t size)
{
	fibril_mutex_lock(&rx_lock);
	for (size_t i = 0; i < size; i++) {
		if (ring_used == RX_RING_SIZE) {
			rx_drop(size - i);
			break;
		}
		ring[(ring_head + ring_used) % RX_RING_SIZE] = buf[i];
		ring_used++;
	}
	fibril_condvar_broadcast(&rx_cv);
	fibril_mutex_unlock(&rx_lock);
}

/** Counts interrupts whose bytes were lost because their notifications
 *  merged (cannot happen while the program masks the interrupt; kept as a
 *  safety net so losses show up in the drop count). */
void rx_note_lost(size_t events)
{
	fibril_mutex_lock(&rx_lock);
	rx_drop(events);
	fibril_mutex_unlock(&rx_lock);
}

/** Copies up to @a size bytes out of the ring; rx_lock is held. */
static size_t ring_take(uint8_t *buf, size_t size)
{
	size_t n = 0;
	while (n < size && ring_used > 0) {
		buf[n++] = ring[ring_head];
		ring_head = (ring_head + 1) % RX_RING_SIZE;
		ring_used--;
	}
	return n;
}

/** Reads 1..@a size bytes into @a buf, waiting for the first one unless
 *  @a nonblock (then EAGAIN when the ring is empty). */
errno_t rx_read(uint8_t *buf, size_t size, bool nonblock, size_t *got)
{
	errno_t rc = EOK;
	fibril_mutex_lock(&read_order);
	fibril_mutex_lock(&rx_lock);
	while (ring_used == 0 && !nonblock)
		fibril_condvar_wait(&rx_cv, &rx_lock);
	*got = ring_take(buf, size);
	if (*got == 0 && size > 0)
		rc = EAGAIN;
	fibril_mutex_unlock(&rx_lock);
	fibril_mutex_unlock(&read_order);
	return rc;
}

void rx_unread(const uint8_t *buf, size_t size)
{
	fibril_mutex_lock(&rx_lock);
	for (size_t i = size; i > 0; i--) {
		if (ring_used == RX_RING_SIZE) {
			rx_drop(i);
			break;
		}
		ring_head = (ring_head + RX_RING_SIZE - 1) % RX_RING_SIZE;
		ring[ring_head] = buf[i - 1];
		ring_used++;
	}
	fibril_condvar_broadcast(&rx_cv);
	fibril_mutex_unlock(&rx_lock);
}
