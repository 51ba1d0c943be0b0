/*
 * Lazy FPU/SSE state switching. The kernel never uses the FPU; user threads
 * may. CR0.TS is set whenever the registers hold another thread's state, so
 * the first FPU instruction of a thread traps (#NM) and swaps the state in.
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <arch/asm.h>
#include <cpu.h>
#include <proc/thread.h>

#define FPU_STATE_SIZE 512 /* FXSAVE area */
#define CR0_TS	       (1ull << 3)

void fpu_init(void);
/** Sets CR0.TS unless @a next's state is the one in the registers
 *  (inline: it is part of every context switch). */
static inline void fpu_context_switch(thread_t *next)
{
	if (CPU->fpu_owner == next)
		__asm__ volatile("clts");
	else
		write_cr0(read_cr0() | CR0_TS);
}
void fpu_thread_destroy(thread_t *t);

#endif
