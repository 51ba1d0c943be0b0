/*
 * The two cascaded 8259A interrupt controllers, remapped to vectors 32-47.
 * All lines start masked; pic_unmask() enables one. Called with interrupts
 * disabled or from the owning driver's set-up only.
 */
#include <arch/asm.h>
#include <arch/drivers.h>
#include <arch/interrupt.h>

#define PIC1_CMD     0x20
#define PIC1_DATA    0x21
#define PIC2_CMD     0xa0
#define PIC2_DATA    0xa1
#define PIC_EOI	     0x20
#define PIC_READ_ISR 0x0b

static uint16_t mask = 0xffff;

static void pic_write_mask(void)
{
	outb(PIC1_DATA, (uint8_t) mask);
	outb(PIC2_DATA, (uint8_t) (mask >> 8));
}

void pic_init(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: init, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, IRQ_VECTOR_BASE); /* ICW2: vector offsets */
	outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);
	outb(PIC1_DATA, 0x04); /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	mask = 0xffff & ~(1u << 2); /* cascade line always open */
	pic_write_mask();
}

void pic_unmask(unsigned irq)
{
	mask &= (uint16_t) ~(1u << irq);
	pic_write_mask();
}

void pic_mask(unsigned irq)
{
	mask |= (uint16_t) (1u << irq);
	pic_write_mask();
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

bool pic_is_spurious(unsigned irq)
{
	if (irq != 7 && irq != 15)
		return false;
	uint16_t port = irq == 7 ? PIC1_CMD : PIC2_CMD;
	outb(port, PIC_READ_ISR);
	if (inb(port) & 0x80)
		return false;
	/* A spurious IRQ15 still needs an EOI on the master for the cascade. */
	if (irq == 15)
		outb(PIC1_CMD, PIC_EOI);
	return true;
}
