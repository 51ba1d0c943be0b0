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
/** The running CPU's FPU control bits (fpu_init does them on the boot CPU). */
void fpu_cpu_init(void);

/** The FPU registers into FXSAVE area @a area. CR0.TS clear. */
static inline void fpu_save(void *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

/** The FPU registers from FXSAVE area @a area. CR0.TS clear. */
static inline void fpu_restore(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

/**
 * At every context switch on @a cpu (the running one): a thread that has
 * used the FPU gets its state loaded at once (eagerly: cheaper than the trap
 * its next FPU instruction would take, and no state lingers for another
 * thread to probe), the live owner's saved first; for one that never did,
 * CR0.TS is set so that its first FPU instruction traps. Inline: part of
 * every switch.
 */
static inline __attribute__((always_inline)) void fpu_context_switch(
    cpu_t *cpu, thread_t *next)
{
	thread_t *owner = cpu->fpu_owner;
	if (owner == next) {
		__asm__ volatile("clts");
	} else if (next->fpu_state != NULL) {
		__asm__ volatile("clts");
		if (owner != NULL)
			fpu_save(owner->fpu_state);
		fpu_restore(next->fpu_state);
		cpu->fpu_owner = next;
	} else {
		write_cr0(read_cr0() | CR0_TS);
	}
}
void fpu_thread_destroy(thread_t *t);
/** If @a t's state is live in this CPU's FPU, saves it and leaves the FPU
 *  to nobody (CR0.TS set), so that @a t may run on another CPU. */
void fpu_release(thread_t *t);

#endif
