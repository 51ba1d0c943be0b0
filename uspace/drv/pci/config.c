/*
 * pci: configuration mechanism #1, the PC's way to configuration space: a
 * 32-bit write of (enable, bus, device, function, register) to the address
 * port, then a 32-bit access of the data port four ports above. The two
 * accesses are one operation: the enumerating fibril uses them, and after
 * it only holders of pci.c's cfg_lock.
 */
#include "pci.h"
#include <libarch/pio.h>

#define MECH1_ENABLE   0x80000000u
#define MECH1_DATA_OFF 4

static uint16_t mech1_port;

static uint32_t mech1_address(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
	return MECH1_ENABLE | (uint32_t) bus << 16 | (uint32_t) (dev & 0x1f) << 11 |
	    (uint32_t) (fn & 0x7) << 8 | (reg & 0xfc);
}

static uint32_t mech1_read(void *arg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
	pio_write_32(mech1_port, mech1_address(bus, dev, fn, reg));
	return pio_read_32(mech1_port + MECH1_DATA_OFF);
}

static void mech1_write(
    void *arg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg, uint32_t value)
{
	pio_write_32(mech1_port, mech1_address(bus, dev, fn, reg));
	pio_write_32(mech1_port + MECH1_DATA_OFF, value);
}

void pci_mech1_init(pci_cfg_t *cfg, uint16_t port)
{
	mech1_port = port;
	cfg->read = mech1_read;
	cfg->write = mech1_write;
	cfg->arg = NULL;
}
