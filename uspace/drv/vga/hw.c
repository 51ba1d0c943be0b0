/*
 * The VGA hardware, as little of it as the driver needs: the colour text
 * buffer (80x25 cells of character and attribute) and the CRT controller's
 * cursor location and cursor start registers. The display stays in the
 * text mode the firmware set; nothing else is programmed.
 */
#include "vga.h"
#include <as.h>
#include <ddi.h>

#define CRTC_CURSOR_START   0x0a
#define CRTC_CURSOR_HIGH    0x0e
#define CRTC_CURSOR_LOW	    0x0f
#define CURSOR_START_HIDDEN 0x20

static bool covers(const hw_resource_t *r, uint32_t kind, uint64_t base, uint64_t size)
{
	return r->kind == kind && r->base <= base && base - r->base <= r->size &&
	    size <= r->size - (base - r->base);
}

/** Whether some resource of @a kind covers [base, base + size). */
static bool granted(
    const hw_resource_t *res, size_t n, uint32_t kind, uint64_t base, uint64_t size)
{
	for (size_t i = 0; i < n; i++) {
		if (covers(&res[i], kind, base, size))
			return true;
	}
	return false;
}

bool vga_hw_resources_ok(const hw_resource_t *res, size_t n)
{
	return granted(res, n, HWRES_MEM, VGA_TEXT_BASE, VGA_TEXT_SIZE) &&
	    granted(res, n, HWRES_IO, VGA_CRTC_INDEX, VGA_CRTC_PORTS);
}

static uint8_t crtc_read(uint8_t reg)
{
	pio_write_8(VGA_CRTC_INDEX, reg);
	return pio_read_8(VGA_CRTC_INDEX + 1);
}

static void crtc_write(uint8_t reg, uint8_t value)
{
	pio_write_8(VGA_CRTC_INDEX, reg);
	pio_write_8(VGA_CRTC_INDEX + 1, value);
}

errno_t vga_hw_init(vga_hw_t *hw)
{
	uintptr_t base;
	errno_t rc = physmem_map(
	    VGA_TEXT_BASE, VGA_TEXT_SIZE, AS_AREA_READ | AS_AREA_WRITE, &base);
	if (rc != EOK)
		return rc;
	rc = iospace_enable(VGA_CRTC_INDEX, VGA_CRTC_PORTS);
	if (rc != EOK) {
		DISCARD(cleanup, as_area_destroy(base)); /* nothing else to report */
		return rc;
	}
	hw->text = (volatile uint16_t *) base;
	crtc_write(
	    CRTC_CURSOR_START, crtc_read(CRTC_CURSOR_START) & ~CURSOR_START_HIDDEN);
	return EOK;
}

void vga_hw_show(vga_hw_t *hw, const vt_t *vt)
{
	for (size_t i = 0; i < VT_ROWS * VT_COLS; i++)
		hw->text[i] = vt->cells[i];
	unsigned row, col;
	vt_cursor(vt, &row, &col);
	uint16_t pos = (uint16_t) (row * VT_COLS + col);
	crtc_write(CRTC_CURSOR_LOW, (uint8_t) pos);
	crtc_write(CRTC_CURSOR_HIGH, (uint8_t) (pos >> 8));
}
