/*
 * Interrupt frames and vector assignment on amd64.
 *   0-31   CPU exceptions
 *   32-47  ISA IRQs 0-15, through the I/O APIC
 *   224-239 the masked 8259s (only their spurious interrupts; ignored)
 *   240    local APIC timer (each CPU's tick)
 *   241-243 inter-processor interrupts (intc.h's ipi_t)
 *   255    local APIC spurious
 */
#ifndef ARCH_INTERRUPT_H
#define ARCH_INTERRUPT_H

#define IRQ_VECTOR_BASE 32
#define IRQ_COUNT	16
#define PIC_VECTOR_BASE 224
#define VECTOR_TIMER	240
#define VECTOR_IPI_BASE 241 /* + ipi_t */
#define VECTOR_IPI_END	244
#define VECTOR_SPURIOUS 255

#define VECTOR_NMI		  2
#define VECTOR_DOUBLE_FAULT	  8
#define VECTOR_GENERAL_PROTECTION 13
#define VECTOR_PAGE_FAULT	  14

#ifndef __ASSEMBLY__
#include <types.h>

/** Registers saved on kernel entry by interrupt or exception; lowest address first. */
typedef struct istate {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error;
	/* Pushed by the CPU. */
	uint64_t rip, cs, rflags, rsp, ss;
} istate_t;

static inline bool istate_from_user(const istate_t *is)
{
	return (is->cs & 3) != 0;
}

/** Where the interrupted code was (for reports and backtraces). */
static inline uintptr_t istate_pc(const istate_t *is)
{
	return is->rip;
}

/** The interrupted code's frame pointer (arch/frame.h). */
static inline uintptr_t istate_fp(const istate_t *is)
{
	return is->rbp;
}

/** Fills the IDT (one for all CPUs) and loads it on the boot CPU. */
void idt_init(void);
/** Loads the IDT on the running CPU. */
void idt_load(void);
void interrupt_dispatch(istate_t *istate);
/** Prints the registers of @a istate to the console (lock held). */
void istate_print(const istate_t *istate);
#endif

#endif
