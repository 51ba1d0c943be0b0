/*
 * pci: what configuration space values mean, without touching hardware:
 * BAR decoding, the names and match ids of functions and the hardware
 * resources a function's driver is granted.
 */
#include "pci.h"
#include <common/arch/page.h>
#include <stdio.h>

#define VGA_MEM_BASE	     0xa0000u
#define VGA_MEM_SIZE	     0x20000u
#define VGA_IO_BASE	     0x3b0u
#define VGA_IO_SIZE	     0x30u
#define PCI_CLASS_DISPLAY    0x03
#define PCI_SUBCLASS_VGA     0x00
#define IO_SPACE_SIZE	     0x10000u
#define PCI_CLASS_STORAGE    0x01
#define PCI_SUBCLASS_IDE     0x01
#define IDE_PRIMARY_NATIVE   0x01 /* prog-if: primary channel in native mode */
#define IDE_SECONDARY_NATIVE 0x04

/* The ranges of an IDE channel in compatibility mode. */
static const struct {
	uint8_t native_bit;
	uint16_t cmd, ctl;
	uint8_t irq;
} ide_legacy[] = {
    {IDE_PRIMARY_NATIVE, 0x1f0, 0x3f6, 14},
    {IDE_SECONDARY_NATIVE, 0x170, 0x376, 15},
};

bool pci_bar_is_64(uint32_t raw)
{
	return (raw & PCI_BAR_IO_BIT) == 0 &&
	    (raw & PCI_BAR_TYPE_MASK) == PCI_BAR_TYPE_64;
}

/** An I/O BAR: address bits 31:2, of which only 15:2 may be implemented
 *  (the upper half then reads back as zero after sizing). */
static pci_bar_info_t decode_io(uint32_t raw, uint32_t sized)
{
	pci_bar_info_t bar = {.kind = PCI_BAR_NONE};
	uint32_t mask = sized & PCI_BAR_IO_MASK;
	if ((mask & 0xffff) == 0)
		return bar;
	bar.kind = PCI_BAR_IO;
	bar.base = raw & PCI_BAR_IO_MASK;
	bar.size = ((~mask) & 0xffff) + 1;
	return bar;
}

static pci_bar_info_t decode_mem(
    uint32_t raw, uint32_t sized, uint32_t raw_hi, uint32_t sized_hi)
{
	pci_bar_info_t bar = {.kind = PCI_BAR_NONE};
	bool wide = pci_bar_is_64(raw);
	uint64_t mask = sized & PCI_BAR_MEM_MASK;
	uint64_t base = raw & PCI_BAR_MEM_MASK;
	if (wide) {
		mask |= (uint64_t) sized_hi << 32;
		base |= (uint64_t) raw_hi << 32;
	} else {
		mask |= 0xffffffff00000000ull;
	}
	if ((mask & 0xffffffffu) == 0 && (!wide || sized_hi == 0))
		return bar;
	bar.kind = wide ? PCI_BAR_MEM64 : PCI_BAR_MEM32;
	bar.flags = (raw & PCI_BAR_PREFETCH) ? PCI_BAR_PREFETCHABLE : 0;
	bar.base = base;
	bar.size = ~mask + 1;
	return bar;
}

pci_bar_info_t pci_bar_decode(
    uint32_t raw, uint32_t sized, uint32_t raw_hi, uint32_t sized_hi)
{
	if (raw & PCI_BAR_IO_BIT)
		return decode_io(raw, sized);
	return decode_mem(raw, sized, raw_hi, sized_hi);
}

void pci_fun_name(const pci_dev_info_t *d, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x.%x", d->bus, d->dev, d->fn);
}

void pci_match_id_device(const pci_dev_info_t *d, char *buf, size_t size)
{
	snprintf(buf, size, "pci/ven=%04x&dev=%04x", d->vendor_id, d->device_id);
}

void pci_match_id_class(const pci_dev_info_t *d, char *buf, size_t size)
{
	snprintf(buf, size, "pci/class=%02x&subclass=%02x", d->class_code, d->subclass);
}

/** Appends a resource to @a out unless it is full; counts it either way. */
static void res_add(hw_resource_t *out, size_t max, size_t *n, uint32_t kind,
    uint64_t base, uint64_t size)
{
	if (*n < max)
		out[*n] = (hw_resource_t){.kind = kind, .base = base, .size = size};
	(*n)++;
}

/** The resource of one BAR. Firmware leaves a BAR it did not assign at
 *  base 0, a BAR must not wrap around and an I/O BAR must lie in the
 *  64 KiB port space: none of these is something to grant. */
static void bar_resource(
    const pci_bar_info_t *bar, hw_resource_t *out, size_t max, size_t *n)
{
	if (bar->kind == PCI_BAR_NONE || bar->base == 0 ||
	    bar->base + bar->size - 1 < bar->base)
		return;
	if (bar->kind == PCI_BAR_IO) {
		if (bar->base + bar->size <= IO_SPACE_SIZE)
			res_add(out, max, n, HWRES_IO, bar->base, bar->size);
		return;
	}
	uint64_t start = bar->base & ~(uint64_t) (PAGE_SIZE - 1);
	uint64_t last = (bar->base + bar->size - 1) | (PAGE_SIZE - 1);
	res_add(out, max, n, HWRES_MEM, start, last - start + 1);
}

/** The legacy ports and IRQ of each channel of an IDE controller that runs
 *  in compatibility mode (its prog-if bit for native mode clear). */
static void ide_resources(
    const pci_dev_info_t *d, hw_resource_t *out, size_t max, size_t *n)
{
	for (size_t i = 0; i < sizeof(ide_legacy) / sizeof(ide_legacy[0]); i++) {
		if (d->prog_if & ide_legacy[i].native_bit)
			continue;
		res_add(out, max, n, HWRES_IO, ide_legacy[i].cmd, 8);
		res_add(out, max, n, HWRES_IO, ide_legacy[i].ctl, 1);
		res_add(out, max, n, HWRES_IRQ, ide_legacy[i].irq, 1);
	}
}

errno_t pci_resources(
    const pci_dev_info_t *d, hw_resource_t *out, size_t max, size_t *count)
{
	size_t n = 0;
	for (size_t i = 0; i < PCI_BARS; i++)
		bar_resource(&d->bars[i], out, max, &n);
	if (d->irq_pin != 0 && d->irq_line < PCI_IRQ_LEGACY_MAX)
		res_add(out, max, &n, HWRES_IRQ_SHARED, d->irq_line, 1); /* INTx */
	if (d->class_code == PCI_CLASS_DISPLAY && d->subclass == PCI_SUBCLASS_VGA) {
		res_add(out, max, &n, HWRES_MEM, VGA_MEM_BASE, VGA_MEM_SIZE);
		res_add(out, max, &n, HWRES_IO, VGA_IO_BASE, VGA_IO_SIZE);
	}
	if (d->class_code == PCI_CLASS_STORAGE && d->subclass == PCI_SUBCLASS_IDE)
		ide_resources(d, out, max, &n);
	*count = n < max ? n : max;
	return n <= max ? EOK : ELIMIT;
}
