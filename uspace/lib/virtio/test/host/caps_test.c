/*
 * libvirtio's capability walk (caps.c): QEMU's layout for a virtio 1.0
 * block device is found whole; lists that are broken (loops, pointers into
 * the header or off the end, short capabilities, bad BARs) are EINVAL, a
 * device without the modern structures ENOENT.
 */
#if __STDC_HOSTED__ /* not built into the library: see host.mk */
#include "host_test.h"
#include <string.h>
#include <virtio/caps.h>
#include <virtio/hw.h>

static uint8_t cfg[256];

static void put32(unsigned at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		cfg[at + i] = (uint8_t) (v >> (8 * i));
}

/** A virtio capability at @a at: @a type in @a bar at @a off, @a len. */
static void cap(
    unsigned at, uint8_t next, uint8_t type, uint8_t bar, uint32_t off, uint32_t len)
{
	cfg[at] = PCI_CAP_ID_VENDOR;
	cfg[at + 1] = next;
	cfg[at + 2] = type == VIRTIO_PCI_CAP_NOTIFY ? 20 : 16;
	cfg[at + 3] = type;
	cfg[at + 4] = bar;
	put32(at + 8, off);
	put32(at + 12, len);
}

/* QEMU's virtio-blk-pci: MSI-X first, then the PCI access, notify, device,
 * common and ISR structures, all in BAR 4. */
static void qemu_layout(void)
{
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = PCI_REG_STATUS_CAPS;
	cfg[PCI_REG_CAP_PTR] = 0x98;
	cfg[0x98] = 0x11; /* MSI-X */
	cfg[0x99] = 0x84;
	cap(0x84, 0x70, VIRTIO_PCI_CAP_PCI, 0, 0, 0);
	cfg[0x86] = 20;
	cap(0x70, 0x60, VIRTIO_PCI_CAP_NOTIFY, 4, 0x3000, 0x1000);
	put32(0x70 + 16, 4);
	cap(0x60, 0x50, VIRTIO_PCI_CAP_DEVICE, 4, 0x2000, 0x1000);
	cap(0x50, 0x40, VIRTIO_PCI_CAP_COMMON, 4, 0x0, 0x1000);
	cap(0x40, 0x00, VIRTIO_PCI_CAP_ISR, 4, 0x1000, 0x1000);
}

HOST_TEST(finds_every_structure_of_qemus_layout)
{
	qemu_layout();
	virtio_pci_caps_t c;
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EOK);
	CHECK(c.common.present && c.notify.present && c.isr.present && c.device.present);
	CHECK_EQ(c.common.bar, 4);
	CHECK_EQ(c.common.offset, 0);
	CHECK_EQ(c.isr.offset, 0x1000);
	CHECK_EQ(c.device.offset, 0x2000);
	CHECK_EQ(c.notify.offset, 0x3000);
	CHECK_EQ(c.notify.length, 0x1000);
	CHECK_EQ(c.notify_mult, 4);
}

HOST_TEST(the_first_structure_of_a_type_wins_and_device_cfg_is_optional)
{
	qemu_layout();
	cap(0x60, 0x50, VIRTIO_PCI_CAP_COMMON, 2, 0x800, 0x100); /* before the other */
	virtio_pci_caps_t c;
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EOK);
	CHECK_EQ(c.common.bar, 2);
	CHECK_EQ(c.common.offset, 0x800);
	CHECK(!c.device.present);
}

HOST_TEST(a_device_without_modern_structures_is_enoent)
{
	qemu_layout();
	cfg[0x06] = 0; /* no capability list at all */
	virtio_pci_caps_t c;
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), ENOENT);
	qemu_layout();
	cfg[0x51] = 0; /* the list ends before the ISR structure */
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), ENOENT);
	qemu_layout();
	cfg[0x73] = 9; /* notify becomes an unknown type */
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), ENOENT);
}

HOST_TEST(broken_lists_are_einval)
{
	virtio_pci_caps_t c;
	qemu_layout();
	cfg[0x41] = 0x98; /* the last points back at the first: a loop */
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EINVAL);
	qemu_layout();
	cfg[PCI_REG_CAP_PTR] = 0x10; /* into the standard header */
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EINVAL);
	qemu_layout();
	cfg[0x41] = 0xfc; /* a capability whose generic part runs off the end */
	cfg[0xfc] = PCI_CAP_ID_VENDOR;
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EINVAL);
	qemu_layout();
	cfg[0x72] = 16; /* notify without its multiplier */
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EINVAL);
	qemu_layout();
	cfg[0x54] = 6; /* BAR 6 */
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EINVAL);
	qemu_layout();
	put32(0x50 + 12, 0x10); /* a common structure too small */
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EINVAL);
	qemu_layout();
	put32(0x40 + 8, 0xfffffff0u); /* offset + length wraps */
	CHECK_EQ(virtio_pci_find_caps(cfg, &c), EINVAL);
}
#endif
