/*
 * Buffered streams (see private/stdio.h for FILE): locking, the list of
 * streams, and output. Every output call locks the stream, buffers its
 * output with file_put(), and ends with file_end(), which writes the buffer
 * out as the stream's mode asks. Input is stdio_read.c, opening and closing
 * stdio_file.c.
 */
#include "private/libc.h"
#include "private/stdio.h"
#include <stdio.h>
#include <string.h>

static char stdout_buf[BUFSIZ];
static char stderr_buf[BUFSIZ];

static FILE stderr_file = {
    .ops = &kio_file_ops,
    .lock.spin = LIBC_LOCK_INITIALIZER,
    .mode = _IONBF,
    .buf = stderr_buf,
    .size = sizeof(stderr_buf),
    .ungot = EOF,
};

static FILE stdout_file = {
    .ops = &kio_file_ops,
    .lock.spin = LIBC_LOCK_INITIALIZER,
    .mode = _IOLBF,
    .buf = stdout_buf,
    .size = sizeof(stdout_buf),
    .ungot = EOF,
    .next = &stderr_file,
};

FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

/* Every stream, for fflush(NULL); a fibril mutex, since flushing a VFS
 * stream waits for IPC with it held. */
static FIBRIL_MUTEX_INITIALIZE(files_lock);
static FILE *files = &stdout_file;

void file_lock(FILE *f)
{
	if (f->fibril_lock)
		fibril_mutex_lock(&f->lock.mutex);
	else
		libc_lock(&f->lock.spin);
}

void file_unlock(FILE *f)
{
	if (f->fibril_lock)
		fibril_mutex_unlock(&f->lock.mutex);
	else
		libc_unlock(&f->lock.spin);
}

void file_list_add(FILE *f)
{
	fibril_mutex_lock(&files_lock);
	f->next = files;
	files = f;
	fibril_mutex_unlock(&files_lock);
}

void file_list_remove(FILE *f)
{
	fibril_mutex_lock(&files_lock);
	for (FILE **p = &files; *p != NULL; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
	fibril_mutex_unlock(&files_lock);
}

int file_drop_input(FILE *f)
{
	size_t unread = f->rlen - f->rpos + (f->ungot != EOF);
	f->rpos = f->rlen = 0;
	f->ungot = EOF;
	uint64_t pos;
	if (unread > 0 && f->ops->seek != NULL &&
	    f->ops->seek(f, -(int64_t) unread, SEEK_CUR, &pos) != EOK)
		f->error = true;
	return f->error ? EOF : 0;
}

int file_flush(FILE *f)
{
	if (f->len > 0 && f->ops->write(f, f->buf, f->len) != EOK)
		f->error = true;
	f->len = 0;
	f->newline = false;
	return f->error ? EOF : 0;
}

/** Buffers @a len bytes for @a f (locked), flushing whenever it fills;
 *  what is left once the buffer is empty, if it would fill it, goes out at once. */
static void file_put(FILE *f, const char *data, size_t len)
{
	if (f->rlen > f->rpos || f->ungot != EOF)
		file_drop_input(f);
	if (f->mode == _IOLBF && memchr(data, '\n', len) != NULL)
		f->newline = true;
	while (len > 0) {
		if (f->len == f->size)
			file_flush(f);
		if (f->len == 0 && len >= f->size) {
			/* A buffer's worth or more: out in one write, not in
			 * pieces of the buffer's size (a 32 KiB fwrite to a file
			 * was 32 writes through the VFS). */
			if (f->ops->write(f, data, len) != EOK)
				f->error = true;
			return;
		}
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
	file_lock(f);
}

/** Ends a call on @a f: flushes as the mode asks and unlocks; EOF if the
 *  stream has failed. */
static int file_end(FILE *f)
{
	if (f->mode == _IONBF || f->newline)
		file_flush(f);
	int rc = f->error ? EOF : 0;
	file_unlock(f);
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

void __stdio_flush_console(void)
{
	FILE *const console[] = {stdout, stderr};
	for (int i = 0; i < 2; i++) {
		if (!console[i]->fibril_lock)
			fflush(console[i]);
	}
}

/** fflush(NULL): every stream (fclose waits while this runs). */
static int flush_all(void)
{
	int rc = 0;
	fibril_mutex_lock(&files_lock);
	for (FILE *f = files; f != NULL; f = f->next)
		rc |= fflush(f);
	fibril_mutex_unlock(&files_lock);
	return rc != 0 ? EOF : 0;
}

int fflush(FILE *f)
{
	if (f == NULL)
		return flush_all();
	file_lock(f);
	int rc = file_flush(f);
	file_unlock(f);
	return rc;
}

int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
		return -1;
	file_lock(f);
	file_flush(f);
	f->mode = mode;
	if (buf != NULL && size > 0) {
		f->buf = buf;
		f->size = size;
	}
	file_unlock(f);
	return 0;
}

int ferror(FILE *f)
{
	file_lock(f);
	int error = f->error;
	file_unlock(f);
	return error;
}

void clearerr(FILE *f)
{
	file_lock(f);
	f->error = false;
	f->eof = false;
	file_unlock(f);
}
