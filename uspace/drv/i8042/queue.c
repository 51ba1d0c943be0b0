/*
 * The queues key events go to, filled by the interrupt handler (in the
 * notification fibril) and drained by clients: the bytes the keys type
 * (CHARDEV_READ) and the events themselves (KBD_GET_EVENT), kept apart so
 * each kind of reader sees every key.
 *
 * Bytes: BYTES_SIZE of them; bytes that find the ring full are dropped
 * (a reader has stopped). Events: EVENTS_SIZE; when full the oldest goes,
 * so a reader that comes late gets the latest keys. q_lock guards both;
 * byte_order and event_order (each taken before q_lock) make waiting
 * readers of one kind take turns in arrival order.
 */
#include "i8042.h"
#include <fibril_synch.h>
#include <stdio.h>

#define BYTES_SIZE  4096
#define EVENTS_SIZE 256

static FIBRIL_MUTEX_INITIALIZE(byte_order);
static FIBRIL_MUTEX_INITIALIZE(event_order);
static FIBRIL_MUTEX_INITIALIZE(q_lock);
static FIBRIL_CONDVAR_INITIALIZE(q_cv);

static uint8_t bytes[BYTES_SIZE];
static size_t bytes_head, bytes_used;
static uint64_t bytes_dropped;
static kbd_event_t events[EVENTS_SIZE];
static size_t events_head, events_used;

/** Appends the bytes @a ev types, dropping what does not fit; q_lock is
 *  held. */
static void bytes_put(const kbd_event_t *ev)
{
	uint8_t buf[KBD_ENCODE_MAX];
	size_t n = kbd_encode(ev, buf);
	for (size_t i = 0; i < n; i++) {
		if (bytes_used == BYTES_SIZE) {
			if (bytes_dropped == 0)
				printf("%s: nobody reads the keyboard; dropping input\n",
				    NAME);
			bytes_dropped += n - i;
			return;
		}
		bytes[(bytes_head + bytes_used++) % BYTES_SIZE] = buf[i];
	}
}

/** Appends @a ev, pushing out the oldest event if full; q_lock is held. */
static void events_put(const kbd_event_t *ev)
{
	if (events_used == EVENTS_SIZE) {
		events_head = (events_head + 1) % EVENTS_SIZE;
		events_used--;
	}
	events[(events_head + events_used++) % EVENTS_SIZE] = *ev;
}

/** Queues key event @a ev for both kinds of readers and wakes them. */
void kbd_queue_push(const kbd_event_t *ev)
{
	fibril_mutex_lock(&q_lock);
	bytes_put(ev);
	events_put(ev);
	fibril_condvar_broadcast(&q_cv);
	fibril_mutex_unlock(&q_lock);
}

/** Waits until *@a used is non-zero unless @a nonblock (then EAGAIN);
 *  q_lock is held. */
static errno_t queue_wait(const size_t *used, bool nonblock)
{
	while (*used == 0) {
		if (nonblock)
			return EAGAIN;
		fibril_condvar_wait(&q_cv, &q_lock);
	}
	return EOK;
}

/** Reads 1..@a size typed bytes, waiting for the first unless @a nonblock
 *  (then EAGAIN when none is queued). */
errno_t kbd_queue_read_bytes(uint8_t *buf, size_t size, bool nonblock, size_t *got)
{
	*got = 0;
	fibril_mutex_lock(&byte_order);
	fibril_mutex_lock(&q_lock);
	errno_t rc = queue_wait(&bytes_used, nonblock);
	while (rc == EOK && *got < size && bytes_used > 0) {
		buf[(*got)++] = bytes[bytes_head];
		bytes_head = (bytes_head + 1) % BYTES_SIZE;
		bytes_used--;
	}
	fibril_mutex_unlock(&q_lock);
	fibril_mutex_unlock(&byte_order);
	return rc;
}

void kbd_queue_unread_bytes(const uint8_t *buf, size_t size)
{
	fibril_mutex_lock(&q_lock);
	for (size_t i = size; i > 0 && bytes_used < BYTES_SIZE; i--) {
		bytes_head = (bytes_head + BYTES_SIZE - 1) % BYTES_SIZE;
		bytes[bytes_head] = buf[i - 1];
		bytes_used++;
	}
	fibril_condvar_broadcast(&q_cv);
	fibril_mutex_unlock(&q_lock);
}

/** Takes the next key event, waiting unless @a nonblock (then EAGAIN). */
errno_t kbd_queue_get_event(bool nonblock, kbd_event_t *ev)
{
	fibril_mutex_lock(&event_order);
	fibril_mutex_lock(&q_lock);
	errno_t rc = queue_wait(&events_used, nonblock);
	if (rc == EOK) {
		*ev = events[events_head];
		events_head = (events_head + 1) % EVENTS_SIZE;
		events_used--;
	}
	fibril_mutex_unlock(&q_lock);
	fibril_mutex_unlock(&event_order);
	return rc;
}
