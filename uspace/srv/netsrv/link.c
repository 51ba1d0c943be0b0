/*
 * eth0: the Ethernet interface over a NIC driver (abi/nic.h). Frames in:
 * the receive fibril waits in nic_recv without stack_lock, then takes the
 * lock and hands each frame to link_input (ARP here, IPv4 to ip_input).
 * Frames out: link_output resolves the next hop with the ARP cache and
 * queues the frame for the transmit fibril, which sends it without the
 * lock, so no IPC to the driver ever runs under stack_lock. A packet whose
 * next hop is not resolved yet waits (at most ARP_WAIT_MAX of them) until
 * the answer comes or resolution fails.
 *
 * The NIC is the first service of category "nic". When its driver dies
 * (calls fail with EHANGUP) eth0 drops the NIC and its ARP cache and the
 * receive fibril looks for a NIC again every second; devman restarts the
 * driver, so eth0 comes back with the same address.
 */
#include "netsrv.h"
#include <fibril.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TX_QUEUE_MAX 512
#define ARP_WAIT_MAX 64
#define ARP_WAIT_MS  (ARP_RETRY_MS * (ARP_TRIES + 1))
#define RX_BUF_SIZE  65536
#define NIC_RETRY_US 1000000
#define RECV_WAIT_US 1000000 /* a receive ends after 1 s without frames */

typedef struct {
	link_t link;
	uint32_t next_hop;   /* arp_wait: whom it waits for */
	uint64_t expires_ms; /* arp_wait: dropped after this */
	size_t len;
	uint8_t data[];
} link_frame_t;

eth_iface_t eth0 = {
    .tx_queue = LIST_INITIALIZER(eth0.tx_queue),
    .arp_wait = LIST_INITIALIZER(eth0.arp_wait),
};
static FIBRIL_CONDVAR_INITIALIZE(tx_cv);
/* The NIC the transmit fibril is sending on (without the lock), or NULL:
 * link_lost does not close it before the send returns. */
static nic_t *tx_nic;

static link_frame_t *frame_new(size_t len)
{
	link_frame_t *f = malloc(sizeof(*f) + len);
	if (f != NULL)
		f->len = len;
	return f;
}

/** Queues a frame to @a dst of @a type carrying @a len bytes. */
static errno_t frame_queue(
    const eth_addr_t *dst, uint16_t type, const void *data, size_t len)
{
	if (eth0.nic == NULL)
		return EADDRNOTAVAIL;
	if (eth0.tx_count >= TX_QUEUE_MAX) {
		net_stats_drop(&stack_drops, NET_DROP_LINK_QUEUE);
		return ENOMEM;
	}
	link_frame_t *f = frame_new(
	    ETH_HDR_LEN + len < ETH_MIN_FRAME ? ETH_MIN_FRAME : ETH_HDR_LEN + len);
	if (f == NULL)
		return ENOMEM;
	f->len = eth_build(f->data, f->len, dst, &eth0.mac, type, data, len);
	if (f->len == 0) {
		free(f);
		return ELIMIT;
	}
	list_append(&f->link, &eth0.tx_queue);
	eth0.tx_count++;
	fibril_condvar_signal(&tx_cv);
	return EOK;
}

static void arp_send(const arp_packet_t *pkt, const eth_addr_t *dst)
{
	uint8_t buf[ARP_LEN];
	arp_build(buf, pkt);
	DISCARD(best_effort, frame_queue(dst, ETH_TYPE_ARP, buf, ARP_LEN));
}

static void arp_ask(uint32_t ip)
{
	arp_packet_t req;
	arp_request(&eth0.arp, ip, &req);
	arp_send(&req, &eth_broadcast);
}

/** Parks @a pkt until @a next_hop resolves. */
static errno_t arp_park(uint32_t next_hop, const uint8_t *pkt, size_t len)
{
	if (eth0.arp_wait_count >= ARP_WAIT_MAX) {
		net_stats_drop(&stack_drops, NET_DROP_LINK_QUEUE);
		return ENOMEM;
	}
	link_frame_t *f = frame_new(len);
	if (f == NULL)
		return ENOMEM;
	memcpy(f->data, pkt, len);
	f->next_hop = next_hop;
	f->expires_ms = stack_now_ms() + ARP_WAIT_MS;
	list_append(&f->link, &eth0.arp_wait);
	eth0.arp_wait_count++;
	return EOK;
}

errno_t link_output(uint32_t next_hop, const uint8_t *pkt, size_t len)
{
	if (eth0.nic == NULL)
		return EADDRNOTAVAIL;
	if (next_hop == IPV4_BROADCAST)
		return frame_queue(&eth_broadcast, ETH_TYPE_IPV4, pkt, len);
	eth_addr_t mac;
	bool request;
	errno_t rc = arp_cache_resolve(
	    &eth0.arp, next_hop, stack_now_ms(), &mac, &request);
	if (rc == EOK)
		return frame_queue(&mac, ETH_TYPE_IPV4, pkt, len);
	if (rc != EAGAIN)
		return EADDRNOTAVAIL; /* resolution failed lately: unreachable */
	if (request)
		arp_ask(next_hop);
	return arp_park(next_hop, pkt, len);
}

/** Sends the parked packets whose next hop resolved; drops those whose
 *  resolution failed or that waited too long. */
static void arp_wait_flush(uint64_t now_ms)
{
	link_t *next;
	for (link_t *cur = list_first(&eth0.arp_wait); cur != NULL; cur = next) {
		next = list_next(cur, &eth0.arp_wait);
		link_frame_t *f = list_get_instance(cur, link_frame_t, link);
		eth_addr_t mac;
		bool request;
		errno_t rc = arp_cache_resolve(
		    &eth0.arp, f->next_hop, now_ms, &mac, &request);
		if (rc == EAGAIN && now_ms < f->expires_ms)
			continue;
		if (rc == EOK)
			DISCARD(best_effort,
			    frame_queue(&mac, ETH_TYPE_IPV4, f->data, f->len));
		list_remove(&f->link);
		eth0.arp_wait_count--;
		free(f);
	}
}

static void arp_input(const eth_frame_t *fr)
{
	arp_packet_t pkt, reply;
	if (net_stats_drop(&stack_drops, arp_parse(fr->payload, fr->payload_len, &pkt)) !=
	    NET_DROP_NONE)
		return;
	if (arp_cache_input(&eth0.arp, &pkt, stack_now_ms(), &reply))
		arp_send(&reply, &reply.tha);
	arp_wait_flush(stack_now_ms());
}

void link_input(const uint8_t *frame, size_t len)
{
	eth_frame_t fr;
	eth0.rx_frames++;
	if (net_stats_drop(&stack_drops, eth_parse(frame, len, &fr)) != NET_DROP_NONE)
		return;
	if (!eth_is_for(&fr.dst, &eth0.mac)) {
		net_stats_drop(&stack_drops, NET_DROP_ETH_NOT_US);
		return;
	}
	if (fr.type == ETH_TYPE_ARP)
		arp_input(&fr);
	else if (fr.type == ETH_TYPE_IPV4)
		ip_input(fr.payload, fr.payload_len);
	else
		net_stats_drop(&stack_drops, NET_DROP_ETH_TYPE);
}

void link_configure(uint32_t addr, uint32_t mask, uint32_t gateway)
{
	eth0.addr = addr;
	eth0.mask = mask;
	eth0.gateway = gateway;
	arp_cache_init(&eth0.arp, &eth0.mac, addr);
	ip_routes_set(addr, mask, gateway);
}

void link_timer(uint64_t now_ms)
{
	if (eth0.nic == NULL)
		return;
	uint32_t retry[ARP_CACHE_SIZE];
	size_t n = arp_cache_tick(&eth0.arp, now_ms, retry, ARP_CACHE_SIZE);
	for (size_t i = 0; i < n; i++)
		arp_ask(retry[i]);
	arp_wait_flush(now_ms);
}

/** Frees every frame of @a list. */
static void frames_free(list_t *list)
{
	while (!list_empty(list)) {
		link_frame_t *f = list_get_instance(list_first(list), link_frame_t, link);
		list_remove(&f->link);
		free(f);
	}
}

/** The NIC's driver has gone: eth0 forgets it and what waited for it,
 *  and closes it once the transmit fibril no longer uses it. */
static void link_lost(nic_t *nic)
{
	fibril_mutex_lock(&stack_lock);
	if (eth0.nic == nic) {
		eth0.nic = NULL;
		frames_free(&eth0.tx_queue);
		frames_free(&eth0.arp_wait);
		eth0.tx_count = eth0.arp_wait_count = 0;
		arp_cache_init(&eth0.arp, &eth0.mac, eth0.addr);
		printf("netsrv: eth0: the NIC has gone\n");
	}
	while (tx_nic == nic)
		fibril_condvar_wait(&stack_cv, &stack_lock);
	fibril_mutex_unlock(&stack_lock);
	nic_close(nic);
}

/** Opens a NIC and makes it eth0's; ENOENT while there is none. */
static errno_t link_take_nic(void)
{
	nic_t *nic;
	errno_t rc = nic_open_first(&nic, NULL);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&stack_lock);
	eth0.nic = nic;
	memcpy(eth0.mac.b, nic->mac, ETH_ADDR_LEN);
	arp_cache_init(&eth0.arp, &eth0.mac, eth0.addr);
	eth0.generation++;
	stack_changed();
	fibril_mutex_unlock(&stack_lock);
	const uint8_t *m = nic->mac;
	printf("netsrv: eth0: NIC %02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
	return EOK;
}

/** Takes in the frames of one nic_recv buffer. */
static void rx_batch(const uint8_t *buf, size_t used)
{
	size_t pos = 0, len;
	const uint8_t *frame;
	fibril_mutex_lock(&stack_lock);
	while ((frame = nic_recv_next(buf, used, &pos, &len)) != NULL)
		link_input(frame, len);
	stack_changed();
	fibril_mutex_unlock(&stack_lock);
}

/** Receives frames for as long as eth0 has a NIC; looks for one when not. */
static errno_t rx_fibril(void *arg)
{
	uint8_t *buf = malloc(RX_BUF_SIZE);
	if (buf == NULL)
		return ENOMEM;
	for (;;) {
		errno_t found = link_take_nic();
		if (!eth0.probed) {
			fibril_mutex_lock(&stack_lock);
			eth0.probed = true;
			stack_changed();
			fibril_mutex_unlock(&stack_lock);
		}
		if (found != EOK) {
			fibril_usleep(NIC_RETRY_US);
			continue;
		}
		nic_t *nic = eth0.nic;
		errno_t rc;
		do {
			size_t used = 0, frames = 0;
			rc = nic_recv(
			    nic, buf, RX_BUF_SIZE, RECV_WAIT_US, &used, &frames);
			if (rc == EOK)
				rx_batch(buf, used);
		} while (rc == EOK || rc == ETIMEOUT);
		link_lost(nic);
	}
	return EOK;
}

/** Moves queued frames into the batch @a buf (IPC_DATA_MAX bytes) while
 *  they fit; the caller holds stack_lock. The bytes used, *@a frames. */
static size_t tx_batch_fill(uint8_t *buf, size_t *frames)
{
	size_t used = 0;
	*frames = 0;
	while (!list_empty(&eth0.tx_queue)) {
		link_frame_t *f = list_get_instance(
		    list_first(&eth0.tx_queue), link_frame_t, link);
		if (!nic_batch_put(buf, IPC_DATA_MAX, &used, f->data, f->len) &&
		    *frames > 0)
			break; /* the next batch takes it */
		list_remove(&f->link);
		eth0.tx_count--;
		free(f);
		(*frames)++;
	}
	return used;
}

/** Sends the queued frames in batches (one IPC for up to IPC_DATA_MAX
 *  bytes of frames: a window of segments, or the ACKs of a received
 *  batch), without stack_lock around the IPC. */
static errno_t tx_fibril(void *arg)
{
	uint8_t *buf = malloc(IPC_DATA_MAX);
	if (buf == NULL)
		return ENOMEM;
	fibril_mutex_lock(&stack_lock);
	for (;;) {
		while (list_empty(&eth0.tx_queue))
			fibril_condvar_wait(&tx_cv, &stack_lock);
		size_t frames, sent = 0;
		size_t used = tx_batch_fill(buf, &frames);
		tx_nic = eth0.nic;
		fibril_mutex_unlock(&stack_lock);
		errno_t rc = tx_nic != NULL ? nic_send_batch(tx_nic, buf, used, &sent)
					    : EADDRNOTAVAIL;
		fibril_mutex_lock(&stack_lock);
		tx_nic = NULL;
		stack_changed();
		/* EOK: all went; otherwise those before the failing one. */
		if (rc == EOK || sent > frames)
			sent = frames;
		eth0.tx_frames += sent;
		eth0.tx_errors += frames - sent;
	}
	return EOK;
}

errno_t link_start(void)
{
	fid_t rx = fibril_create(rx_fibril, NULL);
	fid_t tx = fibril_create(tx_fibril, NULL);
	if (rx == 0 || tx == 0)
		return ENOMEM;
	fibril_add_ready(rx);
	fibril_add_ready(tx);
	return EOK;
}
