/*
 * amd64 thread-local storage: the FS base points at the thread's block,
 * whose first word points to the block itself (the kernel loads FS base at
 * each switch to the thread, SYS_THREAD_SET_TLS).
 */
#ifndef LIBARCH_TLS_H
#define LIBARCH_TLS_H

/** The calling thread's block (its first word), or NULL before one is set. */
static inline void *arch_tls_get(void)
{
	void *t;
	__asm__("mov %%fs:0, %0" : "=r"(t));
	return t;
}

/** The word at byte @a offset (a constant) of the calling thread's block,
 *  read in one instruction. */
#define ARCH_TLS_WORD(type, offset) \
	({ \
		type __w; \
		__asm__("mov %%fs:%c1, %0" : "=r"(__w) : "i"(offset)); \
		__w; \
	})

#endif
