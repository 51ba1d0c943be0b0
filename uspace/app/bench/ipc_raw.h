/*
 * The raw IPC system-call instruction for the benchmark: all ten IPC
 * registers in and out (R0..R9 = RDI, RSI, RDX, R10, R8, R9, R12, R13, R14,
 * R15; see docs/ipc.md), nothing else between the program and the kernel.
 */
#ifndef BENCH_IPC_RAW_H
#define BENCH_IPC_RAW_H

#include <abi/errno.h>
#include <stdint.h>

typedef struct {
	uint64_t r[10];
} ipc_regs_t;

static inline errno_t ipc_raw(uint64_t num, ipc_regs_t *regs)
{
	register uint64_t r0 __asm__("rdi") = regs->r[0];
	register uint64_t r1 __asm__("rsi") = regs->r[1];
	register uint64_t r2 __asm__("rdx") = regs->r[2];
	register uint64_t r3 __asm__("r10") = regs->r[3];
	register uint64_t r4 __asm__("r8") = regs->r[4];
	register uint64_t r5 __asm__("r9") = regs->r[5];
	register uint64_t r6 __asm__("r12") = regs->r[6];
	register uint64_t r7 __asm__("r13") = regs->r[7];
	register uint64_t r8 __asm__("r14") = regs->r[8];
	register uint64_t r9 __asm__("r15") = regs->r[9];
	uint64_t rax = num;
	__asm__ volatile("syscall"
			 : "+a"(rax), "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4),
			 "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory");
	regs->r[0] = r0;
	regs->r[1] = r1;
	regs->r[2] = r2;
	regs->r[3] = r3;
	regs->r[4] = r4;
	regs->r[5] = r5;
	regs->r[6] = r6;
	regs->r[7] = r7;
	regs->r[8] = r8;
	regs->r[9] = r9;
	return (errno_t) rax;
}

#endif
