/*
 * Start-up of the application processors (APs): the real-mode trampoline
 * (boot/trampoline.S) is copied to TRAMPOLINE_PA, below 1 MiB where a
 * STARTUP IPI can point (page TRAMPOLINE_PA / 4 KiB), and finds its
 * parameters in the block at its end, written by the boot CPU.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#define TRAMPOLINE_PA 0x8000
/* With boot option deadcpu=ID, the STARTUP IPIs of that CPU point at this
 * page, whose code only halts: it never says it is alive, as a dead CPU. */
#define DEAD_CPU_PA 0x9000

#ifndef __ASSEMBLY__
#include <types.h>

/** The parameter block at the trampoline's end (trampoline.S lays it out). */
typedef struct {
	uint32_t cr3;	/* the start-up page table (below 4 GiB) */
	uint32_t efer;	/* EFER bits to set: LME, and NXE where present */
	uint64_t stack; /* the idle thread's stack top */
	uint64_t cpu;	/* cpu_t *, the first argument of entry */
	uint64_t entry; /* ap_start() */
} trampoline_params_t;

extern char trampoline_start[], trampoline_params[], trampoline_end[];

/** Starts every CPU the MADT lists, up to CPU_MAX; reports those that do
 *  not answer and skips them. */
void arch_smp_start(void);
#endif

#endif
