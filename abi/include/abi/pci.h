/*
 * The PCI bus driver's protocol (uspace/drv/pci): what it found on the bus.
 *
 * The driver exposes function "ctl" in category "pci" (PCI_CATEGORY);
 * clients find it with loc_category_get_id + loc_category_get_svcs and
 * connect with loc_service_connect(id, PCI_IFACE). The list is made once,
 * when the driver enumerates the bus at start, and does not change.
 *
 * Clients, on a connection for PCI_IFACE:
 *   PCI_GET_DEVICES + DATA_READ -> (count)   pci_dev_info_t[] of every PCI
 *       function found, in the order they were found (bus 0 depth-first,
 *       a bridge's secondary bus right after the bridge). A buffer too
 *       short for all of them gets the whole records that fit; count is
 *       always the number found. A buffer of 0 bytes asks for the count.
 *   PCI_GET_CONFIG(bus, dev << 8 | fn) + DATA_READ -> the function's
 *       configuration space (PCI_CONFIG_SIZE bytes, or the first bytes of
 *       it for a shorter read) as it was when the driver handed the
 *       function over: its capability list is how a driver finds the
 *       structures of a virtio device. Read-only; ENOENT for a function
 *       that was not found.
 *   Any other method: ENOTSUP.
 *
 * Bus mastering: the driver turns it on for every device function (header
 * type 0) before its child driver starts, since drivers of such devices
 * work by DMA (docs/devices.md).
 */
#ifndef ABI_PCI_H
#define ABI_PCI_H

#include <abi/ipc.h>
#include <stdint.h>

#define PCI_CATEGORY "pci"
#define PCI_IFACE    0x70636901 /* "pci" 1 */

#define PCI_METHODS(M) \
	M(PCI_GET_DEVICES, "pci.get_devices") \
	M(PCI_GET_CONFIG, "pci.get_config")

IFACE_METHOD_ENUM(PCI, PCI_METHODS, IPC_FIRST_USER_METHOD);

#define PCI_BARS	6   /* base address registers of a header type 0 function */
#define PCI_CONFIG_SIZE 256 /* bytes of configuration space */

/* What a BAR slot decodes. A 64-bit memory BAR is reported whole in its
 * first slot; the slot holding its upper half is PCI_BAR_NONE. */
#define PCI_BAR_NONE  0 /* unused, unimplemented or an upper half */
#define PCI_BAR_IO    1 /* I/O ports base .. base + size - 1 */
#define PCI_BAR_MEM32 2 /* memory below 4 GiB */
#define PCI_BAR_MEM64 3 /* memory anywhere (two slots) */

#define PCI_BAR_PREFETCHABLE 0x1 /* pci_bar_info_t.flags */

typedef struct {
	uint32_t kind;	/* PCI_BAR_* */
	uint32_t flags; /* PCI_BAR_PREFETCHABLE */
	uint64_t base;
	uint64_t size; /* bytes (memory) or ports (I/O); 0 with PCI_BAR_NONE */
} pci_bar_info_t;

typedef struct {
	uint8_t bus;
	uint8_t dev;	     /* 0..31 */
	uint8_t fn;	     /* 0..7 */
	uint8_t header_type; /* without the multi-function bit: 0 device, 1 bridge */
	uint16_t vendor_id;
	uint16_t device_id;
	uint8_t class_code;
	uint8_t subclass;
	uint8_t prog_if;
	uint8_t revision;
	uint8_t irq_line; /* what firmware routed the pin to; 0xff: none */
	uint8_t irq_pin;  /* 0: none, 1..4: INTA#..INTD# */
	uint16_t reserved;
	pci_bar_info_t bars[PCI_BARS];
} pci_dev_info_t;

#endif
