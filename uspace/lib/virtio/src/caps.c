/*
 * libvirtio: the capability walk (virtio/caps.h). Every pointer is checked
 * against the 256 bytes before it is followed, and the walk takes at most
 * as many steps as capabilities fit, so a looping list ends.
 */
#include <virtio/caps.h>
#include <virtio/hw.h>
#include <string.h>

#define CONFIG_SIZE  256
#define HEADER_SIZE  0x40 /* capabilities live after the standard header */
#define REG_STATUS   0x06
#define CAPS_MAX     ((CONFIG_SIZE - HEADER_SIZE) / 4)
#define COMMON_BYTES 0x38 /* sizeof(virtio_pci_common_cfg_t) */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
	    (uint32_t) p[3] << 24;
}

/** The smallest structure of @a type a driver can use. */
static uint32_t min_length(uint8_t type)
{
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON:
		return COMMON_BYTES;
	case VIRTIO_PCI_CAP_NOTIFY:
		return 2;
	default:
		return 1;
	}
}

static virtio_region_t *slot_of(virtio_pci_caps_t *caps, uint8_t type)
{
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON:
		return &caps->common;
	case VIRTIO_PCI_CAP_NOTIFY:
		return &caps->notify;
	case VIRTIO_PCI_CAP_ISR:
		return &caps->isr;
	case VIRTIO_PCI_CAP_DEVICE:
		return &caps->device;
	default:
		return NULL; /* PCI configuration access and future types */
	}
}

/** Records the virtio capability at @a at (its generic part in range). */
static errno_t take_cap(const uint8_t *config, unsigned at, virtio_pci_caps_t *caps)
{
	const uint8_t *c = config + at;
	uint8_t len = c[2], type = c[3], bar = c[4];
	virtio_region_t *r = slot_of(caps, type);
	if (r == NULL)
		return EOK;
	unsigned need = type == VIRTIO_PCI_CAP_NOTIFY ? VIRTIO_PCI_NOTIFY_CAP_LEN
						      : VIRTIO_PCI_CAP_LEN;
	if (len < need || at + len > CONFIG_SIZE || bar > 5)
		return EINVAL;
	uint32_t offset = le32(c + 8), length = le32(c + 12);
	if (length < min_length(type) || offset + (uint64_t) length > UINT32_MAX)
		return EINVAL;
	if (r->present)
		return EOK; /* the first of a type is the one to use */
	*r = (virtio_region_t){
	    .present = true, .bar = bar, .offset = offset, .length = length};
	if (type == VIRTIO_PCI_CAP_NOTIFY)
		caps->notify_mult = le32(c + 16);
	return EOK;
}

errno_t virtio_pci_find_caps(const uint8_t *config, virtio_pci_caps_t *caps)
{
	memset(caps, 0, sizeof(*caps));
	if (!(config[REG_STATUS] & PCI_REG_STATUS_CAPS))
		return ENOENT;
	unsigned at = config[PCI_REG_CAP_PTR] & 0xfc;
	for (unsigned steps = 0; at != 0; steps++) {
		if (steps == CAPS_MAX || at < HEADER_SIZE || at + 2 > CONFIG_SIZE)
			return EINVAL;
		if (config[at] == PCI_CAP_ID_VENDOR) {
			if (at + VIRTIO_PCI_CAP_LEN > CONFIG_SIZE)
				return EINVAL;
			errno_t rc = take_cap(config, at, caps);
			if (rc != EOK)
				return rc;
		}
		at = config[at + 1] & 0xfc;
	}
	if (!caps->common.present || !caps->notify.present || !caps->isr.present)
		return ENOENT;
	return EOK;
}
