/*
 * pci: enumeration of configuration space through a pci_cfg_t.
 *
 * Bus 0 is scanned first; a PCI-to-PCI bridge's secondary bus is scanned
 * right after the bridge is recorded. Each bus is scanned at most once
 * (pci_walk_t.seen), which bounds the walk even when bridges are
 * misprogrammed into a loop. Runs in one fibril only (dev_add), so the
 * sizing writes of one BAR never interleave with another access.
 */
#include "pci.h"
#include <stdlib.h>
#include <string.h>

#define PCI_BUSES 256

typedef struct {
	const pci_cfg_t *cfg;
	pci_list_t *list;
	bool seen[PCI_BUSES];
} pci_walk_t;

static uint32_t cfg_read(const pci_walk_t *w, const pci_dev_info_t *d, uint8_t reg)
{
	return w->cfg->read(w->cfg->arg, d->bus, d->dev, d->fn, reg);
}

static void cfg_write(
    const pci_walk_t *w, const pci_dev_info_t *d, uint8_t reg, uint32_t v)
{
	w->cfg->write(w->cfg->arg, d->bus, d->dev, d->fn, reg, v);
}

/** What BAR register @a reg reads after all ones were written; restores
 *  it. Decoding must be off. */
static uint32_t bar_probe(
    const pci_walk_t *w, const pci_dev_info_t *d, uint8_t reg, uint32_t raw)
{
	cfg_write(w, d, reg, 0xffffffffu);
	uint32_t sized = cfg_read(w, d, reg);
	cfg_write(w, d, reg, raw);
	return sized;
}

/** Sizes the @a count BARs of @a d with I/O and memory decoding off (a
 *  BAR of all ones must not claim addresses meanwhile), then puts the
 *  command register back. Writing zeros to the status half clears none of
 *  its write-one-to-clear bits. */
static void read_bars(const pci_walk_t *w, pci_dev_info_t *d, size_t count)
{
	uint32_t command = cfg_read(w, d, PCI_REG_COMMAND) & 0xffff;
	cfg_write(w, d, PCI_REG_COMMAND, command & ~(uint32_t) PCI_COMMAND_DECODE);
	for (size_t i = 0; i < count; i++) {
		uint8_t reg = (uint8_t) (PCI_REG_BAR0 + 4 * i);
		uint32_t raw = cfg_read(w, d, reg);
		uint32_t sized = bar_probe(w, d, reg, raw);
		if (!pci_bar_is_64(raw)) {
			d->bars[i] = pci_bar_decode(raw, sized, 0, 0);
			continue;
		}
		if (i + 1 == count)
			break; /* a 64-bit BAR without its upper half: left NONE */
		uint32_t raw_hi = cfg_read(w, d, reg + 4);
		uint32_t sized_hi = bar_probe(w, d, reg + 4, raw_hi);
		d->bars[i] = pci_bar_decode(raw, sized, raw_hi, sized_hi);
		i++; /* its upper half stays PCI_BAR_NONE */
	}
	cfg_write(w, d, PCI_REG_COMMAND, command);
}

/** Fills @a d (bus, dev, fn set; it exists) from its header. */
static void read_function(const pci_walk_t *w, pci_dev_info_t *d)
{
	uint32_t id = cfg_read(w, d, PCI_REG_ID);
	uint32_t cls = cfg_read(w, d, PCI_REG_CLASS);
	uint32_t irq = cfg_read(w, d, PCI_REG_INTERRUPT);
	d->vendor_id = (uint16_t) id;
	d->device_id = (uint16_t) (id >> 16);
	d->revision = (uint8_t) cls;
	d->prog_if = (uint8_t) (cls >> 8);
	d->subclass = (uint8_t) (cls >> 16);
	d->class_code = (uint8_t) (cls >> 24);
	d->header_type = (uint8_t) (cfg_read(w, d, PCI_REG_HEADER) >> 16) &
	    PCI_HEADER_TYPE;
	d->irq_line = (uint8_t) irq;
	d->irq_pin = (uint8_t) (irq >> 8);
	if (d->header_type == PCI_HEADER_DEVICE)
		read_bars(w, d, PCI_BARS);
	else if (d->header_type == PCI_HEADER_BRIDGE)
		read_bars(w, d, PCI_BRIDGE_BARS);
}

static errno_t list_append(pci_list_t *list, const pci_dev_info_t *d)
{
	if (list->count == list->room) {
		size_t room = list->room ? 2 * list->room : 16;
		pci_dev_info_t *items = realloc(list->items, room * sizeof(*items));
		if (items == NULL)
			return ENOMEM;
		list->items = items;
		list->room = room;
	}
	list->items[list->count++] = *d;
	return EOK;
}

static errno_t scan_bus(pci_walk_t *w, uint8_t bus);

/** Records function @a fn of @a dev on @a bus if it exists, and the bus
 *  behind it if it is a bridge. *@a header gets its raw header type
 *  (0xff when absent). */
static errno_t scan_function(
    pci_walk_t *w, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *header)
{
	pci_dev_info_t d;
	memset(&d, 0, sizeof(d));
	d.bus = bus;
	d.dev = dev;
	d.fn = fn;
	*header = 0xff;
	if ((cfg_read(w, &d, PCI_REG_ID) & 0xffff) == PCI_VENDOR_NONE)
		return EOK;
	*header = (uint8_t) (cfg_read(w, &d, PCI_REG_HEADER) >> 16);
	read_function(w, &d);
	errno_t rc = list_append(w->list, &d);
	if (rc != EOK || d.header_type != PCI_HEADER_BRIDGE)
		return rc;
	uint8_t secondary = (uint8_t) (cfg_read(w, &d, PCI_REG_BUSES) >> 8);
	return scan_bus(w, secondary);
}

static errno_t scan_device(pci_walk_t *w, uint8_t bus, uint8_t dev)
{
	uint8_t header;
	errno_t rc = scan_function(w, bus, dev, 0, &header);
	if (rc != EOK || header == 0xff || !(header & PCI_HEADER_MULTIFN))
		return rc;
	for (uint8_t fn = 1; fn < PCI_FUNCS && rc == EOK; fn++) {
		uint8_t ignored;
		rc = scan_function(w, bus, dev, fn, &ignored);
	}
	return rc;
}

/** Recursion depth is bounded by the number of buses (each seen once). */
static errno_t scan_bus(pci_walk_t *w, uint8_t bus)
{
	if (w->seen[bus])
		return EOK;
	w->seen[bus] = true;
	errno_t rc = EOK;
	for (uint8_t dev = 0; dev < PCI_DEVS && rc == EOK; dev++)
		rc = scan_device(w, bus, dev);
	return rc;
}

errno_t pci_enumerate(const pci_cfg_t *cfg, pci_list_t *list)
{
	pci_walk_t *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return ENOMEM;
	w->cfg = cfg;
	w->list = list;
	errno_t rc = scan_bus(w, 0);
	free(w);
	return rc;
}

void pci_list_free(pci_list_t *list)
{
	free(list->items);
	list->items = NULL;
	list->count = 0;
	list->room = 0;
}
