/*
 * ata: an ATA/IDE disk driver, PIO transfers with interrupt-driven
 * completion. One task per IDE controller; each of its channels (primary
 * 0x1f0/0x3f6 IRQ 14, secondary 0x170/0x376 IRQ 15, the legacy ranges the
 * PCI driver grants a controller in compatibility mode) has up to two
 * drives, each exposed as function diskN in category "disk" (abi/bd.h).
 *
 * Locking: a channel's `lock` is held for a whole command (the two drives
 * of a channel share its registers); `irq_lock` guards the interrupt state
 * the notification handler sets and is taken inside `lock`.
 */
#ifndef ATA_H
#define ATA_H

#include <bd_srv.h>
#include <fibril_synch.h>
#include <stdbool.h>
#include <stdint.h>

#define NAME "ata"

#define ATA_CHANNELS	     2
#define ATA_DRIVES	     2
#define ATA_SECTOR	     512
#define ATA_IRQ_TIMEOUT_USEC (10 * 1000 * 1000)

/* Command block registers (offsets from the channel's base). */
#define ATA_REG_DATA	0
#define ATA_REG_ERROR	1
#define ATA_REG_COUNT	2
#define ATA_REG_LBA0	3
#define ATA_REG_LBA1	4
#define ATA_REG_LBA2	5
#define ATA_REG_DRIVE	6
#define ATA_REG_STATUS	7 /* read; a write is the command */
#define ATA_REG_COMMAND 7

/* Control block: alternate status (read), device control (write). */
#define ATA_CTL_NIEN 0x02 /* no interrupts */
#define ATA_CTL_SRST 0x04

#define ATA_ST_ERR  0x01
#define ATA_ST_DRQ  0x08
#define ATA_ST_DF   0x20
#define ATA_ST_DRDY 0x40
#define ATA_ST_BSY  0x80

#define ATA_CMD_READ	  0x20
#define ATA_CMD_READ_EXT  0x24
#define ATA_CMD_WRITE	  0x30
#define ATA_CMD_WRITE_EXT 0x34
#define ATA_CMD_FLUSH	  0xe7
#define ATA_CMD_FLUSH_EXT 0xea
#define ATA_CMD_IDENTIFY  0xec

typedef struct ata_channel ata_channel_t;

typedef struct {
	ata_channel_t *chan;
	unsigned index; /* 0 master, 1 slave */
	bool present;
	bool lba48;
	uint64_t sectors;
	char model[41];
	bool failed_logged; /* an I/O error was logged (once per drive) */
	bd_srv_dev_t bd;
} ata_drive_t;

struct ata_channel {
	uint16_t cmd; /* command block base */
	uint16_t ctl; /* device control / alternate status port */
	int irq;
	fibril_mutex_t lock;
	fibril_mutex_t irq_lock;
	fibril_condvar_t irq_cv;
	bool irq_seen; /* an interrupt came since the command was issued */
	uint8_t irq_status;
	ata_drive_t drives[ATA_DRIVES];
};

/** What IDENTIFY DEVICE's 256 words say about a drive. */
void ata_ident_parse(const uint16_t ident[256], ata_drive_t *drive);

/** Probes @a chan's drives by polling (interrupts off). */
void ata_channel_probe(ata_channel_t *chan);
/** Turns the channel's interrupts on once its IRQ is subscribed. */
void ata_channel_irq_on(ata_channel_t *chan);
/** The notification of an interrupt of @a chan, its status register read by
 *  the IRQ code. */
void ata_channel_irq(ata_channel_t *chan, uint8_t status);

extern const bd_ops_t ata_bd_ops;

#endif
