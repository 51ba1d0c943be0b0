/*
 * ata: the driver's entry point. Started by devman for an IDE controller;
 * takes up each legacy channel whose ports and IRQ it was granted (ata.h),
 * probes the drives and exposes every ATA disk found as function diskN
 * (N = 2 * channel + drive) in category "disk", served by bd_srv.
 */
#include "ata.h"
#include <async.h>
#include <ddi.h>
#include <drv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTL_OFFSET 0x206 /* control port = command base + 0x206 */

/* The legacy channels: command base and IRQ. */
static const struct {
	uint16_t cmd;
	int irq;
} legacy[ATA_CHANNELS] = {{0x1f0, 14}, {0x170, 15}};

static ata_channel_t channels[ATA_CHANNELS];

static bool has_resource(drv_dev_t *dev, uint32_t kind, uint64_t base, uint64_t size)
{
	for (size_t i = 0; i < drv_dev_resource_count(dev); i++) {
		const hw_resource_t *r = drv_dev_resource(dev, i);
		if (r->kind == kind && r->base <= base &&
		    base + size <= r->base + r->size)
			return true;
	}
	return false;
}

static void ata_irq(ipc_call_t *call, void *arg)
{
	ata_channel_irq(arg, (uint8_t) call->args[0]);
}

/** Subscribes @a chan's IRQ: the program reads the status register (which
 *  acknowledges the drive) into the notification's first argument. */
static errno_t channel_subscribe(ata_channel_t *chan)
{
	irq_cmd_t cmds[] = {
	    {.cmd = IRQ_CMD_PIO_READ_8, .port = chan->cmd + ATA_REG_STATUS, .dst = 1},
	    {.cmd = IRQ_CMD_ACCEPT},
	};
	cap_handle_t handle;
	return async_irq_subscribe(chan->irq, ata_irq, chan, cmds, 2, &handle);
}

static void disk_connection(ipc_call_t *icall, void *arg)
{
	ata_drive_t *d = arg;
	bd_srv_conn(icall, &d->bd);
}

static errno_t drive_expose(drv_dev_t *dev, ata_drive_t *d, unsigned n)
{
	char name[16];
	snprintf(name, sizeof(name), "disk%u", n);
	d->bd = (bd_srv_dev_t){.ops = &ata_bd_ops,
	    .dev = d,
	    .block_size = ATA_SECTOR,
	    .block_count = d->sectors};
	errno_t rc = drv_fun_expose(dev, name, BD_CATEGORY, disk_connection, d, NULL);
	if (rc == EOK)
		printf("%s: %s/%s: %s, %llu sectors%s\n", NAME, drv_dev_path(dev), name,
		    d->model, (unsigned long long) d->sectors, d->lba48 ? ", LBA48" : "");
	return rc;
}

/** Takes up channel @a i if its resources were granted; ENOENT if not. */
static errno_t channel_start(drv_dev_t *dev, unsigned i)
{
	ata_channel_t *chan = &channels[i];
	chan->cmd = legacy[i].cmd;
	chan->ctl = legacy[i].cmd + CTL_OFFSET;
	chan->irq = legacy[i].irq;
	if (!has_resource(dev, HWRES_IO, chan->cmd, 8) ||
	    !has_resource(dev, HWRES_IO, chan->ctl, 1) ||
	    !has_resource(dev, HWRES_IRQ, chan->irq, 1))
		return ENOENT;
	fibril_mutex_initialize(&chan->lock);
	fibril_mutex_initialize(&chan->irq_lock);
	fibril_condvar_initialize(&chan->irq_cv);
	errno_t rc = iospace_enable(chan->cmd, 8);
	if (rc == EOK)
		rc = iospace_enable(chan->ctl, 1);
	if (rc != EOK)
		return rc;
	ata_channel_probe(chan);
	rc = channel_subscribe(chan);
	if (rc != EOK)
		return rc;
	ata_channel_irq_on(chan);
	for (unsigned k = 0; rc == EOK && k < ATA_DRIVES; k++) {
		if (chan->drives[k].present)
			rc = drive_expose(dev, &chan->drives[k], i * ATA_DRIVES + k);
	}
	return rc;
}

static errno_t ata_dev_add(drv_dev_t *dev)
{
	unsigned started = 0;
	for (unsigned i = 0; i < ATA_CHANNELS; i++) {
		errno_t rc = channel_start(dev, i);
		if (rc == EOK)
			started++;
		else if (rc != ENOENT) {
			printf("%s: channel %#x of %s: %s\n", NAME, legacy[i].cmd,
			    drv_dev_path(dev), strerror(rc));
			return rc;
		}
	}
	if (started == 0) {
		printf("%s: %s: no legacy channel granted\n", NAME, drv_dev_path(dev));
		return ENOENT;
	}
	return EOK;
}

static const driver_ops_t ata_driver = {.name = NAME, .dev_add = ata_dev_add};

int main(int argc, char **argv)
{
	return drv_main(&ata_driver, argc, argv);
}
