/*
 * The PCI driver's pure decoding (decode.c): BARs as sized by writing all
 * ones, function names, match ids and the resources a child is granted.
 */
#if __STDC_HOSTED__ /* not built into the driver: see host.mk */
#include "host_test.h"
#include "pci.h"
#include <string.h>

HOST_TEST(io_bar_gives_ports_and_size)
{
	pci_bar_info_t b = pci_bar_decode(0xc041, 0xffffffc1, 0, 0);
	CHECK_EQ(b.kind, PCI_BAR_IO);
	CHECK_EQ(b.base, 0xc040);
	CHECK_EQ(b.size, 0x40);
	/* Only address bits 15:2 implemented: the upper half reads back 0. */
	b = pci_bar_decode(0x1f1, 0x0000fff9, 0, 0);
	CHECK_EQ(b.kind, PCI_BAR_IO);
	CHECK_EQ(b.base, 0x1f0);
	CHECK_EQ(b.size, 8);
}

HOST_TEST(mem32_bar_gives_base_size_and_prefetch)
{
	pci_bar_info_t b = pci_bar_decode(0xfd000008, 0xff000008, 0, 0);
	CHECK_EQ(b.kind, PCI_BAR_MEM32);
	CHECK_EQ(b.flags, PCI_BAR_PREFETCHABLE);
	CHECK_EQ(b.base, 0xfd000000);
	CHECK_EQ(b.size, 0x1000000);
	b = pci_bar_decode(0xfebf0000, 0xfffe0000, 0, 0);
	CHECK_EQ(b.flags, 0);
	CHECK_EQ(b.size, 0x20000);
}

HOST_TEST(mem64_bar_combines_both_halves)
{
	CHECK(pci_bar_is_64(0xc)); /* 64-bit, prefetchable */
	CHECK(!pci_bar_is_64(0x8));
	CHECK(!pci_bar_is_64(0x5)); /* an I/O BAR never is */
	pci_bar_info_t b = pci_bar_decode(0xe000000c, 0xfc00000c, 0x1, 0xffffffff);
	CHECK_EQ(b.kind, PCI_BAR_MEM64);
	CHECK_EQ(b.base, 0x1e0000000ull);
	CHECK_EQ(b.size, 0x4000000);
	/* 8 GiB: no address bit of the lower half is writable. */
	b = pci_bar_decode(0x4, 0x4, 0x4, 0xfffffffe);
	CHECK_EQ(b.kind, PCI_BAR_MEM64);
	CHECK_EQ(b.size, 0x200000000ull);
}

HOST_TEST(unimplemented_bar_is_none)
{
	CHECK_EQ(pci_bar_decode(0, 0, 0, 0).kind, PCI_BAR_NONE);
	CHECK_EQ(pci_bar_decode(0x1, 0x1, 0, 0).kind, PCI_BAR_NONE);
	CHECK_EQ(pci_bar_decode(0x4, 0x4, 0, 0).kind, PCI_BAR_NONE);
	CHECK_EQ(pci_bar_decode(0, 0, 0, 0).size, 0);
}

static pci_dev_info_t sample(void)
{
	pci_dev_info_t d;
	memset(&d, 0, sizeof(d));
	d.bus = 0x1a;
	d.dev = 0x1f;
	d.fn = 7;
	d.vendor_id = 0x8086;
	d.device_id = 0x100e;
	d.class_code = 0x02;
	d.subclass = 0x00;
	return d;
}

HOST_TEST(names_and_match_ids_are_lowercase_fixed_width)
{
	pci_dev_info_t d = sample();
	char buf[PCI_MATCH_ID_SIZE];
	pci_fun_name(&d, buf, PCI_FUN_NAME_SIZE);
	CHECK(strcmp(buf, "1a:1f.7") == 0);
	pci_match_id_device(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "pci/ven=8086&dev=100e") == 0);
	d.device_id = 0xABCD;
	pci_match_id_device(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "pci/ven=8086&dev=abcd") == 0);
	pci_match_id_class(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "pci/class=02&subclass=00") == 0);
}

HOST_TEST(resources_are_bars_pages_and_legacy_irq)
{
	pci_dev_info_t d = sample();
	d.bars[0] = (pci_bar_info_t){
	    .kind = PCI_BAR_MEM32, .base = 0xfebc0010, .size = 0x10};
	d.bars[1] = (pci_bar_info_t){.kind = PCI_BAR_IO, .base = 0xc000, .size = 0x40};
	d.bars[2] = (pci_bar_info_t){.kind = PCI_BAR_MEM32, .base = 0, .size = 0x1000};
	d.irq_pin = 1;
	d.irq_line = 11;
	hw_resource_t r[8];
	size_t n;
	CHECK_EQ(pci_resources(&d, r, 8, &n), EOK);
	CHECK_EQ(n, 3);
	CHECK_EQ(r[0].kind, HWRES_MEM);
	CHECK_EQ(r[0].base, 0xfebc0000);
	CHECK_EQ(r[0].size, 0x1000);
	CHECK_EQ(r[1].kind, HWRES_IO);
	CHECK_EQ(r[1].base, 0xc000);
	CHECK_EQ(r[1].size, 0x40);
	CHECK_EQ(r[2].kind, HWRES_IRQ_SHARED); /* an INTx line: shareable */
	CHECK_EQ(r[2].base, 11);
	CHECK_EQ(r[2].size, 1);
}

HOST_TEST(no_irq_without_pin_or_beyond_isa)
{
	pci_dev_info_t d = sample();
	hw_resource_t r[8];
	size_t n;
	d.irq_line = 11; /* pin 0: the line register means nothing */
	CHECK_EQ(pci_resources(&d, r, 8, &n), EOK);
	CHECK_EQ(n, 0);
	d.irq_pin = 1;
	d.irq_line = 0xff;
	CHECK_EQ(pci_resources(&d, r, 8, &n), EOK);
	CHECK_EQ(n, 0);
}

HOST_TEST(vga_gets_legacy_ranges)
{
	pci_dev_info_t d = sample();
	d.class_code = 0x03;
	d.bars[0] = (pci_bar_info_t){
	    .kind = PCI_BAR_MEM32, .base = 0xfd000000, .size = 0x1000000};
	hw_resource_t r[8];
	size_t n;
	CHECK_EQ(pci_resources(&d, r, 8, &n), EOK);
	CHECK_EQ(n, 3);
	CHECK_EQ(r[1].kind, HWRES_MEM);
	CHECK_EQ(r[1].base, 0xa0000);
	CHECK_EQ(r[1].size, 0x20000);
	CHECK_EQ(r[2].kind, HWRES_IO);
	CHECK_EQ(r[2].base, 0x3b0);
	CHECK_EQ(r[2].size, 0x30);
}

HOST_TEST(ide_in_compatibility_mode_gets_legacy_channels)
{
	pci_dev_info_t d = sample();
	d.class_code = 0x01;
	d.subclass = 0x01;
	d.prog_if = 0x80; /* both channels in compatibility mode, bus master */
	d.bars[4] = (pci_bar_info_t){.kind = PCI_BAR_IO, .base = 0xc000, .size = 16};
	hw_resource_t r[8];
	size_t n;
	CHECK_EQ(pci_resources(&d, r, 8, &n), EOK);
	CHECK_EQ(n, 7);
	CHECK_EQ(r[1].base, 0x1f0);
	CHECK_EQ(r[1].size, 8);
	CHECK_EQ(r[2].base, 0x3f6);
	CHECK_EQ(r[3].kind, HWRES_IRQ);
	CHECK_EQ(r[3].base, 14);
	CHECK_EQ(r[4].base, 0x170);
	CHECK_EQ(r[5].base, 0x376);
	CHECK_EQ(r[6].base, 15);
	/* A channel in native mode has its BARs instead. */
	d.prog_if = 0x85;
	CHECK_EQ(pci_resources(&d, r, 8, &n), EOK);
	CHECK_EQ(n, 1);
}

HOST_TEST(too_many_resources_is_elimit_with_what_fits)
{
	pci_dev_info_t d = sample();
	for (int i = 0; i < PCI_BARS; i++)
		d.bars[i] = (pci_bar_info_t){
		    .kind = PCI_BAR_IO, .base = 0x1000 + 0x100 * i, .size = 8};
	hw_resource_t r[4];
	size_t n;
	CHECK_EQ(pci_resources(&d, r, 4, &n), ELIMIT);
	CHECK_EQ(n, 4);
	CHECK_EQ(r[3].base, 0x1300);
}

HOST_TEST(bad_bars_are_not_granted)
{
	pci_dev_info_t d = sample();
	d.bars[0] = (pci_bar_info_t){.kind = PCI_BAR_IO, .base = 0xfff0, .size = 0x20};
	d.bars[1] = (pci_bar_info_t){
	    .kind = PCI_BAR_MEM64, .base = 0xfffffffffffff000ull, .size = 0x2000};
	hw_resource_t r[8];
	size_t n;
	CHECK_EQ(pci_resources(&d, r, 8, &n), EOK);
	CHECK_EQ(n, 0);
}
#endif
