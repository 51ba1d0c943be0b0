/*
 * lspci: what it prints about a PCI function, as text (pure: no IPC, no
 * hardware; host-tested).
 */
#ifndef LSPCI_PCINAME_H
#define LSPCI_PCINAME_H

#include <abi/pci.h>
#include <stddef.h>

/** The name of class @a cls, subclass @a sub ("ISA bridge"); the class's
 *  own name when the subclass is not known, "Unknown class" when neither
 *  is. */
const char *pci_class_name(uint8_t cls, uint8_t sub);

/** "BB:DD.F VVVV:DDDD NAME [CCSS]": one function's line. */
void pci_format_line(const pci_dev_info_t *d, char *buf, size_t size);

/** "BAR3: memory at 0xfe000000, 0x4000 bytes (64-bit, prefetchable)" or
 *  "BAR0: I/O ports at 0xc000, 64 ports"; an empty string for a slot
 *  that decodes nothing. */
void pci_format_bar(size_t index, const pci_bar_info_t *bar, char *buf, size_t size);

/** "IRQ 11 (INTA#)" ("IRQ none" when firmware routed nothing), or an
 *  empty string without an interrupt pin. */
void pci_format_irq(const pci_dev_info_t *d, char *buf, size_t size);

#endif
