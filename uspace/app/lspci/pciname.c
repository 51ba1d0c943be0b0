/*
 * lspci: class names (the common classes of the PCI code and ID assignment
 * specification) and the text of its lines.
 */
#include "pciname.h"
#include <stdio.h>

#define ANY_SUBCLASS 0x100 /* a table row naming the class itself */

typedef struct {
	uint8_t cls;
	uint16_t sub; /* a subclass, or ANY_SUBCLASS */
	const char *name;
} pci_class_row_t;

static const pci_class_row_t pci_classes[] = {
    {0x00, 0x00, "Non-VGA unclassified device"},
    {0x00, 0x01, "VGA compatible unclassified device"},
    {0x00, ANY_SUBCLASS, "Unclassified device"},
    {0x01, 0x00, "SCSI storage controller"},
    {0x01, 0x01, "IDE interface"},
    {0x01, 0x02, "Floppy disk controller"},
    {0x01, 0x04, "RAID bus controller"},
    {0x01, 0x05, "ATA controller"},
    {0x01, 0x06, "SATA controller"},
    {0x01, 0x07, "Serial Attached SCSI controller"},
    {0x01, 0x08, "Non-Volatile memory controller"},
    {0x01, ANY_SUBCLASS, "Mass storage controller"},
    {0x02, 0x00, "Ethernet controller"},
    {0x02, ANY_SUBCLASS, "Network controller"},
    {0x03, 0x00, "VGA compatible controller"},
    {0x03, 0x01, "XGA compatible controller"},
    {0x03, 0x02, "3D controller"},
    {0x03, ANY_SUBCLASS, "Display controller"},
    {0x04, 0x00, "Multimedia video controller"},
    {0x04, 0x01, "Multimedia audio controller"},
    {0x04, 0x03, "Audio device"},
    {0x04, ANY_SUBCLASS, "Multimedia controller"},
    {0x05, 0x00, "RAM memory"},
    {0x05, ANY_SUBCLASS, "Memory controller"},
    {0x06, 0x00, "Host bridge"},
    {0x06, 0x01, "ISA bridge"},
    {0x06, 0x02, "EISA bridge"},
    {0x06, 0x04, "PCI bridge"},
    {0x06, ANY_SUBCLASS, "Bridge"},
    {0x07, 0x00, "Serial controller"},
    {0x07, 0x01, "Parallel controller"},
    {0x07, ANY_SUBCLASS, "Communication controller"},
    {0x08, 0x00, "PIC"},
    {0x08, 0x01, "DMA controller"},
    {0x08, 0x02, "Timer"},
    {0x08, 0x03, "RTC"},
    {0x08, ANY_SUBCLASS, "Generic system peripheral"},
    {0x09, 0x00, "Keyboard controller"},
    {0x09, 0x02, "Mouse controller"},
    {0x09, ANY_SUBCLASS, "Input device controller"},
    {0x0c, 0x03, "USB controller"},
    {0x0c, 0x05, "SMBus"},
    {0x0c, ANY_SUBCLASS, "Serial bus controller"},
    {0x0d, ANY_SUBCLASS, "Wireless controller"},
    {0x11, ANY_SUBCLASS, "Signal processing controller"},
};

#define PCI_CLASS_ROWS (sizeof(pci_classes) / sizeof(pci_classes[0]))

static const char *find_row(uint8_t cls, uint16_t sub)
{
	for (size_t i = 0; i < PCI_CLASS_ROWS; i++) {
		if (pci_classes[i].cls == cls && pci_classes[i].sub == sub)
			return pci_classes[i].name;
	}
	return NULL;
}

const char *pci_class_name(uint8_t cls, uint8_t sub)
{
	const char *name = find_row(cls, sub);
	if (name == NULL)
		name = find_row(cls, ANY_SUBCLASS);
	return name != NULL ? name : "Unknown class";
}

void pci_format_line(const pci_dev_info_t *d, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x.%x %04x:%04x %s [%02x%02x]", d->bus, d->dev, d->fn,
	    d->vendor_id, d->device_id, pci_class_name(d->class_code, d->subclass),
	    d->class_code, d->subclass);
}

void pci_format_bar(size_t index, const pci_bar_info_t *bar, char *buf, size_t size)
{
	unsigned long long base = bar->base, len = bar->size;
	const char *pref = (bar->flags & PCI_BAR_PREFETCHABLE) ? ", prefetchable" : "";
	switch (bar->kind) {
	case PCI_BAR_IO:
		snprintf(buf, size, "BAR%zu: I/O ports at %#llx, %llu ports", index, base,
		    len);
		break;
	case PCI_BAR_MEM32:
	case PCI_BAR_MEM64:
		snprintf(buf, size, "BAR%zu: memory at %#llx, %#llx bytes (%s%s)", index,
		    base, len, bar->kind == PCI_BAR_MEM64 ? "64-bit" : "32-bit", pref);
		break;
	default:
		snprintf(buf, size, "%s", "");
		break;
	}
}

void pci_format_irq(const pci_dev_info_t *d, char *buf, size_t size)
{
	if (d->irq_pin == 0) {
		snprintf(buf, size, "%s", "");
		return;
	}
	if (d->irq_pin > 4) {
		snprintf(buf, size, "IRQ %u (bad pin %u)", (unsigned) d->irq_line,
		    (unsigned) d->irq_pin);
		return;
	}
	char pin = (char) ('A' + d->irq_pin - 1);
	if (d->irq_line == 0xff)
		snprintf(buf, size, "IRQ none (INT%c#)", pin);
	else
		snprintf(buf, size, "IRQ %u (INT%c#)", (unsigned) d->irq_line, pin);
}
