/*
 * The two cascaded 8259A interrupt controllers, which the kernel does not
 * use: device lines go through the I/O APIC. They are remapped away from
 * every vector in use (PIC_VECTOR_BASE..+15) and fully masked, so that a
 * spurious interrupt they may still raise is recognised and ignored.
 */
#include <arch/asm.h>
#include <arch/drivers.h>
#include <arch/interrupt.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

void pic_disable(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: init, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, PIC_VECTOR_BASE); /* ICW2: vector offsets */
	outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
	outb(PIC1_DATA, 0x04); /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}
