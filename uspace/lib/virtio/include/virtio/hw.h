/*
 * virtio 1.0 ("modern") over PCI: the layouts and constants of the
 * specification that a driver shares with the device (OASIS virtio 1.0,
 * sections 2, 4.1 and 5.2). Everything is little-endian, which is the
 * machine's order here. No code; used by libvirtio and its drivers.
 */
#ifndef VIRTIO_HW_H
#define VIRTIO_HW_H

#include <stdint.h>

#define VIRTIO_PCI_VENDOR 0x1af4
/* Modern device ids are 0x1040 + the device type; transitional ones (which
 * also speak 1.0 when they offer VIRTIO_F_VERSION_1) 0x1000-0x103f. */
#define VIRTIO_PCI_DEVICE_MODERN_BASE 0x1040
#define VIRTIO_ID_NET		      1
#define VIRTIO_ID_BLOCK		      2

/* A vendor-specific PCI capability (id 0x09) describing one structure. */
#define PCI_CAP_ID_VENDOR	  0x09
#define PCI_REG_STATUS_CAPS	  0x10 /* status register bit: a capability list */
#define PCI_REG_CAP_PTR		  0x34
#define VIRTIO_PCI_CAP_COMMON	  1
#define VIRTIO_PCI_CAP_NOTIFY	  2
#define VIRTIO_PCI_CAP_ISR	  3
#define VIRTIO_PCI_CAP_DEVICE	  4
#define VIRTIO_PCI_CAP_PCI	  5
#define VIRTIO_PCI_CAP_LEN	  16 /* the generic part */
#define VIRTIO_PCI_NOTIFY_CAP_LEN 20 /* + notify_off_multiplier */

typedef struct __attribute__((packed)) {
	uint8_t cap_vndr; /* PCI_CAP_ID_VENDOR */
	uint8_t cap_next;
	uint8_t cap_len;
	uint8_t cfg_type; /* VIRTIO_PCI_CAP_* */
	uint8_t bar;	  /* 0..5 */
	uint8_t padding[3];
	uint32_t offset; /* within the BAR */
	uint32_t length;
} virtio_pci_cap_t;

/* The common configuration structure (VIRTIO_PCI_CAP_COMMON); every field
 * is naturally aligned, so the C layout is the device's. */
typedef struct {
	uint32_t device_feature_select;
	uint32_t device_feature;
	uint32_t driver_feature_select;
	uint32_t driver_feature;
	uint16_t msix_config;
	uint16_t num_queues;
	uint8_t device_status;
	uint8_t config_generation;
	uint16_t queue_select;
	uint16_t queue_size;
	uint16_t queue_msix_vector;
	uint16_t queue_enable;
	uint16_t queue_notify_off;
	uint64_t queue_desc;
	uint64_t queue_driver; /* the available ring */
	uint64_t queue_device; /* the used ring */
} virtio_pci_common_cfg_t;

_Static_assert(sizeof(virtio_pci_common_cfg_t) == 0x38, "common cfg layout");

/* device_status */
#define VIRTIO_STATUS_ACKNOWLEDGE	 0x01
#define VIRTIO_STATUS_DRIVER		 0x02
#define VIRTIO_STATUS_DRIVER_OK		 0x04
#define VIRTIO_STATUS_FEATURES_OK	 0x08
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED		 0x80

/* ISR status (read clears it). */
#define VIRTIO_ISR_QUEUE  0x1
#define VIRTIO_ISR_CONFIG 0x2

/* Feature bits every device type shares. */
#define VIRTIO_F_VERSION_1 32

/* Split virtqueues (2.4). */
#define VIRTQ_DESC_F_NEXT      1
#define VIRTQ_DESC_F_WRITE     2 /* the device writes the buffer */
#define VIRTQ_AVAIL_F_NO_INTR  1
#define VIRTQ_USED_F_NO_NOTIFY 1

typedef struct {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
} virtq_desc_t;

typedef struct {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
} virtq_avail_t;

typedef struct {
	uint32_t id;  /* head of the chain */
	uint32_t len; /* bytes the device wrote */
} virtq_used_elem_t;

typedef struct {
	uint16_t flags;
	uint16_t idx;
	virtq_used_elem_t ring[];
} virtq_used_t;

#endif
