/*
 * ata: the channel's registers. Commands run with the channel's lock held
 * (ata.h); data moves by PIO, one sector per DRQ, and the drive's
 * interrupt (a notification whose handler sets irq_seen) says when the
 * next sector is ready or a write or flush is done.
 */
#include "ata.h"
#include <ddi.h>
#include <fibril.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SPINS_BEFORE_SLEEP 1000
#define POLL_SLEEP_USEC	   100
#define POLL_SLEEPS	   (ATA_IRQ_TIMEOUT_USEC / POLL_SLEEP_USEC)
#define STATUS_FLOATING	   0xff /* no drive drives the bus */

static uint8_t alt_status(ata_channel_t *chan)
{
	return pio_read_8(chan->ctl);
}

/** The status once BSY is clear; ETIMEOUT after ATA_IRQ_TIMEOUT_USEC. */
static errno_t wait_not_busy(ata_channel_t *chan, uint8_t *status)
{
	for (unsigned sleeps = 0; sleeps <= POLL_SLEEPS; sleeps++) {
		for (unsigned i = 0; i < SPINS_BEFORE_SLEEP; i++) {
			uint8_t st = alt_status(chan);
			if ((st & ATA_ST_BSY) == 0) {
				*status = st;
				return EOK;
			}
		}
		fibril_usleep(POLL_SLEEP_USEC);
	}
	return ETIMEOUT;
}

/** The 400 ns a drive needs after a selection: four status reads. */
static void settle(ata_channel_t *chan)
{
	for (int i = 0; i < 4; i++)
		(void) alt_status(chan);
}

/** After a wait for the interrupt timed out: a drive that still shows BSY
 *  is still working on the command, so it is watched for up to another
 *  ATA_IRQ_TIMEOUT_USEC without sleeping (yielding to the interrupt's
 *  fibril). Time passes while the guest sleeps in ways the drive need not
 *  follow: under QEMU's -icount with sleep=off the clock jumps to the next
 *  timer as soon as every CPU idles, ahead of an operation the host is
 *  still doing (a FLUSH CACHE), while a busy guest's clock runs with the
 *  instructions it executes. EOK once BSY is clear (the interrupt came or
 *  comes late), ETIMEOUT for a drive busy all that time or never busy
 *  (its interrupt was lost). */
static errno_t wait_still_busy(ata_channel_t *chan)
{
	if ((alt_status(chan) & ATA_ST_BSY) == 0)
		return ETIMEOUT;
	uint64_t end = clock_ns() + (uint64_t) ATA_IRQ_TIMEOUT_USEC * 1000;
	while (clock_ns() < end) {
		if ((alt_status(chan) & ATA_ST_BSY) == 0)
			return EOK;
		fibril_yield();
	}
	return ETIMEOUT;
}

/** Waits for the interrupt that follows a command or sector; the status
 *  once BSY is clear in *@a status. */
static errno_t wait_irq(ata_channel_t *chan, uint8_t *status)
{
	errno_t rc = EOK;
	fibril_mutex_lock(&chan->irq_lock);
	while (!chan->irq_seen && rc == EOK)
		rc = fibril_condvar_wait_timeout(
		    &chan->irq_cv, &chan->irq_lock, ATA_IRQ_TIMEOUT_USEC);
	chan->irq_seen = false;
	fibril_mutex_unlock(&chan->irq_lock);
	if (rc == ETIMEOUT)
		rc = wait_still_busy(chan);
	if (rc != EOK)
		return rc;
	return wait_not_busy(chan, status);
}

void ata_channel_irq(ata_channel_t *chan, uint8_t status)
{
	fibril_mutex_lock(&chan->irq_lock);
	chan->irq_seen = true;
	chan->irq_status = status;
	fibril_condvar_broadcast(&chan->irq_cv);
	fibril_mutex_unlock(&chan->irq_lock);
}

static void irq_expect(ata_channel_t *chan)
{
	fibril_mutex_lock(&chan->irq_lock);
	chan->irq_seen = false;
	fibril_mutex_unlock(&chan->irq_lock);
}

static void select_drive(ata_channel_t *chan, unsigned index, uint8_t lba_bits)
{
	pio_write_8(chan->cmd + ATA_REG_DRIVE, 0xa0 | 0x40 | (index << 4) | lba_bits);
	settle(chan);
}

/** Selects @a d and loads the address and count of a command on @a count
 *  sectors (1..256, or 1..65536 with LBA48) from @a lba. */
static void load_address(ata_drive_t *d, uint64_t lba, unsigned count)
{
	ata_channel_t *chan = d->chan;
	uint16_t base = chan->cmd;
	if (d->lba48) {
		select_drive(chan, d->index, 0);
		pio_write_8(base + ATA_REG_COUNT, (count >> 8) & 0xff);
		pio_write_8(base + ATA_REG_LBA0, (lba >> 24) & 0xff);
		pio_write_8(base + ATA_REG_LBA1, (lba >> 32) & 0xff);
		pio_write_8(base + ATA_REG_LBA2, (lba >> 40) & 0xff);
	} else {
		select_drive(chan, d->index, (lba >> 24) & 0x0f);
	}
	pio_write_8(base + ATA_REG_COUNT, count & 0xff);
	pio_write_8(base + ATA_REG_LBA0, lba & 0xff);
	pio_write_8(base + ATA_REG_LBA1, (lba >> 8) & 0xff);
	pio_write_8(base + ATA_REG_LBA2, (lba >> 16) & 0xff);
}

static bool status_bad(uint8_t st)
{
	return (st & (ATA_ST_ERR | ATA_ST_DF)) != 0;
}

/** Logs the first I/O error of @a d; EIO. */
static errno_t drive_error(ata_drive_t *d, const char *what, uint64_t lba, errno_t rc)
{
	if (!d->failed_logged) {
		d->failed_logged = true;
		printf("%s: %s of sector %llu on drive %u of %#x failed: %s\n", NAME,
		    what, (unsigned long long) lba, d->index, d->chan->cmd, strerror(rc));
	}
	return EIO;
}

/** One read command of @a count sectors (within the command's limit). */
static errno_t read_cmd(ata_drive_t *d, uint64_t lba, unsigned count, uint8_t *buf)
{
	ata_channel_t *chan = d->chan;
	load_address(d, lba, count);
	irq_expect(chan);
	pio_write_8(
	    chan->cmd + ATA_REG_COMMAND, d->lba48 ? ATA_CMD_READ_EXT : ATA_CMD_READ);
	for (unsigned i = 0; i < count; i++) {
		uint8_t st;
		errno_t rc = wait_irq(chan, &st);
		if (rc == EOK && (status_bad(st) || (st & ATA_ST_DRQ) == 0))
			rc = EIO;
		if (rc != EOK)
			return drive_error(d, "read", lba + i, rc);
		pio_read_16_buf(
		    chan->cmd + ATA_REG_DATA, buf + i * ATA_SECTOR, ATA_SECTOR / 2);
	}
	return EOK;
}

/** One write command: the first sector goes when DRQ is set, each next one
 *  after the interrupt of the one before, the last interrupt ends it. */
static errno_t write_cmd(ata_drive_t *d, uint64_t lba, unsigned count, const uint8_t *buf)
{
	ata_channel_t *chan = d->chan;
	load_address(d, lba, count);
	irq_expect(chan);
	pio_write_8(
	    chan->cmd + ATA_REG_COMMAND, d->lba48 ? ATA_CMD_WRITE_EXT : ATA_CMD_WRITE);
	uint8_t st;
	errno_t rc = wait_not_busy(chan, &st);
	for (unsigned i = 0; rc == EOK && i < count; i++) {
		if (status_bad(st) || (st & ATA_ST_DRQ) == 0) {
			rc = EIO;
			break;
		}
		pio_write_16_buf(
		    chan->cmd + ATA_REG_DATA, buf + i * ATA_SECTOR, ATA_SECTOR / 2);
		rc = wait_irq(chan, &st);
	}
	if (rc == EOK && status_bad(st))
		rc = EIO;
	return rc == EOK ? EOK : drive_error(d, "write", lba, rc);
}

/** The most sectors one command moves. */
static unsigned cmd_max(const ata_drive_t *d)
{
	return d->lba48 ? 65536 : 256;
}

static errno_t ata_bd_read(void *dev, uint64_t ba, size_t count, void *buf)
{
	ata_drive_t *d = dev;
	errno_t rc = EOK;
	fibril_mutex_lock(&d->chan->lock);
	for (size_t done = 0; rc == EOK && done < count;) {
		unsigned n = count - done < cmd_max(d) ? count - done : cmd_max(d);
		rc = read_cmd(d, ba + done, n, (uint8_t *) buf + done * ATA_SECTOR);
		done += n;
	}
	fibril_mutex_unlock(&d->chan->lock);
	return rc;
}

static errno_t ata_bd_write(void *dev, uint64_t ba, size_t count, const void *buf)
{
	ata_drive_t *d = dev;
	errno_t rc = EOK;
	fibril_mutex_lock(&d->chan->lock);
	for (size_t done = 0; rc == EOK && done < count;) {
		unsigned n = count - done < cmd_max(d) ? count - done : cmd_max(d);
		rc = write_cmd(
		    d, ba + done, n, (const uint8_t *) buf + done * ATA_SECTOR);
		done += n;
	}
	fibril_mutex_unlock(&d->chan->lock);
	return rc;
}

static errno_t ata_bd_sync(void *dev)
{
	ata_drive_t *d = dev;
	ata_channel_t *chan = d->chan;
	fibril_mutex_lock(&chan->lock);
	select_drive(chan, d->index, 0);
	irq_expect(chan);
	pio_write_8(
	    chan->cmd + ATA_REG_COMMAND, d->lba48 ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH);
	uint8_t st;
	errno_t rc = wait_irq(chan, &st);
	if (rc == EOK && status_bad(st))
		rc = EIO;
	fibril_mutex_unlock(&chan->lock);
	return rc == EOK ? EOK : drive_error(d, "flush", 0, rc);
}

const bd_ops_t ata_bd_ops = {
    .read = ata_bd_read, .write = ata_bd_write, .sync = ata_bd_sync};

/** IDENTIFY DEVICE by polling: false if no ATA drive answers. */
static bool identify(ata_channel_t *chan, unsigned index, uint16_t ident[256])
{
	select_drive(chan, index, 0);
	pio_write_8(chan->cmd + ATA_REG_COUNT, 0);
	pio_write_8(chan->cmd + ATA_REG_LBA0, 0);
	pio_write_8(chan->cmd + ATA_REG_LBA1, 0);
	pio_write_8(chan->cmd + ATA_REG_LBA2, 0);
	pio_write_8(chan->cmd + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
	uint8_t st = pio_read_8(chan->cmd + ATA_REG_STATUS);
	if (st == 0 || st == STATUS_FLOATING)
		return false;
	if (wait_not_busy(chan, &st) != EOK)
		return false;
	/* A packet device (CD-ROM) puts its signature here and aborts. */
	if (pio_read_8(chan->cmd + ATA_REG_LBA1) != 0 ||
	    pio_read_8(chan->cmd + ATA_REG_LBA2) != 0)
		return false;
	st = pio_read_8(chan->cmd + ATA_REG_STATUS);
	if (status_bad(st) || (st & ATA_ST_DRQ) == 0)
		return false;
	pio_read_16_buf(chan->cmd + ATA_REG_DATA, ident, 256);
	return true;
}

void ata_channel_probe(ata_channel_t *chan)
{
	pio_write_8(chan->ctl, ATA_CTL_NIEN);
	for (unsigned i = 0; i < ATA_DRIVES; i++) {
		ata_drive_t *d = &chan->drives[i];
		d->chan = chan;
		d->index = i;
		uint16_t ident[256];
		if (identify(chan, i, ident))
			ata_ident_parse(ident, d);
	}
}

void ata_channel_irq_on(ata_channel_t *chan)
{
	(void) pio_read_8(chan->cmd + ATA_REG_STATUS); /* drop a stale interrupt */
	pio_write_8(chan->ctl, 0);
}
