/*
 * The line discipline and the input queue.
 *
 * One input fibril per input device (the serial line, keyboards) reads it
 * and feeds every byte through input_byte(): in raw mode straight into the
 * queue; in cooked mode into the line being edited, which goes into the
 * queue (with its '\n') when Enter ends it. The devices share the one
 * line: what is typed on any of them goes into it. The queue is bounded
 * (QUEUE_SIZE entries; a line that does not fit is dropped and counted)
 * and holds bytes and end-of-input marks (Ctrl-D on an empty line), each
 * given to exactly one read.
 *
 * Typed ahead, every byte reaches the next reader in order, whatever the
 * mode switches in between (the shell reads raw and runs programs cooked):
 * bytes queued in raw mode that no read took yet go through the line
 * editor when the terminal turns cooked (echoed then, as if typed then),
 * and the line being edited goes to the queue as it is when the terminal
 * turns raw. Bytes a read took for a reader that had gone (its answer
 * failed with EHANGUP) go back to the head of the queue (input_unread).
 *
 * term_lock guards mode, line, queue, raw_pending, foreground, interrupt_pending and the
 * device counts. Echo and the Ctrl-C kill are collected under it and
 * carried out after it is released. feed_lock (taken first) lets one
 * feeder at a time through the line discipline, an input fibril's chunk
 * or the re-editing of a mode switch, so bytes are handled in the order
 * they were typed. read_order (taken before term_lock) lines waiting
 * readers up, so reads are served in the order they came.
 *
 * A device that fails (its driver died) ends its fibril and is dropped.
 * Once every input device the console had is gone, readers get what is
 * queued and then EIO, until a new one is attached.
 */
#include "console.h"
#include <abi/chardev.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <term.h>

#define LINE_MAX   256
#define QUEUE_SIZE 4096
#define QUEUE_EOF  (-1) /* an end-of-input mark in the queue */
#define IN_CHUNK   64
#define ECHO_MAX   (IN_CHUNK * 4) /* the most any one byte echoes is "^C\n" */

#define KEY_CTRL_C    0x03
#define KEY_CTRL_D    0x04
#define KEY_BACKSPACE 0x08
#define KEY_DEL	      0x7f

/** What handling some input leaves to do once term_lock is released. */
typedef struct {
	uint8_t echo[ECHO_MAX];
	size_t echo_len;
	task_id_t kill[TERM_FOREGROUND_MAX];
	size_t kill_count;
} input_effects_t;

static FIBRIL_MUTEX_INITIALIZE(feed_lock);
static FIBRIL_MUTEX_INITIALIZE(read_order);
static FIBRIL_MUTEX_INITIALIZE(term_lock);
static FIBRIL_CONDVAR_INITIALIZE(queue_cv);

static unsigned mode = TERM_MODE_COOKED;
static char line[LINE_MAX];
static size_t line_len;
static int16_t queue[QUEUE_SIZE]; /* bytes 0..255 and QUEUE_EOF */
static size_t queue_head, queue_used;
static uint64_t queue_dropped;
/* In raw mode: how many entries at the queue's tail were queued since the
 * terminal went raw and no read took yet (0 in cooked mode). */
static size_t raw_pending;
/* The bytes a switch to cooked mode takes back from the queue to edit
 * them; guarded by feed_lock. */
static uint8_t recook_buf[QUEUE_SIZE];
static task_id_t foreground[TERM_FOREGROUND_MAX]; /* what Ctrl-C kills */
static size_t foreground_count;
/* A Ctrl-C typed in cooked mode while no task was the foreground: the shell
 * turns the terminal cooked before it starts a pipeline and names each task
 * the foreground once it exists, so an interrupt typed right after Enter
 * belongs to the tasks named next. Every task named while it is set is
 * killed; the shell taking the terminal back (raw mode, or no foreground)
 * clears it. */
static bool interrupt_pending;
/* Counts the times the foreground was cleared (the shell took the terminal
 * back). A read waiting since before is answered EINTR: its program ended
 * or was stopped (the read may come through locfs after the task died) and
 * must not take the input typed for the next one. */
static uint64_t read_epoch;
static size_t attached;	   /* input devices being read */
static bool ever_attached; /* input fails once all are gone */

/** An input device and the session its fibril reads. */
typedef struct {
	console_dev_t *dev;
	async_sess_t *sess;
} input_source_t;

/** Appends @a entry; false (nothing changed) if the queue is full. */
static bool queue_put(int16_t entry)
{
	if (queue_used == QUEUE_SIZE)
		return false;
	queue[(queue_head + queue_used++) % QUEUE_SIZE] = entry;
	return true;
}

static int16_t queue_peek(void)
{
	return queue[queue_head];
}

static void queue_pop(void)
{
	queue_head = (queue_head + 1) % QUEUE_SIZE;
	queue_used--;
	if (raw_pending > queue_used)
		raw_pending = queue_used;
}

/** Puts @a entry back at the head; false (nothing changed) if full. */
static bool queue_push_front(int16_t entry)
{
	if (queue_used == QUEUE_SIZE)
		return false;
	queue_head = (queue_head + QUEUE_SIZE - 1) % QUEUE_SIZE;
	queue[queue_head] = entry;
	queue_used++;
	return true;
}

static void echo(input_effects_t *fx, const char *s)
{
	size_t n = strlen(s);
	memcpy(&fx->echo[fx->echo_len], s, n);
	fx->echo_len += n;
}

/** Enter: the line and its '\n' go to the queue, whole or not at all. */
static void line_finish(input_effects_t *fx)
{
	if (QUEUE_SIZE - queue_used >= line_len + 1) {
		for (size_t i = 0; i < line_len; i++)
			queue_put((uint8_t) line[i]);
		queue_put('\n');
	} else {
		queue_dropped += line_len + 1;
	}
	line_len = 0;
	echo(fx, "\n");
	fibril_condvar_broadcast(&queue_cv);
}

static void line_erase(input_effects_t *fx)
{
	if (line_len == 0)
		return;
	line_len--;
	echo(fx, "\b \b");
}

/** Ctrl-D: ends input once, if the line is empty (otherwise ignored). */
static void line_end_input(void)
{
	if (line_len != 0)
		return;
	if (queue_put(QUEUE_EOF))
		fibril_condvar_broadcast(&queue_cv);
}

static void line_interrupt(input_effects_t *fx)
{
	line_len = 0;
	echo(fx, "^C\n");
	memcpy(fx->kill, foreground, sizeof(foreground));
	fx->kill_count = foreground_count;
	if (foreground_count == 0)
		interrupt_pending = true;
}

/** One typed character; the line keeps what fits (LINE_MAX - 1). */
static void line_add(input_effects_t *fx, uint8_t c)
{
	if (line_len >= LINE_MAX - 1)
		return;
	line[line_len++] = (char) c;
	fx->echo[fx->echo_len++] = c;
}

static void input_cooked(input_effects_t *fx, uint8_t c)
{
	switch (c) {
	case '\r':
	case '\n':
		line_finish(fx);
		break;
	case KEY_BACKSPACE:
	case KEY_DEL:
		line_erase(fx);
		break;
	case KEY_CTRL_D:
		line_end_input();
		break;
	case KEY_CTRL_C:
		line_interrupt(fx);
		break;
	default:
		line_add(fx, c);
		break;
	}
}

static void input_raw(uint8_t c)
{
	if (queue_put(c))
		raw_pending++;
	else
		queue_dropped++;
	fibril_condvar_broadcast(&queue_cv);
}

/** Kills @a id for a Ctrl-C; term_lock must not be held. */
static void interrupt_task(task_id_t id)
{
	errno_t rc = task_kill(id);
	if (rc != EOK && rc != ENOENT) /* ENOENT: it had ended already */
		printf("%s: cannot kill task %llu: %s\n", NAME, (unsigned long long) id,
		    strerror(rc));
}

/** Handles @a size (at most IN_CHUNK) typed bytes; feed_lock is held. */
static void input_process(const uint8_t *buf, size_t size)
{
	input_effects_t fx = {.echo_len = 0, .kill_count = 0};
	fibril_mutex_lock(&term_lock);
	for (size_t i = 0; i < size; i++) {
		if (mode == TERM_MODE_RAW)
			input_raw(buf[i]);
		else
			input_cooked(&fx, buf[i]);
	}
	fibril_mutex_unlock(&term_lock);
	if (fx.echo_len > 0)
		(void) output_write(fx.echo, fx.echo_len); /* a failure shows in reads */
	for (size_t i = 0; i < fx.kill_count; i++)
		interrupt_task(fx.kill[i]);
}

/** Forgets @a src, whose read failed with @a rc. */
static void input_detach(input_source_t *src, errno_t rc)
{
	fibril_mutex_lock(&term_lock);
	attached--;
	if (attached == 0)
		printf("%s: no input device left; reads now fail with EIO\n", NAME);
	fibril_condvar_broadcast(&queue_cv);
	fibril_mutex_unlock(&term_lock);
	DISCARD(cleanup, async_hangup(src->sess));
	devices_failed(src->dev, rc);
	free(src);
}

static errno_t input_fibril(void *arg)
{
	input_source_t *src = arg;
	for (;;) {
		uint8_t buf[IN_CHUNK];
		size_t got;
		errno_t rc = term_read(src->sess, buf, sizeof(buf), 0, &got);
		if (rc != EOK) {
			input_detach(src, rc);
			return rc;
		}
		fibril_mutex_lock(&feed_lock);
		input_process(buf, got);
		fibril_mutex_unlock(&feed_lock);
	}
}

/** Starts reading @a dev through @a sess (a session of its own: the
 *  reads block). */
errno_t input_attach(console_dev_t *dev, async_sess_t *sess)
{
	input_source_t *src = malloc(sizeof(*src));
	if (src == NULL)
		return ENOMEM;
	*src = (input_source_t){.dev = dev, .sess = sess};
	fid_t f = fibril_create(input_fibril, src);
	if (f == 0) {
		free(src);
		return ENOMEM;
	}
	fibril_mutex_lock(&term_lock);
	attached++;
	ever_attached = true;
	fibril_mutex_unlock(&term_lock);
	fibril_detach(f);
	fibril_add_ready(f);
	return EOK;
}

/** Takes queued bytes for one read; term_lock is held and the queue does
 *  not begin with an end mark. Cooked reads stop after a '\n'. */
static size_t queue_take(uint8_t *buf, size_t size)
{
	size_t n = 0;
	while (n < size && queue_used > 0 && queue_peek() != QUEUE_EOF) {
		buf[n] = (uint8_t) queue_peek();
		queue_pop();
		if (buf[n++] == '\n' && mode == TERM_MODE_COOKED)
			break;
	}
	return n;
}

/** Waits for input (unless @a nonblock); term_lock is held. */
static errno_t queue_wait(bool nonblock, uint64_t epoch)
{
	while (queue_used == 0 || epoch != read_epoch) {
		if (epoch != read_epoch)
			return EINTR;
		if (attached == 0 && ever_attached)
			return EIO;
		if (nonblock)
			return EAGAIN;
		fibril_condvar_wait(&queue_cv, &term_lock);
	}
	return EOK;
}

/** One client read: 1..@a size bytes, or 0 for an end-of-input mark. */
errno_t input_read(uint8_t *buf, size_t size, bool nonblock, size_t *got)
{
	*got = 0;
	fibril_mutex_lock(&term_lock);
	uint64_t epoch = read_epoch;
	fibril_mutex_unlock(&term_lock);
	if (!nonblock)
		fibril_mutex_lock(&read_order);
	fibril_mutex_lock(&term_lock);
	errno_t rc = queue_wait(nonblock, epoch);
	if (rc == EOK && queue_peek() == QUEUE_EOF)
		queue_pop();
	else if (rc == EOK)
		*got = queue_take(buf, size);
	fibril_mutex_unlock(&term_lock);
	if (!nonblock)
		fibril_mutex_unlock(&read_order);
	return rc;
}

/** Turning raw: the line being edited goes to the queue as typed bytes
 *  (what does not fit is dropped and counted); term_lock is held. */
static void line_to_queue(void)
{
	for (size_t i = 0; i < line_len; i++) {
		if (queue_put((uint8_t) line[i]))
			raw_pending++;
		else
			queue_dropped++;
	}
	line_len = 0;
	fibril_condvar_broadcast(&queue_cv);
}

/** Turning cooked: takes the raw_pending bytes off the queue's tail into
 *  recook_buf and returns how many; term_lock and feed_lock are held. */
static size_t queue_untail_raw(void)
{
	size_t n = raw_pending;
	for (size_t i = 0; i < n; i++) {
		size_t at = (queue_head + queue_used - n + i) % QUEUE_SIZE;
		recook_buf[i] = (uint8_t) queue[at];
	}
	queue_used -= n;
	raw_pending = 0;
	return n;
}

/** Switches to @a new_mode; no typed byte is lost or reordered (see the
 *  top of this file). */
errno_t input_set_mode(unsigned new_mode)
{
	if (new_mode != TERM_MODE_COOKED && new_mode != TERM_MODE_RAW)
		return EINVAL;
	fibril_mutex_lock(&feed_lock);
	fibril_mutex_lock(&term_lock);
	size_t recook = 0;
	if (new_mode == TERM_MODE_RAW && mode == TERM_MODE_COOKED)
		line_to_queue();
	else if (new_mode == TERM_MODE_COOKED && mode == TERM_MODE_RAW)
		recook = queue_untail_raw();
	mode = new_mode;
	if (mode == TERM_MODE_RAW)
		interrupt_pending = false;
	fibril_mutex_unlock(&term_lock);
	for (size_t done = 0; done < recook; done += IN_CHUNK) {
		size_t n = recook - done < IN_CHUNK ? recook - done : IN_CHUNK;
		input_process(&recook_buf[done], n);
	}
	fibril_mutex_unlock(&feed_lock);
	return EOK;
}

void input_unread(const uint8_t *buf, size_t size)
{
	fibril_mutex_lock(&term_lock);
	for (size_t i = size; i > 0; i--) {
		if (!queue_push_front(buf[i - 1])) {
			queue_dropped += i;
			break;
		}
	}
	fibril_condvar_broadcast(&queue_cv);
	fibril_mutex_unlock(&term_lock);
}

unsigned input_get_mode(void)
{
	fibril_mutex_lock(&term_lock);
	unsigned m = mode;
	fibril_mutex_unlock(&term_lock);
	return m;
}

void input_set_foreground(task_id_t id)
{
	fibril_mutex_lock(&term_lock);
	foreground[0] = id;
	foreground_count = id != 0;
	if (id == 0) {
		interrupt_pending = false;
		read_epoch++;
		fibril_condvar_broadcast(&queue_cv);
	}
	bool interrupted = id != 0 && interrupt_pending;
	fibril_mutex_unlock(&term_lock);
	if (interrupted)
		interrupt_task(id);
}

errno_t input_add_foreground(task_id_t id)
{
	errno_t rc = id != 0 ? EOK : EINVAL;
	fibril_mutex_lock(&term_lock);
	if (rc == EOK && foreground_count == TERM_FOREGROUND_MAX)
		rc = ELIMIT;
	if (rc == EOK)
		foreground[foreground_count++] = id;
	bool interrupted = rc == EOK && interrupt_pending;
	fibril_mutex_unlock(&term_lock);
	if (interrupted)
		interrupt_task(id);
	return rc;
}
