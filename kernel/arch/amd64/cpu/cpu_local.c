/*
 * Per-CPU pointer through GS base.
 */
#include <arch/asm.h>
#include <arch/cpu_local.h>
#include <cpu.h>

#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

_Static_assert(__builtin_offsetof(cpu_t, self) == CPU_OFF_SELF, "cpu_t layout");
_Static_assert(
    __builtin_offsetof(cpu_t, kernel_rsp) == CPU_OFF_KERNEL_RSP, "cpu_t layout");
_Static_assert(__builtin_offsetof(cpu_t, user_rsp) == CPU_OFF_USER_RSP, "cpu_t layout");
_Static_assert(__builtin_offsetof(cpu_t, current) == CPU_OFF_CURRENT, "cpu_t layout");

cpu_t cpus[CPU_MAX];

void cpu_local_init(cpu_t *cpu)
{
	cpu->self = cpu;
	wrmsr(MSR_GS_BASE, (uintptr_t) cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
