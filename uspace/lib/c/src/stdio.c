/*
 * Buffered streams (see private/stdio.h for FILE). Every public call locks
 * the stream, buffers its output with file_put(), and ends with file_end(),
 * which writes the buffer out as the stream's mode asks.
 */
#include "private/stdio.h"
#include <stdio.h>
#include <string.h>

static char stdout_buf[BUFSIZ];
static char stderr_buf[BUFSIZ];

static FILE stdout_file = {
    .ops = &kio_file_ops,
    .lock = LIBC_LOCK_INITIALIZER,
    .mode = _IOLBF,
    .buf = stdout_buf,
    .size = sizeof(stdout_buf),
};

static FILE stderr_file = {
    .ops = &kio_file_ops,
    .lock = LIBC_LOCK_INITIALIZER,
    .mode = _IONBF,
    .buf = stderr_buf,
    .size = sizeof(stderr_buf),
};

FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

/* The streams fflush(NULL) flushes. */
static FILE *const all_files[] = {&stdout_file, &stderr_file};

/** Writes out the buffer of @a f (locked); EOF on error. */
static int file_flush(FILE *f)
{
	if (f->len > 0 && f->ops->write(f, f->buf, f->len) != EOK)
		f->error = true;
	f->len = 0;
	f->newline = false;
	return f->error ? EOF : 0;
}

/** Buffers @a len bytes for @a f (locked), flushing whenever it fills. */
static void file_put(FILE *f, const char *data, size_t len)
{
	if (f->mode == _IOLBF && memchr(data, '\n', len) != NULL)
		f->newline = true;
	while (len > 0) {
		if (f->len == f->size)
			file_flush(f);
		size_t n = f->size - f->len < len ? f->size - f->len : len;
		memcpy(f->buf + f->len, data, n);
		f->len += n;
		data += n;
		len -= n;
	}
}

static void file_put_sink(void *ctx, const char *data, size_t len)
{
	file_put(ctx, data, len);
}

/** Starts a call on @a f: stderr output first flushes stdout (lock order). */
static void file_begin(FILE *f)
{
	if (f == stderr)
		fflush(stdout);
	libc_lock(&f->lock);
}

/** Ends a call on @a f: flushes as the mode asks and unlocks; EOF if the
 *  stream has failed. */
static int file_end(FILE *f)
{
	if (f->mode == _IONBF || f->newline)
		file_flush(f);
	int rc = f->error ? EOF : 0;
	libc_unlock(&f->lock);
	return rc;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	file_begin(f);
	int n = printf_core(fmt, ap, file_put_sink, f);
	return file_end(f) == EOF ? EOF : n;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

size_t fwrite(const void *restrict buf, size_t size, size_t n, FILE *restrict f)
{
	if (size == 0 || n == 0)
		return 0;
	file_begin(f);
	file_put(f, buf, size * n);
	return file_end(f) == EOF ? 0 : n;
}

int fputs(const char *restrict s, FILE *restrict f)
{
	file_begin(f);
	file_put(f, s, strlen(s));
	return file_end(f);
}

int puts(const char *s)
{
	file_begin(stdout);
	file_put(stdout, s, strlen(s));
	file_put(stdout, "\n", 1);
	return file_end(stdout);
}

int fputc(int c, FILE *f)
{
	char ch = (char) c;
	file_begin(f);
	file_put(f, &ch, 1);
	return file_end(f) == EOF ? EOF : (unsigned char) ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fflush(FILE *f)
{
	if (f == NULL) {
		int rc = 0;
		for (size_t i = 0; i < sizeof(all_files) / sizeof(all_files[0]); i++)
			rc |= fflush(all_files[i]);
		return rc != 0 ? EOF : 0;
	}
	libc_lock(&f->lock);
	int rc = file_flush(f);
	libc_unlock(&f->lock);
	return rc;
}

int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
		return -1;
	libc_lock(&f->lock);
	file_flush(f);
	f->mode = mode;
	if (buf != NULL && size > 0) {
		f->buf = buf;
		f->size = size;
	}
	libc_unlock(&f->lock);
	return 0;
}

int ferror(FILE *f)
{
	libc_lock(&f->lock);
	int error = f->error;
	libc_unlock(&f->lock);
	return error;
}

void clearerr(FILE *f)
{
	libc_lock(&f->lock);
	f->error = false;
	libc_unlock(&f->lock);
}
