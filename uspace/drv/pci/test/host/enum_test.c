/*
 * The PCI driver's enumeration (enum.c) over a simulated configuration
 * space: which functions are found and in what order (multi-function
 * devices, bridges, bridge loops), what is read from them, and how BARs
 * are sized (decoding off, everything restored, nothing else written).
 */
#if __STDC_HOSTED__ /* not built into the driver: see host.mk */
#include "host_test.h"
#include "pci.h"
#include <string.h>

#define SIM_MAX 16

typedef struct {
	uint8_t bus, dev, fn;
	uint32_t regs[64];
	uint32_t bar_mask[PCI_BARS]; /* the writable bits of each BAR */
	bool sized_while_decoding;
	bool status_written;
	bool other_written;
} sim_fn_t;

static sim_fn_t sim[SIM_MAX];
static size_t sim_count;
static size_t sim_reads;

static sim_fn_t *sim_find(uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (size_t i = 0; i < sim_count; i++) {
		if (sim[i].bus == bus && sim[i].dev == dev && sim[i].fn == fn)
			return &sim[i];
	}
	return NULL;
}

static uint32_t sim_read(void *arg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
	sim_reads++;
	sim_fn_t *f = sim_find(bus, dev, fn);
	return f != NULL ? f->regs[reg / 4] : 0xffffffffu;
}

static size_t sim_bar_count(const sim_fn_t *f)
{
	uint8_t type = (f->regs[PCI_REG_HEADER / 4] >> 16) & PCI_HEADER_TYPE;
	return type == PCI_HEADER_BRIDGE ? PCI_BRIDGE_BARS : PCI_BARS;
}

static void sim_write(
    void *arg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg, uint32_t v)
{
	sim_fn_t *f = sim_find(bus, dev, fn);
	if (f == NULL)
		return;
	size_t bar = (size_t) (reg - PCI_REG_BAR0) / 4;
	if (reg == PCI_REG_COMMAND) {
		f->status_written |= (v >> 16) != 0;
		f->regs[1] = (f->regs[1] & 0xffff0000u) | (v & 0xffff);
	} else if (reg >= PCI_REG_BAR0 && bar < sim_bar_count(f)) {
		f->sized_while_decoding |= (f->regs[1] & PCI_COMMAND_DECODE) != 0;
		f->regs[reg / 4] = (v & f->bar_mask[bar]) |
		    (f->regs[reg / 4] & ~f->bar_mask[bar]);
	} else {
		f->other_written = true;
	}
}

static const pci_cfg_t sim_cfg = {.read = sim_read, .write = sim_write};

static void sim_reset(void)
{
	memset(sim, 0, sizeof(sim));
	sim_count = 0;
	sim_reads = 0;
}

/** A function with class word @a cls (class, subclass, prog-if, revision
 *  from the top byte down) and raw header type @a header; decoding on. */
static sim_fn_t *sim_add(
    uint8_t bus, uint8_t dev, uint8_t fn, uint32_t id, uint32_t cls, uint8_t header)
{
	sim_fn_t *f = &sim[sim_count++];
	f->bus = bus;
	f->dev = dev;
	f->fn = fn;
	f->regs[PCI_REG_ID / 4] = id;
	f->regs[PCI_REG_COMMAND / 4] = 0x02800007; /* status bits set */
	f->regs[PCI_REG_CLASS / 4] = cls;
	f->regs[PCI_REG_HEADER / 4] = (uint32_t) header << 16;
	return f;
}

static void sim_bar(sim_fn_t *f, size_t i, uint32_t raw, uint32_t mask)
{
	f->regs[PCI_REG_BAR0 / 4 + i] = raw;
	f->bar_mask[i] = mask;
}

/** A bridge on @a bus to @a secondary. */
static sim_fn_t *sim_bridge(uint8_t bus, uint8_t dev, uint8_t secondary)
{
	sim_fn_t *f = sim_add(bus, dev, 0, 0x00018086, 0x06040000, PCI_HEADER_BRIDGE);
	f->regs[PCI_REG_BUSES / 4] = (uint32_t) secondary << 8 | bus;
	return f;
}

/** QEMU's i440FX machine: host bridge, PIIX3 (ISA, IDE, ACPI), VGA, e1000. */
static void sim_qemu_pc(void)
{
	sim_add(0, 0, 0, 0x12378086, 0x06000002, 0x00);
	sim_add(0, 1, 0, 0x70008086, 0x06010000, 0x80);
	sim_fn_t *ide = sim_add(0, 1, 1, 0x70108086, 0x01018000, 0x00);
	sim_bar(ide, 4, 0xc041, 0xfffffff0);
	sim_fn_t *acpi = sim_add(0, 1, 3, 0x71138086, 0x06800003, 0x00);
	acpi->regs[PCI_REG_INTERRUPT / 4] = 0x0109;
	sim_fn_t *vga = sim_add(0, 2, 0, 0x11111234, 0x03000002, 0x00);
	sim_bar(vga, 0, 0xfd000008, 0xff000000);
	sim_bar(vga, 2, 0xfebf0000, 0xfffff000);
	sim_fn_t *nic = sim_add(0, 3, 0, 0x100e8086, 0x02000003, 0x00);
	sim_bar(nic, 0, 0xfebc0000, 0xfffe0000);
	sim_bar(nic, 1, 0xc001, 0xffffffc0);
	nic->regs[PCI_REG_INTERRUPT / 4] = 0x010b;
}

static bool found_at(const pci_list_t *l, size_t i, uint8_t bus, uint8_t dev, uint8_t fn)
{
	if (i >= l->count)
		return false;
	const pci_dev_info_t *d = &l->items[i];
	return d->bus == bus && d->dev == dev && d->fn == fn;
}

HOST_TEST(finds_qemu_pc_functions_in_order)
{
	sim_reset();
	sim_qemu_pc();
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	CHECK_EQ(l.count, 6);
	CHECK(found_at(&l, 0, 0, 0, 0));
	CHECK(found_at(&l, 1, 0, 1, 0));
	CHECK(found_at(&l, 2, 0, 1, 1));
	CHECK(found_at(&l, 3, 0, 1, 3));
	CHECK(found_at(&l, 4, 0, 2, 0));
	CHECK(found_at(&l, 5, 0, 3, 0));
	pci_list_free(&l);
}

HOST_TEST(reads_ids_class_and_interrupt)
{
	sim_reset();
	sim_qemu_pc();
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	const pci_dev_info_t *ide = &l.items[2];
	CHECK_EQ(ide->vendor_id, 0x8086);
	CHECK_EQ(ide->device_id, 0x7010);
	CHECK_EQ(ide->class_code, 0x01);
	CHECK_EQ(ide->subclass, 0x01);
	CHECK_EQ(ide->prog_if, 0x80);
	CHECK_EQ(ide->revision, 0x00);
	const pci_dev_info_t *acpi = &l.items[3];
	CHECK_EQ(acpi->revision, 0x03);
	CHECK_EQ(acpi->irq_line, 9);
	CHECK_EQ(acpi->irq_pin, 1);
	CHECK_EQ(
	    l.items[1].header_type, PCI_HEADER_DEVICE); /* multi-function bit dropped */
	pci_list_free(&l);
}

HOST_TEST(sizes_bars_and_restores_them)
{
	sim_reset();
	sim_qemu_pc();
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	const pci_dev_info_t *vga = &l.items[4];
	CHECK_EQ(vga->bars[0].kind, PCI_BAR_MEM32);
	CHECK_EQ(vga->bars[0].base, 0xfd000000);
	CHECK_EQ(vga->bars[0].size, 0x1000000);
	CHECK_EQ(vga->bars[0].flags, PCI_BAR_PREFETCHABLE);
	CHECK_EQ(vga->bars[1].kind, PCI_BAR_NONE);
	CHECK_EQ(vga->bars[2].size, 0x1000);
	const pci_dev_info_t *nic = &l.items[5];
	CHECK_EQ(nic->bars[1].kind, PCI_BAR_IO);
	CHECK_EQ(nic->bars[1].base, 0xc000);
	CHECK_EQ(nic->bars[1].size, 0x40);
	CHECK_EQ(sim[5].regs[PCI_REG_BAR0 / 4], 0xfebc0000);
	CHECK_EQ(sim[5].regs[PCI_REG_BAR0 / 4 + 1], 0xc001);
	pci_list_free(&l);
}

HOST_TEST(sizing_turns_decoding_off_and_back_on)
{
	sim_reset();
	sim_qemu_pc();
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	for (size_t i = 0; i < sim_count; i++) {
		CHECK(!sim[i].sized_while_decoding);
		CHECK(!sim[i].status_written);
		CHECK(!sim[i].other_written);
		CHECK_EQ(sim[i].regs[1], 0x02800007);
	}
	pci_list_free(&l);
}

HOST_TEST(single_function_device_hides_functions_1_to_7)
{
	sim_reset();
	sim_add(0, 5, 0, 0x11118086, 0x02000000, 0x00);
	sim_add(0, 5, 1, 0x22228086, 0x02000000, 0x00); /* aliased, not real */
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	CHECK_EQ(l.count, 1);
	CHECK_EQ(l.items[0].device_id, 0x1111);
	pci_list_free(&l);
}

HOST_TEST(bridge_bus_follows_the_bridge)
{
	sim_reset();
	sim_bridge(0, 4, 1);
	sim_add(1, 0, 0, 0x100e8086, 0x02000000, 0x00);
	sim_bridge(1, 2, 2);
	sim_add(2, 7, 0, 0x12348086, 0x0c030000, 0x00);
	sim_add(0, 5, 0, 0x11118086, 0x01060100, 0x00);
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	CHECK_EQ(l.count, 5);
	CHECK(found_at(&l, 0, 0, 4, 0));
	CHECK(found_at(&l, 1, 1, 0, 0));
	CHECK(found_at(&l, 2, 1, 2, 0));
	CHECK(found_at(&l, 3, 2, 7, 0));
	CHECK(found_at(&l, 4, 0, 5, 0));
	CHECK_EQ(l.items[0].header_type, PCI_HEADER_BRIDGE);
	for (size_t i = 0; i < sim_count; i++)
		CHECK(!sim[i].other_written); /* bus numbers untouched */
	pci_list_free(&l);
}

HOST_TEST(bridge_loops_scan_each_bus_once)
{
	sim_reset();
	sim_bridge(0, 1, 1);
	sim_bridge(1, 0, 0); /* back to bus 0 */
	sim_bridge(1, 1, 1); /* to itself */
	sim_bridge(0, 2, 1); /* a second way to bus 1 */
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	CHECK_EQ(l.count, 4);
	CHECK(found_at(&l, 0, 0, 1, 0));
	CHECK(found_at(&l, 1, 1, 0, 0));
	CHECK(found_at(&l, 2, 1, 1, 0));
	CHECK(found_at(&l, 3, 0, 2, 0));
	pci_list_free(&l);
}

HOST_TEST(bridge_bars_only_two_slots)
{
	sim_reset();
	sim_fn_t *b = sim_bridge(0, 1, 1);
	sim_bar(b, 0, 0xfe000000, 0xfffff000);
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	CHECK_EQ(l.items[0].bars[0].size, 0x1000);
	CHECK_EQ(l.items[0].bars[2].kind, PCI_BAR_NONE);
	CHECK(!b->other_written);
	pci_list_free(&l);
}

HOST_TEST(mem64_bar_takes_two_slots)
{
	sim_reset();
	sim_fn_t *f = sim_add(0, 6, 0, 0x00011af4, 0x01000000, 0x00);
	sim_bar(f, 1, 0x0000000c, 0xffffc000);
	sim_bar(f, 2, 0x00000008, 0xffffffff);
	sim_bar(f, 3, 0x00006001, 0xffffffe0);
	sim_bar(f, 5, 0x00000004, 0xfffff000); /* no upper half: malformed */
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	const pci_dev_info_t *d = &l.items[0];
	CHECK_EQ(d->bars[1].kind, PCI_BAR_MEM64);
	CHECK_EQ(d->bars[1].base, 0x800000000ull);
	CHECK_EQ(d->bars[1].size, 0x4000);
	CHECK_EQ(d->bars[2].kind, PCI_BAR_NONE);
	CHECK_EQ(d->bars[3].kind, PCI_BAR_IO);
	CHECK_EQ(d->bars[3].size, 0x20);
	CHECK_EQ(d->bars[5].kind, PCI_BAR_NONE);
	CHECK_EQ(f->regs[PCI_REG_BAR0 / 4 + 2], 0x00000008);
	pci_list_free(&l);
}

HOST_TEST(empty_bus_finds_nothing_in_bounded_reads)
{
	sim_reset();
	pci_list_t l = {0};
	CHECK_EQ(pci_enumerate(&sim_cfg, &l), EOK);
	CHECK_EQ(l.count, 0);
	CHECK_EQ(sim_reads, PCI_DEVS); /* function 0 of each device only */
	pci_list_free(&l);
}
#endif
