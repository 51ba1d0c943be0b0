/*
 * amd64 parts of threads: initial kernel stack frames, user entry, and what
 * changes on a context switch (TSS stack, address space, lazy FPU).
 */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <proc/thread.h>

void context_switch(uintptr_t *save_sp, uintptr_t new_sp);
/** Prepares @a t's kernel stack so that the first switch to it enters thread_main(). */
void arch_thread_init(thread_t *t);
/** Called just before switching to @a next. */
void arch_thread_switch(thread_t *prev, thread_t *next);
/** The user context saved at the top of @a t's kernel stack. */
struct istate *arch_thread_istate(thread_t *t);
NORETURN void arch_enter_user(struct istate *istate);
/** Loads @a t's thread-local data base (FS base) into the CPU. */
void arch_tls_activate(thread_t *t);
/** Frees arch state (the FPU area). */
void arch_thread_destroy(thread_t *t);
/** Top of @a t's kernel stack (16-byte aligned). */
static inline uintptr_t arch_thread_stack_top(thread_t *t)
{
	return (uintptr_t) t->kstack + THREAD_STACK_SIZE;
}

#endif
