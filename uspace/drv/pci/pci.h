/*
 * pci: the PCI bus driver's parts.
 *
 *   config.c  configuration mechanism #1 (ports 0xCF8/0xCFC): the only
 *             file that touches hardware
 *   enum.c    walks configuration space through a pci_cfg_t: buses,
 *             devices, functions, bridges, BAR sizing (host-tested with a
 *             simulated configuration space)
 *   decode.c  pure: BAR decoding, names, match ids and the hardware
 *             resources of a function (host-tested)
 *   pci.c     the driver: dev_add, the child functions, the "ctl" service
 */
#ifndef PCI_PCI_H
#define PCI_PCI_H

#include <abi/errno.h>
#include <abi/hwres.h>
#include <abi/pci.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAME "pci"

#define PCI_DEVS  32 /* devices per bus */
#define PCI_FUNCS 8  /* functions per device */

/* Configuration space registers (offsets, 32-bit aligned) and fields. */
#define PCI_REG_ID	   0x00 /* vendor 15:0, device 31:16 */
#define PCI_REG_COMMAND	   0x04 /* command 15:0, status 31:16 */
#define PCI_REG_CLASS	   0x08 /* revision 7:0, prog-if, subclass, class 31:24 */
#define PCI_REG_HEADER	   0x0c /* header type 23:16 */
#define PCI_REG_BAR0	   0x10
#define PCI_REG_BUSES	   0x18 /* bridges: primary 7:0, secondary 15:8 */
#define PCI_REG_INTERRUPT  0x3c /* line 7:0, pin 15:8 */
#define PCI_VENDOR_NONE	   0xffff
#define PCI_HEADER_MULTIFN 0x80
#define PCI_HEADER_TYPE	   0x7f
#define PCI_HEADER_DEVICE  0
#define PCI_HEADER_BRIDGE  1
#define PCI_BRIDGE_BARS	   2
#define PCI_COMMAND_DECODE 0x3 /* I/O space and memory space enable */
#define PCI_COMMAND_MASTER 0x4 /* bus master enable: the function may DMA */
#define PCI_BAR_IO_BIT	   0x1
#define PCI_BAR_TYPE_MASK  0x6
#define PCI_BAR_TYPE_64	   0x4
#define PCI_BAR_PREFETCH   0x8
#define PCI_BAR_IO_MASK	   0xfffffffcu
#define PCI_BAR_MEM_MASK   0xfffffff0u
#define PCI_IRQ_LEGACY_MAX 16 /* lines at or above are not ISA IRQs */

/** Access to configuration space: 32-bit registers @a reg (a multiple of
 *  4, below 256) of function @a bus:@a dev.@a fn. */
typedef struct {
	uint32_t (*read)(void *arg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg);
	void (*write)(
	    void *arg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg, uint32_t value);
	void *arg;
} pci_cfg_t;

/*
 * config.c
 */

/** Configuration mechanism #1 at @a port (0xCF8: address, +4: data); the
 *  caller has enabled ports @a port .. @a port + 7. */
void pci_mech1_init(pci_cfg_t *cfg, uint16_t port);

/*
 * enum.c
 */

/** What enumeration found: a malloc'ed array of @a count records. */
typedef struct {
	pci_dev_info_t *items;
	size_t count;
	size_t room;
} pci_list_t;

/** Finds every function from bus 0 down through bridges (each bus scanned
 *  once, so a bridge pointing back at a bus already seen is ignored) and
 *  appends it to @a list (empty or filled before). Sizes BARs by writing
 *  ones with decoding off, restoring BAR and command register after.
 *  ENOMEM when the list cannot grow (what was found so far stays). */
errno_t pci_enumerate(const pci_cfg_t *cfg, pci_list_t *list);
void pci_list_free(pci_list_t *list);

/*
 * decode.c
 */

/** True if the memory BAR @a raw takes two slots (64-bit). */
bool pci_bar_is_64(uint32_t raw);
/** Decodes one BAR from its value @a raw and what it read after all ones
 *  were written (@a sized); for a 64-bit memory BAR the upper slot's
 *  @a raw_hi and @a sized_hi (ignored otherwise). A BAR that keeps no
 *  address bits is PCI_BAR_NONE. */
pci_bar_info_t pci_bar_decode(
    uint32_t raw, uint32_t sized, uint32_t raw_hi, uint32_t sized_hi);

#define PCI_FUN_NAME_SIZE 8  /* "BB:DD.F" */
#define PCI_MATCH_ID_SIZE 32 /* "pci/ven=VVVV&dev=DDDD" */

/** "BB:DD.F" (lowercase hex), the function's name in the device tree. */
void pci_fun_name(const pci_dev_info_t *d, char *buf, size_t size);
/** "pci/ven=VVVV&dev=DDDD". */
void pci_match_id_device(const pci_dev_info_t *d, char *buf, size_t size);
/** "pci/class=CC&subclass=SS". */
void pci_match_id_class(const pci_dev_info_t *d, char *buf, size_t size);

#define PCI_MATCH_SCORE_DEVICE 90
#define PCI_MATCH_SCORE_CLASS  50

/** The hardware resources the function's driver gets: its assigned BARs
 *  (memory ones widened to whole pages), its interrupt line when it has a
 *  pin and the line is an ISA one, and for VGA-compatible display
 *  controllers the legacy VGA ranges. Up to @a max into @a out, the count
 *  in *@a count; ELIMIT if there are more. */
errno_t pci_resources(
    const pci_dev_info_t *d, hw_resource_t *out, size_t max, size_t *count);

#endif
