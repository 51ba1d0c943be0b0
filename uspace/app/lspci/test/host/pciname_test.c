/*
 * lspci's text (pciname.c): class names, the one-line form, BARs and
 * interrupt lines of -v.
 */
#if __STDC_HOSTED__ /* not built into lspci: see host.mk */
#include "host_test.h"
#include "pciname.h"
#include <string.h>

static pci_dev_info_t dev(uint8_t bus, uint8_t d, uint8_t fn, uint16_t ven, uint16_t id,
    uint8_t cls, uint8_t sub)
{
	pci_dev_info_t info;
	memset(&info, 0, sizeof(info));
	info.bus = bus;
	info.dev = d;
	info.fn = fn;
	info.vendor_id = ven;
	info.device_id = id;
	info.class_code = cls;
	info.subclass = sub;
	return info;
}

HOST_TEST(common_classes_have_their_names)
{
	CHECK(strcmp(pci_class_name(0x06, 0x00), "Host bridge") == 0);
	CHECK(strcmp(pci_class_name(0x06, 0x01), "ISA bridge") == 0);
	CHECK(strcmp(pci_class_name(0x01, 0x01), "IDE interface") == 0);
	CHECK(strcmp(pci_class_name(0x03, 0x00), "VGA compatible controller") == 0);
	CHECK(strcmp(pci_class_name(0x02, 0x00), "Ethernet controller") == 0);
	CHECK(strcmp(pci_class_name(0x0c, 0x03), "USB controller") == 0);
}

HOST_TEST(unknown_subclass_falls_back_to_class)
{
	CHECK(strcmp(pci_class_name(0x06, 0x80), "Bridge") == 0);
	CHECK(strcmp(pci_class_name(0x02, 0x80), "Network controller") == 0);
	CHECK(strcmp(pci_class_name(0xfe, 0x00), "Unknown class") == 0);
	CHECK(strcmp(pci_class_name(0xff, 0xff), "Unknown class") == 0);
}

HOST_TEST(line_has_address_ids_name_and_class)
{
	char buf[128];
	pci_dev_info_t d = dev(0, 1, 0, 0x8086, 0x7000, 0x06, 0x01);
	pci_format_line(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "00:01.0 8086:7000 ISA bridge [0601]") == 0);
	d = dev(0x1b, 0x1f, 7, 0x1af4, 0x10f0, 0xab, 0xcd);
	pci_format_line(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "1b:1f.7 1af4:10f0 Unknown class [abcd]") == 0);
}

HOST_TEST(line_is_cut_short_not_overrun)
{
	char buf[12];
	memset(buf, 'x', sizeof(buf));
	pci_dev_info_t d = dev(0, 2, 0, 0x1234, 0x1111, 0x03, 0x00);
	pci_format_line(&d, buf, 8);
	CHECK(strcmp(buf, "00:02.0") == 0);
	CHECK_EQ(buf[8], 'x');
}

HOST_TEST(bars_show_kind_base_and_size)
{
	char buf[128];
	pci_bar_info_t io = {.kind = PCI_BAR_IO, .base = 0xc000, .size = 64};
	pci_format_bar(1, &io, buf, sizeof(buf));
	CHECK(strcmp(buf, "BAR1: I/O ports at 0xc000, 64 ports") == 0);
	pci_bar_info_t mem = {.kind = PCI_BAR_MEM64,
	    .flags = PCI_BAR_PREFETCHABLE,
	    .base = 0x800000000ull,
	    .size = 0x4000};
	pci_format_bar(2, &mem, buf, sizeof(buf));
	CHECK(
	    strcmp(buf,
		"BAR2: memory at 0x800000000, 0x4000 bytes (64-bit, prefetchable)") == 0);
	pci_bar_info_t m32 = {.kind = PCI_BAR_MEM32, .base = 0xfebf0000, .size = 0x1000};
	pci_format_bar(0, &m32, buf, sizeof(buf));
	CHECK(strcmp(buf, "BAR0: memory at 0xfebf0000, 0x1000 bytes (32-bit)") == 0);
	pci_bar_info_t none = {.kind = PCI_BAR_NONE};
	pci_format_bar(3, &none, buf, sizeof(buf));
	CHECK(strcmp(buf, "") == 0);
}

HOST_TEST(irq_shows_line_and_pin_only_with_a_pin)
{
	char buf[64];
	pci_dev_info_t d = dev(0, 3, 0, 0x8086, 0x100e, 0x02, 0x00);
	d.irq_line = 11;
	pci_format_irq(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "") == 0);
	d.irq_pin = 1;
	pci_format_irq(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "IRQ 11 (INTA#)") == 0);
	d.irq_pin = 4;
	d.irq_line = 0xff;
	pci_format_irq(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "IRQ none (INTD#)") == 0);
	d.irq_pin = 9;
	d.irq_line = 5;
	pci_format_irq(&d, buf, sizeof(buf));
	CHECK(strcmp(buf, "IRQ 5 (bad pin 9)") == 0);
}
#endif
