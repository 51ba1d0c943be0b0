/*
 * Network interfaces from the client's side (abi/nic.h): what the network
 * server uses to move Ethernet frames through a NIC driver. A nic_t owns
 * two sessions (locsrv's are serialised): nic_recv() waits on its own, so
 * a fibril waiting for frames holds up no nic_send().
 */
#ifndef LIBC_NIC_H
#define LIBC_NIC_H

#include <abi/nic.h>
#include <async.h>
#include <discard.h>
#include <loc.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	async_sess_t *sess;    /* sends, information, statistics */
	async_sess_t *rx_sess; /* nic_recv() only */
	uint8_t mac[6];
} nic_t;

typedef struct {
	uint8_t mac[6];
	bool link_up;
	unsigned speed_mbps;
} nic_info_t;

/** Opens the NIC registered as service @a id; its MAC address in nic->mac. */
_NODISCARD errno_t nic_open(loc_id_t id, nic_t **out);
/** Opens the first NIC of category NIC_CATEGORY; ENOENT when there is none. */
_NODISCARD errno_t nic_open_first(nic_t **out, loc_id_t *id);
void nic_close(nic_t *nic);

_NODISCARD errno_t nic_get_info(nic_t *nic, nic_info_t *info);
/** Sends one frame of @a len bytes (NIC_FRAME_HDR..NIC_FRAME_MAX). */
_NODISCARD errno_t nic_send(nic_t *nic, const void *frame, size_t len);
/** Appends a record of the @a len-byte @a frame to the batch @a buf of
 *  @a size bytes (*@a used so far, advanced); false when it does not fit. */
bool nic_batch_put(void *buf, size_t size, size_t *used, const void *frame, size_t len);
/** Sends the frames of a batch nic_batch_put() filled (@a used bytes, at
 *  most IPC_DATA_MAX) in one call; *@a sent gets how many went into the
 *  ring (all of them when EOK; those before the failing one otherwise). */
_NODISCARD errno_t nic_send_batch(nic_t *nic, const void *buf, size_t used, size_t *sent);
/** Waits up to @a timeout_us (0: for ever) for frames and puts as many as
 *  fit into @a buf (@a size >= NIC_RECV_MIN), each a 2-byte big-endian
 *  length and its bytes; *@a used gets the bytes, *@a frames their count. */
_NODISCARD errno_t nic_recv(nic_t *nic, void *buf, size_t size, uint64_t timeout_us,
    size_t *used, size_t *frames);
/** Walks a buffer nic_recv() filled: the frame at *@a pos (its length in
 *  *@a len), advancing *@a pos; NULL at the end or at a malformed record. */
const uint8_t *nic_recv_next(const void *buf, size_t used, size_t *pos, size_t *len);
_NODISCARD errno_t nic_get_stats(nic_t *nic, nic_stats_t *stats);

#endif
