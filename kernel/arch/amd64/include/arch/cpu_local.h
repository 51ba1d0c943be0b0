/*
 * amd64 per-CPU pointer: GS base holds the cpu_t of the running CPU while in
 * the kernel (user GS lives in KERNEL_GS_BASE and is swapped on entry).
 */
#ifndef ARCH_CPU_LOCAL_H
#define ARCH_CPU_LOCAL_H

#define CPU_OFF_SELF	   0
#define CPU_OFF_KERNEL_RSP 8
#define CPU_OFF_USER_RSP   16
#define CPU_OFF_CURRENT	   24

/* Data written by different CPUs is kept this far apart (the cache line),
 * so that one CPU's writes do not take the line from under another's. */
#define CPU_LINE_SIZE 64

#ifndef __ASSEMBLY__
struct cpu;
/** Points GS base at @a cpu (the kernel's view). */
void cpu_local_init(struct cpu *cpu);

/** The running CPU's cpu_t (its first word points to itself). Volatile: a
 *  thread may be on another CPU after any switch, so a value read before
 *  one must not be reused after it. */
static inline void *arch_cpu_local(void)
{
	void *cpu;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(cpu));
	return cpu;
}

/** The running CPU's current thread (cpu_t.current) in one load. Volatile
 *  like arch_cpu_local: the scheduler changes it between two reads. */
static inline void *arch_cpu_current_thread(void)
{
	void *t;
	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(t) : "i"(CPU_OFF_CURRENT));
	return t;
}
#endif

#endif
