/*
 * VGA text mode console (80x25 at 0xb8000) for kernel messages.
 * Called only through the console, whose lock serialises it and guards
 * released: once a task maps the text buffer (the userspace VGA driver
 * taking the screen), kernel messages go to the other sinks (serial) only.
 */
#include <arch/asm.h>
#include <arch/drivers.h>
#include <arch/mm.h>
#include <console.h>
#include <string.h>

#define VGA_COLS      80
#define VGA_ROWS      25
#define VGA_ATTR      0x0700 /* light grey on black */
#define VGA_TEXT_BASE 0xb8000
#define VGA_TEXT_END  0xc0000 /* the colour text buffer's 32 KiB window */

static volatile uint16_t *vga;
static unsigned col, row;
static bool released;

static void vga_scroll(void)
{
	memmove(
	    (void *) vga, (const void *) (vga + VGA_COLS), (VGA_ROWS - 1) * VGA_COLS * 2);
	for (unsigned i = 0; i < VGA_COLS; i++)
		vga[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_ATTR | ' ';
	row = VGA_ROWS - 1;
}

static void vga_putc(char c)
{
	if (c == '\n') {
		col = 0;
		row++;
	} else if (c == '\r') {
		col = 0;
	} else if (c == '\b') {
		if (col > 0)
			col--;
	} else if (c == '\t') {
		col = (col + 8) & ~7u;
	} else {
		vga[row * VGA_COLS + col] = VGA_ATTR | (uint8_t) c;
		col++;
	}
	if (col >= VGA_COLS) {
		col = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		vga_scroll();
}

static void vga_move_cursor(void)
{
	uint16_t pos = (uint16_t) (row * VGA_COLS + col);
	outb(0x3d4, 0x0f);
	outb(0x3d5, (uint8_t) pos);
	outb(0x3d4, 0x0e);
	outb(0x3d5, (uint8_t) (pos >> 8));
}

static void vga_write(const char *buf, size_t len)
{
	if (released)
		return;
	for (size_t i = 0; i < len; i++)
		vga_putc(buf[i]);
	vga_move_cursor();
}

static const console_sink_t vga_sink = {
    .name = "vga",
    .write = vga_write,
};

void vga_init(void)
{
	vga = phys_to_virt(0xb8000);
	for (unsigned i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga[i] = VGA_ATTR | ' ';
	col = row = 0;
	console_register(&vga_sink);
}

/** Called after a task mapped physical [@a phys, @a phys + @a size): if that
 *  overlaps the text buffer, the screen is the task's from now on and the
 *  kernel never draws there again. Takes the console lock, so a message
 *  being drawn is finished first. */
void vga_physmem_mapped(uint64_t phys, uint64_t size)
{
	if (phys >= VGA_TEXT_END || phys + size <= VGA_TEXT_BASE)
		return;
	console_lock();
	released = true;
	console_unlock();
}
