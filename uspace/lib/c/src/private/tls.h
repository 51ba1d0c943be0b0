/*
 * Per-thread data: reached through the architecture's thread pointer
 * (libarch/tls.h), whose first word points to the block itself
 * (SYS_THREAD_SET_TLS).
 */
#ifndef LIBC_PRIVATE_TLS_H
#define LIBC_PRIVATE_TLS_H

#include <abi/errno.h>
#include <libarch/tls.h>

struct thread_ctl;
struct fibril_runner;

typedef struct thread_local
{
	struct thread_local *self;
	errno_t errno_value;
	struct thread_ctl *ctl; /* join state (NULL for the main thread) */
	/* The fibril runner this thread is (fibril.c): the main thread's, a
	 * spawned runner's own; NULL in a thread of thread_create(), which
	 * runs no fibrils. */
	struct fibril_runner *fibril_runner;
}
thread_local_t;

/* The main thread's runner (fibril.c), named by its thread-local block. */
extern struct fibril_runner __fibril_main_runner;

/** The calling thread's block, or NULL before libc set one. */
static inline thread_local_t *tls_get(void)
{
	return (thread_local_t *) arch_tls_get();
}

/** Makes @a t the calling thread's block. */
void tls_set(thread_local_t *t);
/** Sets up the main thread's block (start-up). */
void __tls_init_main(void);

#endif
