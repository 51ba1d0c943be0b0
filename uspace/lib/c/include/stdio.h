/*
 * Buffered streams: stdin, stdout, stderr and files (fopen, fdopen), for
 * reading and writing. A program started with descriptors for its standard
 * streams (the shell and task_spawn give them: a terminal, a file, a pipe)
 * has stdin, stdout and stderr on those; without them stdout and stderr
 * write to the kernel console (SYS_KIO_WRITE) and stdin is at its end at
 * once. stdin and stdout are line-buffered, stderr is unbuffered (stdout is
 * flushed first, so the two appear in program order), files are fully
 * buffered (setvbuf changes it). Every FILE has a lock, so calls from several
 * fibrils do not mix their output; streams on descriptors are for fibrils
 * only, the console ones work from any thread (src/private/stdio.h).
 *
 * snprintf/vsnprintf come from common/printf_core.h; all formatting is
 * printf_core's (conversions d i u o x X c s p %, no floating point).
 */
#ifndef LIBC_STDIO_H
#define LIBC_STDIO_H

#include <common/printf_core.h>
#include <stdarg.h>
#include <stddef.h>

typedef struct file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

#define EOF (-1)

/* fseek whence (the values of abi/vfs.h) */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define BUFSIZ	 1024

/* Buffering modes for setvbuf. */
#define _IOFBF 0 /* written when the buffer is full */
#define _IOLBF 1 /* ... or a call wrote a newline */
#define _IONBF 2 /* ... or at the end of every call */

int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap);
int fprintf(FILE *restrict f, const char *restrict fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict f);
/** Writes @a s and a newline to stdout. */
int puts(const char *s);
size_t fwrite(const void *restrict buf, size_t size, size_t n, FILE *restrict f);

/** Writes out @a f's buffer; fflush(NULL) flushes every stream. 0 or EOF. */
int fflush(FILE *f);
/** Sets @a f's buffering @a mode and, if @a buf is not NULL, its buffer of
 *  @a size bytes (which must outlive the stream). 0, or -1 for a bad mode. */
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size);
int ferror(FILE *f);
void clearerr(FILE *f);

/*
 * Files (fopen modes r, w, a with + for both ways, b ignored, x exclusive)
 * and input. Streams on files wait for the VFS: use them from fibrils.
 */
FILE *fopen(const char *restrict path, const char *restrict mode);
/** A stream on open descriptor @a fd (which fclose then closes). */
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);
int fileno(FILE *f);
size_t fread(void *restrict buf, size_t size, size_t n, FILE *restrict f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
/** Pushes @a c back (one character). */
int ungetc(int c, FILE *f);
/** Reads a line (with its '\n') of at most @a n - 1 bytes; NULL at the end. */
char *fgets(char *restrict s, int n, FILE *restrict f);
int feof(FILE *f);
/** Moves the position as @a whence says; 0 or -1. */
int fseek(FILE *f, long offset, int whence);
long ftell(FILE *f);
void rewind(FILE *f);

/** Renames @a old_path to @a new_path (the VFS, posix_file.c); 0, or -1
 *  with errno. */
int rename(const char *old_path, const char *new_path);

#endif
