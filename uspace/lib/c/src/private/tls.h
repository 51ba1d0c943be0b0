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

typedef struct thread_local
{
	struct thread_local *self;
	errno_t errno_value;
	struct thread_ctl *ctl; /* join state (NULL for the main thread) */
}
thread_local_t;

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
