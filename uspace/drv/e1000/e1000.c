/*
 * e1000: the driver's entry point. Started by devman for an 8254x PCI
 * function with its memory BAR, I/O BAR and interrupt line granted; resets
 * the controller, reads its MAC address, sets up the rings (ring.c),
 * subscribes the interrupt and exposes function "port0" in category "nic"
 * (abi/nic.h), served by nic_srv.
 */
#include "e1000.h"
#include <as.h>
#include <async.h>
#include <ddi.h>
#include <drv_nic.h>
#include <fibril.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define RESET_POLL_US 1000
#define RESET_POLLS   100 /* the reset must end within 100 ms */
#define EERD_POLLS    1000
#define MTA_COUNT     128

/* No register is touched for RESET_SETTLE_NS after RST is set (the 8254x's
 * rule); a reset that ends within RESET_SPIN_NS (an emulated one at once)
 * is seen without a sleep: the kernel's timeouts run on its 10 ms tick, so
 * the sleep before the first look cost up to 10 ms of boot. */
#define RESET_SETTLE_NS 1000
#define RESET_SPIN_NS	10000
/* Interrupt throttling: at most one interrupt per ITR_INTERVAL x 256 ns
 * (128 us, about 7,800 a second). Without it every frame each way raised
 * an interrupt, a kernel notification and a driver wake-up of its own; with
 * it one notification takes in a burst of frames and the transmissions
 * completed meanwhile. */
#define ITR_INTERVAL 500

static e1000_t nic0;

/** The interrupt: the IRQ code read (and so cleared) the cause. Each
 *  notification looks at both rings and the link whatever the cause says,
 *  so causes merged into one notification are not lost. */
static void e1000_irq(ipc_call_t *call, void *arg)
{
	e1000_t *e = arg;
	uint32_t cause = (uint32_t) call->args[0];
	nic_srv_interrupt(&e->nic);
	e1000_rx_poll(e);
	e1000_tx_reclaim(e);
	if ((cause & ICR_LSC) != 0)
		nic_srv_link_set(&e->nic, (e1000_read(e, E1000_STATUS) & STATUS_LU) != 0);
}

/** The IRQ code: reads ICR in the memory BAR (reading clears it, which
 *  lowers the line); the interrupt is ours when a cause was set. */
static errno_t e1000_subscribe(e1000_t *e)
{
	irq_cmd_t cmds[] = {
	    {.cmd = IRQ_CMD_MEM_READ_32, .value = e->regs_phys + E1000_ICR, .dst = 1},
	    {.cmd = IRQ_CMD_PREDICATE, .src = 1, .value = 1},
	    {.cmd = IRQ_CMD_ACCEPT},
	    {.cmd = IRQ_CMD_DECLINE},
	};
	cap_handle_t handle;
	return async_irq_subscribe(e->irq, e1000_irq, e, cmds, 4, &handle);
}

/** Whether the reset still runs after polling it for RESET_SPIN_NS. */
static bool e1000_reset_busy(e1000_t *e)
{
	uint64_t end = clock_ns() + RESET_SPIN_NS;
	do {
		if ((e1000_read(e, E1000_CTRL) & CTRL_RST) == 0)
			return false;
	} while (clock_ns() < end);
	return true;
}

/** Resets the controller and leaves its interrupts masked; ETIMEOUT when
 *  the reset does not end (a hung or absent device). */
static errno_t e1000_reset(e1000_t *e)
{
	e1000_write(e, E1000_IMC, 0xffffffffu);
	e1000_write(e, E1000_CTRL, e1000_read(e, E1000_CTRL) | CTRL_RST);
	uint64_t settled = clock_ns() + RESET_SETTLE_NS;
	while (clock_ns() < settled)
		;
	for (unsigned i = 0; e1000_reset_busy(e); i++) {
		if (i == RESET_POLLS)
			return ETIMEOUT;
		fibril_usleep(RESET_POLL_US);
	}
	e1000_write(e, E1000_IMC, 0xffffffffu);
	(void) e1000_read(e, E1000_ICR);
	uint32_t ctrl = e1000_read(e, E1000_CTRL) & ~CTRL_PHY_RST;
	e1000_write(e, E1000_CTRL, ctrl | CTRL_SLU | CTRL_ASDE);
	return EOK;
}

/** EEPROM word @a addr; ETIMEOUT when the read does not complete. */
static errno_t eeprom_read(e1000_t *e, unsigned addr, uint16_t *word)
{
	e1000_write(e, E1000_EERD, EERD_START | (addr << 8));
	for (unsigned i = 0; i < EERD_POLLS; i++) {
		uint32_t v = e1000_read(e, E1000_EERD);
		if ((v & EERD_DONE) != 0) {
			*word = (uint16_t) (v >> 16);
			return EOK;
		}
		fibril_usleep(10);
	}
	return ETIMEOUT;
}

/** The MAC address: receive address 0 when valid, else the EEPROM's. */
static errno_t e1000_mac(e1000_t *e, uint8_t mac[6])
{
	uint32_t lo = e1000_read(e, E1000_RAL0), hi = e1000_read(e, E1000_RAH0);
	if ((hi & RAH_AV) == 0) {
		uint16_t w[3];
		for (unsigned i = 0; i < 3; i++) {
			errno_t rc = eeprom_read(e, i, &w[i]);
			if (rc != EOK)
				return rc;
		}
		lo = w[0] | ((uint32_t) w[1] << 16);
		hi = w[2] | RAH_AV;
		e1000_write(e, E1000_RAL0, lo);
		e1000_write(e, E1000_RAH0, hi);
	}
	for (int i = 0; i < 4; i++)
		mac[i] = (uint8_t) (lo >> (8 * i));
	mac[4] = (uint8_t) hi;
	mac[5] = (uint8_t) (hi >> 8);
	return EOK;
}

static void e1000_start(e1000_t *e)
{
	for (unsigned i = 0; i < MTA_COUNT; i++)
		e1000_write(e, E1000_MTA + 4 * i, 0);
	e1000_write(e, E1000_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);
	e1000_write(e, E1000_TIPG, TIPG_IEEE);
	e1000_write(e, E1000_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
	e1000_write(e, E1000_ITR, ITR_INTERVAL);
	nic_srv_link_set(&e->nic, (e1000_read(e, E1000_STATUS) & STATUS_LU) != 0);
	e1000_write(e, E1000_IMS, ICR_WANTED);
}

/** The granted resources: the first memory BAR (the registers) mapped,
 *  the interrupt line. The I/O BAR is not used. */
static errno_t e1000_map(drv_dev_t *dev, e1000_t *e)
{
	const hw_resource_t *mem = drv_dev_find_resource(dev, HWRES_MEM, 0);
	const hw_resource_t *irq = drv_dev_find_resource(dev, HWRES_IRQ, 0);
	if (mem == NULL || irq == NULL || mem->size < E1000_RAH0 + 4)
		return ENOENT;
	uintptr_t base;
	errno_t rc = physmem_map(
	    mem->base, mem->size, AS_AREA_READ | AS_AREA_WRITE, &base);
	if (rc != EOK)
		return rc;
	e->regs = (volatile uint8_t *) base;
	e->regs_phys = mem->base;
	e->irq = (int) irq->base;
	return EOK;
}

static errno_t e1000_setup(drv_dev_t *dev, e1000_t *e)
{
	uint8_t mac[6];
	errno_t rc = e1000_map(dev, e);
	if (rc == EOK)
		rc = e1000_reset(e);
	if (rc == EOK)
		rc = drv_dev_dma_enable(dev); /* reset: no DMA to a dead driver's rings */
	if (rc == EOK)
		rc = e1000_mac(e, mac);
	if (rc != EOK)
		return rc;
	fibril_mutex_initialize(&e->tx_lock);
	fibril_condvar_initialize(&e->tx_cv);
	nic_srv_init(&e->nic, &e1000_nic_ops, e, mac);
	e->nic.speed_mbps = 1000;
	rc = e1000_rings_init(e);
	if (rc == EOK)
		rc = e1000_subscribe(e);
	if (rc != EOK)
		return rc;
	e1000_start(e);
	return EOK;
}

static errno_t e1000_dev_add(drv_dev_t *dev)
{
	e1000_t *e = &nic0;
	errno_t rc = e1000_setup(dev, e);
	if (rc != EOK) {
		printf("%s: %s: %s\n", NAME, drv_dev_path(dev), strerror(rc));
		return rc;
	}
	return drv_nic_expose(dev, &e->nic, NAME);
}

static const driver_ops_t e1000_driver = {.name = NAME, .dev_add = e1000_dev_add};

int main(int argc, char **argv)
{
	return drv_main(&e1000_driver, argc, argv);
}
