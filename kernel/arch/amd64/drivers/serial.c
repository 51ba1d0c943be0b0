/*
 * COM1 (16550 UART) for the kernel's own messages: polled output, polled input.
 * Userspace gets the UART through its own driver later; until then the kernel
 * owns it.
 */
#include <arch/asm.h>
#include <arch/drivers.h>
#include <console.h>

#define COM1	       0x3f8
#define REG_DATA       0
#define REG_IER	       1
#define REG_FCR	       2
#define REG_LCR	       3
#define REG_MCR	       4
#define REG_LSR	       5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

static bool serial_present;

static void serial_putc(char c)
{
	for (int spin = 0; spin < 100000; spin++) {
		if (inb(COM1 + REG_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(COM1 + REG_DATA, (uint8_t) c);
}

static void serial_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			serial_putc('\r');
		serial_putc(buf[i]);
	}
}

static int serial_poll(void)
{
	if (!(inb(COM1 + REG_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + REG_DATA);
}

static const console_sink_t serial_sink = {
    .name = "serial",
    .write = serial_write,
};

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);  /* no interrupts: polled */
	outb(COM1 + REG_LCR, 0x80);  /* DLAB on */
	outb(COM1 + REG_DATA, 0x01); /* divisor 1: 115200 baud */
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x03); /* 8N1, DLAB off */
	outb(COM1 + REG_FCR, 0xc7); /* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + REG_MCR, 0x0b); /* DTR, RTS, OUT2 */
	/* A missing UART reads back all ones. */
	serial_present = inb(COM1 + REG_LSR) != 0xff;
	if (!serial_present)
		return;
	console_register(&serial_sink);
	console_set_input(serial_poll);
}
