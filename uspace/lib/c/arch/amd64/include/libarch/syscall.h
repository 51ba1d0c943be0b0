/*
 * The amd64 system-call instruction. The convention (abi/syscall.h): number
 * in RAX, arguments in RDI, RSI, RDX, R10, R8, R9, result in RAX; the kernel
 * preserves every other register. RCX and R11 are declared clobbered anyway,
 * as the `syscall` instruction itself overwrites them. IPC calls use ten
 * registers both ways (__syscall_ipc).
 */
#ifndef LIBARCH_SYSCALL_H
#define LIBARCH_SYSCALL_H

#include <stdint.h>

/** One system-call argument or result word. */
typedef uint64_t sysarg_t;

static inline sysarg_t __syscall6(sysarg_t id, sysarg_t a1, sysarg_t a2, sysarg_t a3,
    sysarg_t a4, sysarg_t a5, sysarg_t a6)
{
	register sysarg_t r10 __asm__("r10") = a4;
	register sysarg_t r8 __asm__("r8") = a5;
	register sysarg_t r9 __asm__("r9") = a6;
	sysarg_t ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(id), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/**
 * An IPC system call (abi/syscall.h): ten words go in and come back in
 * R0..R9 = RDI, RSI, RDX, R10, R8, R9, R12, R13, R14, R15. @a r holds them
 * both ways; the result (an errno_t) is returned.
 */
static inline __attribute__((always_inline)) sysarg_t __syscall_ipc(
    sysarg_t id, sysarg_t r[10])
{
	register sysarg_t r0 __asm__("rdi") = r[0];
	register sysarg_t r1 __asm__("rsi") = r[1];
	register sysarg_t r2 __asm__("rdx") = r[2];
	register sysarg_t r3 __asm__("r10") = r[3];
	register sysarg_t r4 __asm__("r8") = r[4];
	register sysarg_t r5 __asm__("r9") = r[5];
	register sysarg_t r6 __asm__("r12") = r[6];
	register sysarg_t r7 __asm__("r13") = r[7];
	register sysarg_t r8 __asm__("r14") = r[8];
	register sysarg_t r9 __asm__("r15") = r[9];
	sysarg_t ret = id;
	__asm__ volatile("syscall"
			 : "+a"(ret), "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4),
			 "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory");
	r[0] = r0;
	r[1] = r1;
	r[2] = r2;
	r[3] = r3;
	r[4] = r4;
	r[5] = r5;
	r[6] = r6;
	r[7] = r7;
	r[8] = r8;
	r[9] = r9;
	return ret;
}

#endif
