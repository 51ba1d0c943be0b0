/*
 * Output to every output device: the serial line (newlines become CR LF,
 * as the line needs both) and displays (bytes as they are). Writes go out
 * whole and one at a time (out_lock), to every device in turn, so echo and
 * client output interleave only between writes. A device whose write fails
 * is dropped (the others go on); a write fails with EIO only when no
 * device took it.
 *
 * out_lock guards the sink table and every write.
 */
#include "console.h"
#include <fibril_synch.h>
#include <stdio.h>
#include <string.h>
#include <term.h>

#define OUT_CHUNK     512
#define OUT_SINKS_MAX 16

typedef struct {
	console_dev_t *dev;
	async_sess_t *sess;
} output_sink_t;

static FIBRIL_MUTEX_INITIALIZE(out_lock);
static output_sink_t sinks[OUT_SINKS_MAX];
static size_t sink_count;

/** Makes @a dev, through @a sess, receive all later output; ELIMIT when
 *  OUT_SINKS_MAX devices already do. */
errno_t output_attach(console_dev_t *dev, async_sess_t *sess)
{
	errno_t rc = ELIMIT;
	fibril_mutex_lock(&out_lock);
	if (sink_count < OUT_SINKS_MAX) {
		sinks[sink_count++] = (output_sink_t){.dev = dev, .sess = sess};
		rc = EOK;
	}
	fibril_mutex_unlock(&out_lock);
	return rc;
}

/** Copies bytes of @a buf into @a out (2 * @a max bytes) with '\n' made
 *  "\r\n", until @a max input bytes are used; returns the bytes used and
 *  stores the output length in *@a outlen. */
static size_t output_translate(
    const uint8_t *buf, size_t size, uint8_t *out, size_t *outlen)
{
	size_t i, o = 0;
	for (i = 0; i < size && i < OUT_CHUNK; i++) {
		if (buf[i] == '\n')
			out[o++] = '\r';
		out[o++] = buf[i];
	}
	*outlen = o;
	return i;
}

/** The serial line's write: CR LF for every newline. */
static errno_t output_write_crlf(async_sess_t *sess, const uint8_t *buf, size_t size)
{
	uint8_t out[2 * OUT_CHUNK];
	errno_t rc = EOK;
	while (size > 0 && rc == EOK) {
		size_t outlen;
		size_t used = output_translate(buf, size, out, &outlen);
		rc = term_write(sess, out, outlen);
		buf += used;
		size -= used;
	}
	return rc;
}

static errno_t sink_write(const output_sink_t *s, const uint8_t *buf, size_t size)
{
	if (s->dev->kind == DEV_SERIAL)
		return output_write_crlf(s->sess, buf, size);
	return term_write(s->sess, buf, size);
}

/** Drops sink @a i, which failed with @a rc; out_lock is held. */
static void sink_drop(size_t i, errno_t rc)
{
	printf("%s: output to %s failed (%s); dropped\n", NAME, sinks[i].dev->name,
	    str_error(rc));
	DISCARD(cleanup, async_hangup(sinks[i].sess));
	sinks[i] = sinks[--sink_count];
}

/** Writes @a size bytes of @a buf to every output device; EIO if none
 *  took them. */
errno_t output_write(const uint8_t *buf, size_t size)
{
	bool written = false;
	fibril_mutex_lock(&out_lock);
	size_t i = 0;
	while (i < sink_count) {
		errno_t rc = sink_write(&sinks[i], buf, size);
		if (rc != EOK) {
			sink_drop(i, rc); /* moves the last sink to i */
			continue;
		}
		written = true;
		i++;
	}
	fibril_mutex_unlock(&out_lock);
	return written ? EOK : EIO;
}
