/*
 * The network-interface protocol: an Ethernet NIC moving whole frames.
 * NIC drivers (uspace/drv/e1000, ...) serve it on the function they
 * register in the location service in category NIC_CATEGORY; the network
 * server reaches it through libc's nic.h, drivers serve it with nic_srv.h
 * (which makes every check below once, for all of them).
 *
 * A frame is what goes on the wire without the FCS: destination, source,
 * type and payload, NIC_FRAME_MIN..NIC_FRAME_MAX bytes (a shorter frame is
 * padded with zeros by the driver; the NIC adds and strips the FCS).
 *
 *   NIC_GET_INFO -> (MAC address, link, speed in Mbit/s)
 *       The MAC address is the 48-bit number whose most significant byte
 *       is the address's first byte; link is NIC_LINK_UP or NIC_LINK_DOWN.
 *   NIC_SEND + DATA_WRITE of one frame (NIC_FRAME_HDR..NIC_FRAME_MAX bytes)
 *       The frame is in the transmit ring when the answer comes. EINVAL for
 *       a size outside the bounds (the data write refused, nothing sent);
 *       EAGAIN when the ring stayed full for NIC_SEND_WAIT_US (the device
 *       does not transmit: link down or hung; counted in tx_errors); EIO
 *       after a device error.
 *   NIC_SEND_BATCH + DATA_WRITE of frames -> (frames sent)
 *       Several frames in one call, each as NIC_RECV gives them (a 2-byte
 *       big-endian length and its bytes), up to IPC_DATA_MAX bytes in all:
 *       one IPC round trip for a window's worth of segments instead of one
 *       per frame. The whole batch is checked before anything is sent: a
 *       record of a bad length or one running past the end is EINVAL and
 *       nothing is sent. Frames go into the ring in order; at the first one
 *       that fails (EAGAIN, EIO as for NIC_SEND) the rest are not sent and
 *       the answer is that error with the count of frames sent before it.
 *   NIC_RECV (timeout in us, 0: none) + DATA_READ -> (frames)
 *       Waits until frames are queued, then gives as many whole frames as
 *       fit in the read, each as a 2-byte big-endian length and its bytes.
 *       ELIMIT for a read shorter than NIC_RECV_MIN (it could not hold a
 *       frame); ETIMEOUT when the timeout passed with nothing received.
 *       The driver queues up to NIC_RX_QUEUE frames for its receivers;
 *       frames arriving beyond that are dropped and counted (rx_dropped).
 *       Frames go to the receivers in turn, not to each of them: one
 *       client (the network server) receives. Frames of a read that fails
 *       (its receiver hung up while it waited) go back to the queue's head.
 *   NIC_GET_STATS + DATA_READ of nic_stats_t (a shorter read gets its head)
 *   Any other method: ENOTSUP.
 */
#ifndef ABI_NIC_H
#define ABI_NIC_H

#include <abi/ifaces.h>
#include <abi/ipc.h>
#include <stdint.h>

#define NIC_IFACE    0x6e696301 /* "nic" 1 */
#define NIC_CATEGORY "nic"

#define NIC_FRAME_HDR	 14   /* destination, source, type */
#define NIC_FRAME_MIN	 60   /* shorter frames are padded */
#define NIC_FRAME_MAX	 1514 /* header and a 1500-byte payload */
#define NIC_RECV_MIN	 (2 + NIC_FRAME_MAX)
#define NIC_RX_QUEUE	 256
#define NIC_SEND_WAIT_US 100000

#define NIC_LINK_DOWN 0
#define NIC_LINK_UP   1

#define NIC_METHODS(M) \
	M(NIC_GET_INFO, "nic.get_info") \
	M(NIC_SEND, "nic.send") \
	M(NIC_RECV, "nic.recv") \
	M(NIC_GET_STATS, "nic.get_stats") \
	M(NIC_SEND_BATCH, "nic.send_batch")

IFACE_METHOD_ENUM(NIC, NIC_METHODS, IPC_FIRST_USER_METHOD);

/** A NIC's counters since its driver started. */
typedef struct {
	uint64_t rx_frames, rx_bytes; /* given to receivers or queued */
	uint64_t tx_frames, tx_bytes; /* put in the transmit ring */
	uint64_t rx_dropped;	      /* the receive queue was full */
	uint64_t rx_errors;	      /* frames the device marked bad, or too long */
	uint64_t tx_errors; /* sends refused: ring full too long, device error */
	uint64_t interrupts;
	uint64_t link_changes;
} nic_stats_t;

#endif
