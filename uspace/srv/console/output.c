/*
 * Output to the serial device: newlines become CR LF (the serial line needs
 * both), writes go out whole and one at a time (out_lock), so echo and
 * client output interleave only between writes. A device that failed makes
 * every later write fail with EIO.
 */
#include "console.h"
#include <fibril_synch.h>
#include <term.h>

#define OUT_CHUNK 512

static FIBRIL_MUTEX_INITIALIZE(out_lock);
static async_sess_t *out_serial;

void output_init(async_sess_t *serial)
{
	out_serial = serial;
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

/** Writes @a size bytes of @a buf to the serial device; EIO if it failed. */
errno_t output_write(const uint8_t *buf, size_t size)
{
	uint8_t out[2 * OUT_CHUNK];
	errno_t rc = EOK;
	fibril_mutex_lock(&out_lock);
	while (size > 0 && rc == EOK) {
		size_t outlen;
		size_t used = output_translate(buf, size, out, &outlen);
		rc = term_write(out_serial, out, outlen);
		buf += used;
		size -= used;
	}
	fibril_mutex_unlock(&out_lock);
	return rc == EOK ? EOK : EIO;
}
