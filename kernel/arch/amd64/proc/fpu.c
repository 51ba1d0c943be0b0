/*
 * Lazy FPU switching (see arch/fpu.h). cpu->fpu_owner is the thread whose
 * state is live in the registers; it is touched only by its CPU with
 * interrupts disabled.
 */
#include <arch/asm.h>
#include <arch/fpu.h>
#include <arch/interrupt.h>
#include <cpu.h>
#include <interrupt.h>
#include <mm/kmalloc.h>
#include <panic.h>

#define CR0_MP	       (1ull << 1)
#define CR0_EM	       (1ull << 2)
#define CR0_NE	       (1ull << 5)
#define CR4_OSFXSR     (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define VECTOR_NM      7
#define MXCSR_DEFAULT  0x1f80

static void fpu_reset(void)
{
	uint32_t mxcsr = MXCSR_DEFAULT;
	__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
}

/** #NM: the current thread touched the FPU while another thread's state is live. */
static bool fpu_trap(istate_t *istate)
{
	if (!istate_from_user(istate))
		return false; /* the kernel never uses the FPU: a bug */
	cpu_t *cpu = CPU;
	thread_t *t = cpu->current;
	__asm__ volatile("clts");
	if (cpu->fpu_owner == t)
		return true;
	if (cpu->fpu_owner != NULL)
		fpu_save(cpu->fpu_owner->fpu_state);
	cpu->fpu_owner = NULL;
	if (t->fpu_state == NULL) {
		t->fpu_state = kmalloc(FPU_STATE_SIZE);
		if (t->fpu_state == NULL)
			return false;
		fpu_reset();
	} else {
		fpu_restore(t->fpu_state);
	}
	cpu->fpu_owner = t;
	return true;
}

void fpu_cpu_init(void)
{
	write_cr0((read_cr0() | CR0_MP | CR0_NE | CR0_TS) & ~CR0_EM);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

void fpu_release(thread_t *t)
{
	cpu_t *cpu = CPU;
	if (cpu->fpu_owner != t)
		return;
	__asm__ volatile("clts");
	fpu_save(t->fpu_state);
	cpu->fpu_owner = NULL;
	write_cr0(read_cr0() | CR0_TS);
}

void fpu_init(void)
{
	fpu_cpu_init();
	exception_register(VECTOR_NM, fpu_trap);
}

void fpu_thread_destroy(thread_t *t)
{
	bool ints = irq_save();
	if (CPU->fpu_owner == t)
		CPU->fpu_owner = NULL;
	irq_restore(ints);
	kfree(t->fpu_state);
	t->fpu_state = NULL;
}
