/*
 * Lazy FPU/SSE state switching. The kernel never uses the FPU; user threads
 * may. CR0.TS is set whenever the registers hold another thread's state, so
 * the first FPU instruction of a thread traps (#NM) and swaps the state in.
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <proc/thread.h>

#define FPU_STATE_SIZE 512 /* FXSAVE area */

void fpu_init(void);
void fpu_context_switch(thread_t *next);
void fpu_thread_destroy(thread_t *t);

#endif
