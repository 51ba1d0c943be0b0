/*
 * e1000: a driver for Intel's 8254x Ethernet controllers as QEMU has them
 * (82540EM, the default NIC). Registers are reached through the memory BAR,
 * and the IRQ code reads the interrupt cause there (QEMU's I/O BAR window
 * reads as zeros). Frames move through two rings of legacy descriptors in DMA
 * memory, each descriptor with a 2 KiB buffer of its own.
 *
 * Locking: tx_lock guards the transmit ring (tx_tail, tx_clean and the
 * descriptors between them); the receive ring is touched only by the
 * interrupt notification handler, which the async framework runs one at a
 * time. nic_srv_t's lock is taken inside tx_lock, never the other way.
 */
#ifndef E1000_H
#define E1000_H

#include <fibril_synch.h>
#include <nic_srv.h>
#include <stdint.h>

#define NAME "e1000"

/* Registers (byte offsets into the memory BAR). */
#define E1000_CTRL   0x0000
#define E1000_STATUS 0x0008
#define E1000_EERD   0x0014
#define E1000_ICR    0x00c0
#define E1000_ITR    0x00c4
#define E1000_IMS    0x00d0
#define E1000_IMC    0x00d8
#define E1000_RCTL   0x0100
#define E1000_TCTL   0x0400
#define E1000_TIPG   0x0410
#define E1000_RDBAL  0x2800
#define E1000_RDBAH  0x2804
#define E1000_RDLEN  0x2808
#define E1000_RDH    0x2810
#define E1000_RDT    0x2818
#define E1000_TDBAL  0x3800
#define E1000_TDBAH  0x3804
#define E1000_TDLEN  0x3808
#define E1000_TDH    0x3810
#define E1000_TDT    0x3818
#define E1000_MTA    0x5200 /* 128 registers */
#define E1000_RAL0   0x5400
#define E1000_RAH0   0x5404

#define CTRL_ASDE    (1u << 5)
#define CTRL_SLU     (1u << 6)
#define CTRL_RST     (1u << 26)
#define CTRL_PHY_RST (1u << 31)
#define STATUS_LU    (1u << 1)
#define EERD_START   (1u << 0)
#define EERD_DONE    (1u << 4)
#define RAH_AV	     (1u << 31)

#define ICR_TXDW   (1u << 0)
#define ICR_LSC	   (1u << 2)
#define ICR_RXSEQ  (1u << 3)
#define ICR_RXDMT0 (1u << 4)
#define ICR_RXO	   (1u << 6)
#define ICR_RXT0   (1u << 7)
#define ICR_WANTED (ICR_TXDW | ICR_LSC | ICR_RXSEQ | ICR_RXDMT0 | ICR_RXO | ICR_RXT0)

#define RCTL_EN	   (1u << 1)
#define RCTL_BAM   (1u << 15) /* accept broadcasts */
#define RCTL_SECRC (1u << 26) /* strip the FCS */
/* BSIZE 00 with BSEX 0: 2048-byte buffers. */

#define TCTL_EN	  (1u << 1)
#define TCTL_PSP  (1u << 3)
#define TCTL_CT	  (0x0fu << 4)
#define TCTL_COLD (0x40u << 12)
#define TIPG_IEEE 0x0060200au /* IPGT 10, IPGR1 8, IPGR2 6 */

/* Legacy receive descriptor. */
typedef struct {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
} __attribute__((packed)) e1000_rx_desc_t;

#define RXD_DD	0x01
#define RXD_EOP 0x02
/* Errors: CRC, symbol, sequence, carrier extension, RX data. */
#define RXD_ERR_FRAME 0x97

/* Legacy transmit descriptor. */
typedef struct {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
} __attribute__((packed)) e1000_tx_desc_t;

#define TXD_CMD_EOP  0x01
#define TXD_CMD_IFCS 0x02
#define TXD_CMD_RS   0x08
#define TXD_DD	     0x01
#define TXD_ERR	     0x06 /* excess or late collision */

#define E1000_RX_COUNT 128 /* multiples of 8: the ring length is 128-byte aligned */
#define E1000_TX_COUNT 64
#define E1000_BUF_SIZE 2048

typedef struct {
	volatile uint8_t *regs;
	uint64_t regs_phys; /* for the IRQ code */
	int irq;
	e1000_rx_desc_t *rx;
	e1000_tx_desc_t *tx;
	uint8_t *bufs; /* RX buffers, then TX buffers */
	uintptr_t bufs_phys;
	unsigned rx_next; /* the next descriptor the device fills */
	fibril_mutex_t tx_lock;
	fibril_condvar_t tx_cv; /* broadcast when descriptors complete */
	unsigned tx_tail;	/* the next descriptor to fill */
	unsigned tx_kicked;	/* the tail the device was last told (TDT) */
	unsigned tx_clean;	/* the oldest descriptor not seen complete */
	nic_srv_t nic;
} e1000_t;

static inline uint32_t e1000_read(e1000_t *e, uint32_t reg)
{
	return *(volatile uint32_t *) (e->regs + reg);
}

static inline void e1000_write(e1000_t *e, uint32_t reg, uint32_t value)
{
	*(volatile uint32_t *) (e->regs + reg) = value;
}

/* ring.c: the descriptor rings. */
errno_t e1000_rings_init(e1000_t *e);
/** Takes in every frame the device completed; gives the descriptors back. */
void e1000_rx_poll(e1000_t *e);
/** Notes completed transmissions and wakes senders waiting for room. */
void e1000_tx_reclaim(e1000_t *e);
extern const nic_ops_t e1000_nic_ops;

#endif
