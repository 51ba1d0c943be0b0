/*
 * General utilities: memory allocation (malloc.c over heap.c), ending the
 * task, the environment (environ.c), number parsing (strtol.c) and sorting (qsort.c).
 */
#ifndef LIBC_STDLIB_H
#define LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
/* The task's exit status after abort() (128 + SIGABRT, as shells report it). */
#define EXIT_ABORT 134

/* Memory: 16-byte aligned; malloc(0) and realloc(p, 0) return a unique
 * minimal block (free it as usual). An invalid or double free() ends the task
 * through abort() with a message on stderr. Failures set errno to ENOMEM. */
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

/** Runs the atexit() handlers (last registered first), flushes every stdio
 *  stream and ends the task with @a status. */
_Noreturn void exit(int status);
/** Ends the task with @a status at once: no handlers, no flushing. */
_Noreturn void _Exit(int status);
/** Reports "<program>: aborted" and ends the task with EXIT_ABORT. */
_Noreturn void abort(void);
/** Registers @a fn for exit(); at most 32 handlers. Returns 0 or -1. */
int atexit(void (*fn)(void));

/* The environment (environ.c): NULL, EINVAL for a name that is empty or
 * holds '=', ENOMEM; unsetenv() of a variable not set succeeds. */
char *getenv(const char *name);
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);

int abs(int n);
long labs(long n);
long long llabs(long long n);

int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
long strtol(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);

/** Sorts @a n elements of @a size bytes (heapsort: O(n log n), no recursion,
 *  not stable). */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
