/*
 * COM1 (16550 UART) for the kernel's own messages: polled output, polled input.
 * Userspace gets the UART through its own driver later; until then the kernel
 * owns it. COM2, when the machine has one, is the IPC log's export channel
 * (docs/ipclog.md): output only, written by the kernel alone, so exports
 * never mix with the console.
 */
#include <arch/asm.h>
#include <arch/drivers.h>
#include <console.h>

#define COM1	       0x3f8
#define COM2	       0x2f8
#define REG_DATA       0
#define REG_IER	       1
#define REG_FCR	       2
#define REG_LCR	       3
#define REG_MCR	       4
#define REG_LSR	       5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

static bool serial_present;
/* 0: not probed, 1: present, -1: absent. Set once, by the first export. */
static int export_port_state;

static void uart_putc(uint16_t port, char c)
{
	for (int spin = 0; spin < 100000; spin++) {
		if (inb(port + REG_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(port + REG_DATA, (uint8_t) c);
}

static void serial_putc(char c)
{
	uart_putc(COM1, c);
}

/** Programs the UART at @a port for polled 115200 8N1; false if absent. */
static bool uart_setup(uint16_t port)
{
	outb(port + REG_IER, 0x00);  /* no interrupts: polled */
	outb(port + REG_LCR, 0x80);  /* DLAB on */
	outb(port + REG_DATA, 0x01); /* divisor 1: 115200 baud */
	outb(port + REG_IER, 0x00);
	outb(port + REG_LCR, 0x03); /* 8N1, DLAB off */
	outb(port + REG_FCR, 0xc7); /* FIFO on, cleared, 14-byte threshold */
	outb(port + REG_MCR, 0x0b); /* DTR, RTS, OUT2 */
	/* A missing UART reads back all ones. */
	return inb(port + REG_LSR) != 0xff;
}

bool export_port_write(const char *buf, size_t len)
{
	if (export_port_state == 0)
		export_port_state = uart_setup(COM2) ? 1 : -1;
	if (export_port_state < 0)
		return false;
	for (size_t i = 0; i < len; i++)
		uart_putc(COM2, buf[i]);
	return true;
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
	serial_present = uart_setup(COM1);
	if (!serial_present)
		return;
	console_register(&serial_sink);
	console_set_input(serial_poll);
}
