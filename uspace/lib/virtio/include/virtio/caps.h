/*
 * libvirtio: finding a virtio 1.0 PCI device's structures in its
 * configuration space (virtio 1.0, 4.1.4). Pure code over a copy of the
 * 256 bytes (the PCI driver's PCI_GET_CONFIG); host-tested.
 */
#ifndef VIRTIO_CAPS_H
#define VIRTIO_CAPS_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stdint.h>

/** Where one structure lies: BAR @a bar, @a offset, @a length bytes. */
typedef struct {
	bool present;
	uint8_t bar;
	uint32_t offset;
	uint32_t length;
} virtio_region_t;

typedef struct {
	virtio_region_t common;
	virtio_region_t notify;
	virtio_region_t isr;
	virtio_region_t device; /* optional: not every device type has one */
	uint32_t notify_mult;	/* notify_off_multiplier */
} virtio_pci_caps_t;

/** Walks the capability list of @a config (256 bytes) and records the
 *  first structure of each type. EINVAL for a list that is broken (a
 *  pointer into the header or past the end, a loop, a virtio capability
 *  too short for its type, a BAR above 5, a structure too small for what
 *  it holds); ENOENT when the common, notify or ISR structure is missing
 *  (a legacy-only device). */
errno_t virtio_pci_find_caps(const uint8_t *config, virtio_pci_caps_t *caps);

#endif
