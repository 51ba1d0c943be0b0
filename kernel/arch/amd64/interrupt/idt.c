/*
 * The interrupt descriptor table. All 256 vectors point at the stubs in
 * isr.S; the double fault and NMI run on their own stacks (IST) so that a
 * kernel stack overflow is still reported.
 */
#include <arch/interrupt.h>
#include <arch/cpu.h>
#include <arch/layout.h>

typedef struct {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t zero;
} __attribute__((packed)) idt_entry_t;

#define ISR_STUB_SIZE	    16
#define GATE_INTERRUPT	    0x8e /* present, DPL 0, 64-bit interrupt gate */
#define GATE_INTERRUPT_USER 0xee /* the same, DPL 3: user code may raise it */

extern char isr_stub_table_start[];
static idt_entry_t idt[256] __attribute__((aligned(16)));

static void idt_set(unsigned vector, uintptr_t handler, uint8_t ist)
{
	idt_entry_t *e = &idt[vector];
	e->offset_low = (uint16_t) handler;
	e->selector = GDT_KCODE;
	e->ist = ist;
	e->type_attr = GATE_INTERRUPT;
	e->offset_mid = (uint16_t) (handler >> 16);
	e->offset_high = (uint32_t) (handler >> 32);
	e->zero = 0;
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		idt_set(v, (uintptr_t) isr_stub_table_start + v * ISR_STUB_SIZE, 0);
	idt[2].ist = IST_NMI;
	idt[8].ist = IST_DOUBLE_FAULT;
	/* int3 from user mode is a breakpoint (for debuggers), not a #GP. */
	idt[3].type_attr = GATE_INTERRUPT_USER;
	idt_load();
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uintptr_t) idt};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
