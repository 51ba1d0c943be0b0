/*
 * Stream input and positioning (see private/stdio.h for the buffering).
 */
#include "private/stdio.h"
#include <string.h>

/** Refills @a f's read-ahead (locked); false at the end or on an error. */
static bool fill(FILE *f)
{
	if (f->ops->read == NULL) {
		f->error = true;
		return false;
	}
	if (f->len > 0 && file_flush(f) == EOF)
		return false;
	size_t got = 0;
	if (f->ops->read(f, f->buf, f->size, &got) != EOK) {
		f->error = true;
		return false;
	}
	f->rpos = 0;
	f->rlen = got;
	f->eof = got == 0;
	return got > 0;
}

/** The next byte of @a f (locked), or EOF. */
static int get_locked(FILE *f)
{
	if (f->ungot != EOF) {
		int c = f->ungot;
		f->ungot = EOF;
		return c;
	}
	if (f->rpos == f->rlen && !fill(f))
		return EOF;
	return (unsigned char) f->buf[f->rpos++];
}

int fgetc(FILE *f)
{
	file_lock(f);
	int c = get_locked(f);
	file_unlock(f);
	return c;
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
	if (c == EOF)
		return EOF;
	file_lock(f);
	bool room = f->ungot == EOF;
	if (room) {
		f->ungot = (unsigned char) c;
		f->eof = false;
	}
	file_unlock(f);
	return room ? (unsigned char) c : EOF;
}

char *fgets(char *restrict s, int n, FILE *restrict f)
{
	if (n <= 0)
		return NULL;
	file_lock(f);
	int i = 0;
	while (i < n - 1) {
		int c = get_locked(f);
		if (c == EOF)
			break;
		s[i++] = (char) c;
		if (c == '\n')
			break;
	}
	file_unlock(f);
	s[i] = '\0';
	return i > 0 ? s : NULL;
}

size_t fread(void *restrict buf, size_t size, size_t n, FILE *restrict f)
{
	if (size == 0 || n == 0)
		return 0;
	size_t want = size * n, done = 0;
	char *dst = buf;
	file_lock(f);
	if (f->ungot != EOF)
		dst[done++] = (char) get_locked(f);
	while (done < want) {
		if (f->rpos == f->rlen && !fill(f))
			break;
		size_t chunk = f->rlen - f->rpos;
		if (chunk > want - done)
			chunk = want - done;
		memcpy(dst + done, f->buf + f->rpos, chunk);
		f->rpos += chunk;
		done += chunk;
	}
	file_unlock(f);
	return done / size;
}

int feof(FILE *f)
{
	file_lock(f);
	int eof = f->eof;
	file_unlock(f);
	return eof;
}

/** Moves @a f (locked) as fseek() says; its new position in *@a pos. */
static int seek_locked(FILE *f, int64_t offset, int whence, uint64_t *pos)
{
	if (f->ops->seek == NULL) {
		f->error = true;
		return -1;
	}
	if (file_flush(f) == EOF)
		return -1;
	/* Relative to what the caller has taken, not to the read-ahead. */
	if (whence == SEEK_CUR)
		offset -= (int64_t) (f->rlen - f->rpos + (f->ungot != EOF));
	f->rpos = f->rlen = 0;
	f->ungot = EOF;
	if (f->ops->seek(f, offset, whence, pos) != EOK) {
		f->error = true;
		return -1;
	}
	f->eof = false;
	return 0;
}

int fseek(FILE *f, long offset, int whence)
{
	uint64_t pos;
	file_lock(f);
	int rc = seek_locked(f, offset, whence, &pos);
	file_unlock(f);
	return rc;
}

long ftell(FILE *f)
{
	uint64_t pos;
	file_lock(f);
	int rc = seek_locked(f, 0, SEEK_CUR, &pos);
	file_unlock(f);
	return rc == 0 ? (long) pos : -1;
}

void rewind(FILE *f)
{
	fseek(f, 0, SEEK_SET);
	clearerr(f);
}
