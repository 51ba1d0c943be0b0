/*
 * The amd64 system-call instruction. The convention (abi/syscall.h): number
 * in RAX, arguments in RDI, RSI, RDX, R10, R8, R9, result in RAX; the kernel
 * preserves every other register. RCX and R11 are declared clobbered anyway,
 * as the `syscall` instruction itself overwrites them.
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

#endif
