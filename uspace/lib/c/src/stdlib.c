/*
 * Ending the task (exit, _Exit, abort, atexit) and the small integer helpers.
 * The atexit table is written before exit() runs it and is not locked:
 * register handlers from one thread, at start-up.
 */
#include "private/libc.h"
#include <kio.h>
#include <stdio.h>
#include <stdlib.h>
#include <fibril.h>
#include <string.h>
#include <task.h>

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

_Noreturn void exit(int status)
{
	fibril_flush_answer(); /* an answer given just before exiting goes out */
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	fflush(NULL);
	task_exit(status);
}

_Noreturn void _Exit(int status)
{
	task_exit(status);
}

_Noreturn void abort(void)
{
	/* Only the console: flushing a file takes locks the caller may hold
	 * (abort() also ends a deadlocked task). */
	__stdio_flush_console();
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "%s: aborted\n", __progname);
	DISCARD(best_effort,
	    kio_write(msg, n < (int) sizeof(msg) ? (size_t) n : sizeof(msg) - 1));
	task_exit(EXIT_ABORT);
}

int abs(int n)
{
	return n < 0 ? -n : n;
}

long labs(long n)
{
	return n < 0 ? -n : n;
}

long long llabs(long long n)
{
	return n < 0 ? -n : n;
}

int atoi(const char *s)
{
	return (int) strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
