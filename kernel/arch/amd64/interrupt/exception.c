/*
 * CPU exceptions and the interrupt dispatcher. A kernel-mode exception is a
 * kernel bug: it panics with the exception's name, error code, registers and a
 * backtrace. Hardware IRQs go to the generic IRQ table.
 */
#include <arch/asm.h>
#include <arch/apic.h>
#include <arch/interrupt.h>
#include <interrupt.h>
#include <mm/kstack.h>
#include <panic.h>
#include <printf.h>
#include <proc/exc.h>
#include <proc/scheduler.h>
#include <proc/task.h>
#include <cpu.h>
#include <smp.h>
#include <time/clock.h>

#define RFLAGS_IF 0x200

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "non-maskable interrupt",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved (15)",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point error",
    "virtualization exception",
    "control protection exception",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "hypervisor injection",
    "VMM communication",
    "security exception",
    "reserved (31)",
};

/** Optional handlers for exceptions that are not always fatal (e.g. #PF, #NM). */
static exception_handler_t exception_handlers[32];

void exception_register(unsigned vector, exception_handler_t handler)
{
	exception_handlers[vector] = handler;
}

void istate_print(const istate_t *s)
{
	printf("  rip %016llx  cs %04llx  rflags %016llx\n", (unsigned long long) s->rip,
	    (unsigned long long) s->cs, (unsigned long long) s->rflags);
	printf("  rsp %016llx  ss %04llx  error %016llx\n", (unsigned long long) s->rsp,
	    (unsigned long long) s->ss, (unsigned long long) s->error);
	printf("  rax %016llx  rbx %016llx  rcx %016llx\n", (unsigned long long) s->rax,
	    (unsigned long long) s->rbx, (unsigned long long) s->rcx);
	printf("  rdx %016llx  rsi %016llx  rdi %016llx\n", (unsigned long long) s->rdx,
	    (unsigned long long) s->rsi, (unsigned long long) s->rdi);
	printf("  rbp %016llx  r8  %016llx  r9  %016llx\n", (unsigned long long) s->rbp,
	    (unsigned long long) s->r8, (unsigned long long) s->r9);
	printf("  r10 %016llx  r11 %016llx  r12 %016llx\n", (unsigned long long) s->r10,
	    (unsigned long long) s->r11, (unsigned long long) s->r12);
	printf("  r13 %016llx  r14 %016llx  r15 %016llx\n", (unsigned long long) s->r13,
	    (unsigned long long) s->r14, (unsigned long long) s->r15);
	printf("  cr2 %016llx  cr3 %016llx\n", (unsigned long long) read_cr2(),
	    (unsigned long long) read_cr3());
}

static void exception_dispatch(istate_t *istate)
{
	unsigned v = (unsigned) istate->vector;
	if (exception_handlers[v] != NULL && exception_handlers[v](istate))
		return;
	if (istate_from_user(istate)) {
		if (exc_fault(istate, v, 0, exception_names[v]))
			return;
		task_fault(exception_names[v], (int) v, 0, istate->rip, false);
	}
	if (v == VECTOR_PAGE_FAULT)
		panic_istate(istate, "%s at %p (%s %s, %s mode)", exception_names[v],
		    (void *) read_cr2(),
		    (istate->error & 1) ? "protection violation" : "page not present",
		    (istate->error & 0x10)    ? "on fetch"
			: (istate->error & 2) ? "on write"
					      : "on read",
		    (istate->error & 4) ? "user" : "kernel");
	/* A push into a stack's guard page cannot deliver the page fault on that
	 * stack, so an overflow arrives here as a double fault. */
	if (v == VECTOR_DOUBLE_FAULT && kstack_is_guard(read_cr2()))
		panic_istate(istate, "kernel stack overflow in thread %s (fault at %p)",
		    THREAD->name, (void *) read_cr2());
	panic_istate(istate, "%s (error code %#llx)", exception_names[v],
	    (unsigned long long) istate->error);
}

/** Preempts only where the interrupted code could have been interrupted
 *  anyway (no spinlock held). */
static void preempt_if_allowed(const istate_t *istate)
{
	if (istate->rflags & RFLAGS_IF)
		scheduler_preempt_point();
}

void interrupt_dispatch(istate_t *istate)
{
	unsigned v = (unsigned) istate->vector;
	if (v < 32) {
		exception_dispatch(istate);
	} else if (v >= IRQ_VECTOR_BASE && v < IRQ_VECTOR_BASE + IRQ_COUNT) {
		irq_dispatch(v - IRQ_VECTOR_BASE, istate);
		lapic_eoi();
		preempt_if_allowed(istate);
	} else if (v == VECTOR_TIMER) {
		lapic_eoi();
		clock_tick(istate_from_user(istate));
		preempt_if_allowed(istate);
	} else if (v >= VECTOR_IPI_BASE && v < VECTOR_IPI_END) {
		lapic_eoi();
		smp_ipi_received((ipi_t) (v - VECTOR_IPI_BASE));
		preempt_if_allowed(istate);
	}
	/* Other vectors (the masked 8259s' and the local APIC's spurious
	 * interrupts, stray software interrupts) are ignored: none needs an EOI. */
	if (!istate_from_user(istate))
		return;
	if (unlikely(THREAD->task->debug_stop))
		exc_debug_stop_point(istate);
	if (THREAD->kill_pending)
		thread_exit();
}
