/*
 * The server side of the NIC protocol (nic_srv.h). Every call is decoded
 * and checked here before the driver's send runs, so a bad frame size is
 * refused the same way by every driver, and the receive queue with its
 * limit is the same for all of them.
 */
#include <nic_srv.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void nic_srv_init(nic_srv_t *nic, const nic_ops_t *ops, void *dev, const uint8_t mac[6])
{
	memset(nic, 0, offsetof(nic_srv_t, rx_ring)); /* the ring's pages untouched */
	nic->ops = ops;
	nic->dev = dev;
	memcpy(nic->mac, mac, sizeof(nic->mac));
	fibril_mutex_initialize(&nic->lock);
	fibril_condvar_initialize(&nic->rx_cv);
}

/** Where a record of @a size bytes goes in the ring, or NULL when it has
 *  no room; the caller holds the lock. */
static uint8_t *rx_reserve(nic_srv_t *nic, size_t size)
{
	if (nic->rx_wrapped) {
		if (nic->rx_tail + size > nic->rx_head)
			return NULL;
	} else if (nic->rx_tail + size > NIC_RX_RING) {
		if (size > nic->rx_head)
			return NULL; /* neither at the end nor at the start */
		nic->rx_end = nic->rx_tail;
		nic->rx_tail = 0;
		nic->rx_wrapped = true;
	}
	uint8_t *at = nic->rx_ring + nic->rx_tail;
	nic->rx_tail += size;
	return at;
}

/** Queues @a len bytes of @a frame as a record; false when it has no room.
 *  The caller holds the lock. */
static bool rx_queue(nic_srv_t *nic, const void *frame, size_t len)
{
	if (nic->rx_count >= NIC_RX_QUEUE)
		return false;
	uint8_t *rec = rx_reserve(nic, 2 + len);
	if (rec == NULL)
		return false;
	rec[0] = (uint8_t) (len >> 8);
	rec[1] = (uint8_t) len;
	memcpy(rec + 2, frame, len);
	nic->rx_count++;
	return true;
}

void nic_srv_received(nic_srv_t *nic, const void *frame, size_t len)
{
	fibril_mutex_lock(&nic->lock);
	if (len < NIC_FRAME_HDR || len > NIC_FRAME_MAX) {
		nic->stats.rx_errors++;
	} else if (!rx_queue(nic, frame, len)) {
		nic->stats.rx_dropped++;
	} else {
		nic->stats.rx_frames++;
		nic->stats.rx_bytes += len;
		fibril_condvar_broadcast(&nic->rx_cv);
	}
	fibril_mutex_unlock(&nic->lock);
}

void nic_srv_rx_error(nic_srv_t *nic)
{
	fibril_mutex_lock(&nic->lock);
	nic->stats.rx_errors++;
	fibril_mutex_unlock(&nic->lock);
}

void nic_srv_tx_error(nic_srv_t *nic)
{
	fibril_mutex_lock(&nic->lock);
	nic->stats.tx_errors++;
	fibril_mutex_unlock(&nic->lock);
}

void nic_srv_interrupt(nic_srv_t *nic)
{
	fibril_mutex_lock(&nic->lock);
	nic->stats.interrupts++;
	fibril_mutex_unlock(&nic->lock);
}

void nic_srv_link_set(nic_srv_t *nic, bool up)
{
	fibril_mutex_lock(&nic->lock);
	if (nic->link_up != up)
		nic->stats.link_changes++;
	nic->link_up = up;
	fibril_mutex_unlock(&nic->lock);
}

errno_t nic_srv_tx_wait(
    const nic_tx_ring_t *ring, void *dev, fibril_mutex_t *lock, fibril_condvar_t *cv)
{
	ring->reclaim(dev);
	errno_t rc = ring->room(dev);
	if (rc == EAGAIN)
		ring->kick(dev); /* what the device completes frees a slot */
	while (rc == EAGAIN) {
		errno_t waited = fibril_condvar_wait_timeout(cv, lock, NIC_SEND_WAIT_US);
		ring->reclaim(dev);
		rc = ring->room(dev);
		if (waited != EOK)
			break;
	}
	return rc;
}

static sysarg_t mac_to_num(const uint8_t mac[6])
{
	sysarg_t num = 0;
	for (int i = 0; i < 6; i++)
		num = (num << 8) | mac[i];
	return num;
}

/** Puts one checked frame of @a size bytes (NIC_FRAME_HDR..NIC_FRAME_MAX)
 *  into the ring through the driver, padded to NIC_FRAME_MIN; counted. */
static errno_t send_frame(nic_srv_t *nic, uint8_t *frame, size_t size)
{
	if (size < NIC_FRAME_MIN) {
		memset(frame + size, 0, NIC_FRAME_MIN - size);
		size = NIC_FRAME_MIN;
	}
	errno_t rc = nic->ops->send(nic->dev, frame, size);
	fibril_mutex_lock(&nic->lock);
	if (rc == EOK) {
		nic->stats.tx_frames++;
		nic->stats.tx_bytes += size;
	} else {
		nic->stats.tx_errors++;
	}
	fibril_mutex_unlock(&nic->lock);
	return rc;
}

/** NIC_SEND + DATA_WRITE of one frame. */
static void serve_send(ipc_call_t *call, nic_srv_t *nic)
{
	ipc_call_t wcall;
	size_t size;
	if (!async_data_write_receive_for(call, &wcall, &size))
		return;
	uint8_t frame[NIC_FRAME_MAX];
	errno_t rc = EINVAL;
	if (size >= NIC_FRAME_HDR && size <= NIC_FRAME_MAX)
		rc = async_data_write_finalize(&wcall, frame, size);
	else
		DISCARD(answer, async_answer_0(&wcall, rc));
	if (rc == EOK)
		rc = send_frame(nic, frame, size);
	nic->ops->kick(nic->dev);
	DISCARD(answer, async_answer_0(call, rc));
}

/** The number of frames in a batch of @a used bytes, 0 when any record
 *  has a bad length or runs past the end (nic_recv_next's format). */
static size_t batch_count(const uint8_t *buf, size_t used)
{
	size_t pos = 0, frames = 0;
	while (pos < used) {
		if (used - pos < 2)
			return 0;
		size_t len = ((size_t) buf[pos] << 8) | buf[pos + 1];
		if (len < NIC_FRAME_HDR || len > NIC_FRAME_MAX || len > used - pos - 2)
			return 0;
		pos += 2 + len;
		frames++;
	}
	return frames;
}

/** NIC_SEND_BATCH + DATA_WRITE of length-prefixed frames: all checked,
 *  then sent in order until one fails. */
static void serve_send_batch(ipc_call_t *call, nic_srv_t *nic)
{
	ipc_call_t wcall;
	size_t size;
	if (!async_data_write_receive_for(call, &wcall, &size))
		return;
	uint8_t *buf = size > 0 && size <= IPC_DATA_MAX ? malloc(size) : NULL;
	errno_t rc = size == 0 || size > IPC_DATA_MAX ? EINVAL
	    : buf == NULL			      ? ENOMEM
						      : EOK;
	if (rc == EOK)
		rc = async_data_write_finalize(&wcall, buf, size);
	else
		DISCARD(answer, async_answer_0(&wcall, rc));
	size_t frames = rc == EOK ? batch_count(buf, size) : 0;
	if (rc == EOK && frames == 0)
		rc = EINVAL;
	size_t sent = 0, pos = 0;
	uint8_t frame[NIC_FRAME_MIN];
	while (rc == EOK && sent < frames) {
		size_t len = ((size_t) buf[pos] << 8) | buf[pos + 1];
		uint8_t *f = buf + pos + 2;
		if (len < NIC_FRAME_MIN) /* padded in a copy: the next record follows */
			f = memcpy(frame, f, len);
		pos += 2 + len;
		rc = send_frame(nic, f, len);
		if (rc == EOK)
			sent++;
	}
	if (sent > 0)
		nic->ops->kick(nic->dev);
	free(buf);
	DISCARD(answer, async_answer_1(call, rc, sent));
}

/** The whole records at the ring's front in one piece that fit in @a size
 *  bytes: their start, *@a used bytes, *@a frames of them. The caller
 *  holds the lock; nothing is taken yet. */
static const uint8_t *rx_front(
    const nic_srv_t *nic, size_t size, size_t *used, size_t *frames)
{
	size_t end = nic->rx_wrapped ? nic->rx_end : nic->rx_tail;
	size_t pos = nic->rx_head;
	*frames = 0;
	while (pos + 2 <= end) {
		size_t rec = 2 +
		    (((size_t) nic->rx_ring[pos] << 8) | nic->rx_ring[pos + 1]);
		if (pos + rec - nic->rx_head > size)
			break;
		pos += rec;
		(*frames)++;
	}
	*used = pos - nic->rx_head;
	return nic->rx_ring + nic->rx_head;
}

/** Takes the @a used bytes (@a frames records) rx_front gave. */
static void rx_consume(nic_srv_t *nic, size_t used, size_t frames)
{
	nic->rx_head += used;
	nic->rx_count -= frames;
	if (nic->rx_count == 0) {
		nic->rx_head = nic->rx_tail = 0;
		nic->rx_wrapped = false;
	} else if (nic->rx_wrapped && nic->rx_head == nic->rx_end) {
		nic->rx_head = 0;
		nic->rx_wrapped = false;
	}
}

/** NIC_RECV (timeout) + DATA_READ: waits for frames, gives what fits. The
 *  read is answered from the ring under the lock (an answer never waits),
 *  and the frames are taken only once the receiver has them: those of a
 *  read that failed (the receiver hung up) stay at the queue's head. */
static void serve_recv(ipc_call_t *call, nic_srv_t *nic)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive_for(call, &rcall, &size))
		return;
	if (size > IPC_DATA_MAX)
		size = IPC_DATA_MAX;
	errno_t rc = size < NIC_RECV_MIN ? ELIMIT : EOK;
	size_t used = 0, frames = 0;
	fibril_mutex_lock(&nic->lock);
	while (rc == EOK && nic->rx_count == 0)
		rc = fibril_condvar_wait_timeout(
		    &nic->rx_cv, &nic->lock, ipc_get_arg1(call));
	if (rc == EOK) {
		const uint8_t *front = rx_front(nic, size, &used, &frames);
		rc = async_data_read_finalize(&rcall, front, used);
		if (rc == EOK)
			rx_consume(nic, used, frames);
		else
			fibril_condvar_broadcast(&nic->rx_cv); /* for another receiver */
	} else {
		DISCARD(answer, async_answer_0(&rcall, rc));
	}
	fibril_mutex_unlock(&nic->lock);
	DISCARD(answer, async_answer_1(call, rc, rc == EOK ? frames : 0));
}

static void serve_stats(ipc_call_t *call, nic_srv_t *nic)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive_for(call, &rcall, &size))
		return;
	fibril_mutex_lock(&nic->lock);
	nic_stats_t st = nic->stats;
	fibril_mutex_unlock(&nic->lock);
	errno_t rc = async_data_read_finalize(
	    &rcall, &st, size < sizeof(st) ? size : sizeof(st));
	DISCARD(answer, async_answer_0(call, rc));
}

static void serve_call(ipc_call_t *call, nic_srv_t *nic)
{
	switch (call->imethod) {
	case NIC_GET_INFO:
		fibril_mutex_lock(&nic->lock);
		bool up = nic->link_up;
		fibril_mutex_unlock(&nic->lock);
		DISCARD(answer,
		    async_answer_3(call, EOK, mac_to_num(nic->mac),
			up ? NIC_LINK_UP : NIC_LINK_DOWN, nic->speed_mbps));
		break;
	case NIC_SEND:
		serve_send(call, nic);
		break;
	case NIC_RECV:
		serve_recv(call, nic);
		break;
	case NIC_GET_STATS:
		serve_stats(call, nic);
		break;
	case NIC_SEND_BATCH:
		serve_send_batch(call, nic);
		break;
	default:
		DISCARD(answer, async_answer_0(call, ENOTSUP));
		break;
	}
}

void nic_srv_conn(ipc_call_t *icall, nic_srv_t *nic)
{
	if (async_accept_0(icall) != EOK)
		return;
	for (;;) {
		ipc_call_t call;
		if (!async_get_call(&call) || call.imethod == 0)
			break;
		serve_call(&call, nic);
	}
}
