/*
 * Ethernet framing and ARP with its cache (eth.h).
 */
#include <net/bytes.h>
#include <net/eth.h>
#include <string.h>

const eth_addr_t eth_broadcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

net_drop_t eth_parse(const uint8_t *buf, size_t len, eth_frame_t *frame)
{
	if (len < ETH_HDR_LEN)
		return NET_DROP_ETH_SHORT;
	memcpy(frame->dst.b, buf, ETH_ADDR_LEN);
	memcpy(frame->src.b, buf + ETH_ADDR_LEN, ETH_ADDR_LEN);
	frame->type = net_get16(buf + 12);
	frame->payload = buf + ETH_HDR_LEN;
	frame->payload_len = len - ETH_HDR_LEN;
	return NET_DROP_NONE;
}

bool eth_is_for(const eth_addr_t *dst, const eth_addr_t *own)
{
	return memcmp(dst->b, own->b, ETH_ADDR_LEN) == 0 ||
	    memcmp(dst->b, eth_broadcast.b, ETH_ADDR_LEN) == 0;
}

size_t eth_build(uint8_t *buf, size_t cap, const eth_addr_t *dst, const eth_addr_t *src,
    uint16_t type, const void *payload, size_t len)
{
	size_t total = ETH_HDR_LEN + len;
	if (total < ETH_MIN_FRAME)
		total = ETH_MIN_FRAME;
	if (len > ETH_MTU || total > cap)
		return 0;
	memcpy(buf, dst->b, ETH_ADDR_LEN);
	memcpy(buf + ETH_ADDR_LEN, src->b, ETH_ADDR_LEN);
	net_put16(buf + 12, type);
	if (len > 0)
		memcpy(buf + ETH_HDR_LEN, payload, len);
	memset(buf + ETH_HDR_LEN + len, 0, total - ETH_HDR_LEN - len);
	return total;
}

net_drop_t arp_parse(const uint8_t *buf, size_t len, arp_packet_t *pkt)
{
	if (len < ARP_LEN || net_get16(buf) != 1 || net_get16(buf + 2) != ETH_TYPE_IPV4 ||
	    buf[4] != ETH_ADDR_LEN || buf[5] != 4)
		return NET_DROP_ARP_BAD;
	pkt->op = net_get16(buf + 6);
	if (pkt->op != ARP_OP_REQUEST && pkt->op != ARP_OP_REPLY)
		return NET_DROP_ARP_BAD;
	memcpy(pkt->sha.b, buf + 8, ETH_ADDR_LEN);
	pkt->spa = net_get32(buf + 14);
	memcpy(pkt->tha.b, buf + 18, ETH_ADDR_LEN);
	pkt->tpa = net_get32(buf + 24);
	return NET_DROP_NONE;
}

void arp_build(uint8_t *buf, const arp_packet_t *pkt)
{
	net_put16(buf, 1);
	net_put16(buf + 2, ETH_TYPE_IPV4);
	buf[4] = ETH_ADDR_LEN;
	buf[5] = 4;
	net_put16(buf + 6, pkt->op);
	memcpy(buf + 8, pkt->sha.b, ETH_ADDR_LEN);
	net_put32(buf + 14, pkt->spa);
	memcpy(buf + 18, pkt->tha.b, ETH_ADDR_LEN);
	net_put32(buf + 24, pkt->tpa);
}

void arp_cache_init(arp_cache_t *cache, const eth_addr_t *own_mac, uint32_t own_ip)
{
	memset(cache, 0, sizeof(*cache));
	cache->own_mac = *own_mac;
	cache->own_ip = own_ip;
}

static arp_entry_t *arp_find(arp_cache_t *cache, uint32_t ip)
{
	for (size_t i = 0; i < ARP_CACHE_SIZE; i++) {
		arp_entry_t *e = &cache->entries[i];
		if (e->state != ARP_FREE && e->ip == ip)
			return e;
	}
	return NULL;
}

/** A free entry, else the one that expires first (never fails). */
static arp_entry_t *arp_slot(arp_cache_t *cache)
{
	arp_entry_t *victim = &cache->entries[0];
	for (size_t i = 0; i < ARP_CACHE_SIZE; i++) {
		arp_entry_t *e = &cache->entries[i];
		if (e->state == ARP_FREE)
			return e;
		if (e->deadline_ms < victim->deadline_ms)
			victim = e;
	}
	return victim;
}

errno_t arp_cache_resolve(
    arp_cache_t *cache, uint32_t ip, uint64_t now_ms, eth_addr_t *mac, bool *request)
{
	*request = false;
	arp_entry_t *e = arp_find(cache, ip);
	if (e != NULL && e->state == ARP_RESOLVED) {
		*mac = e->mac;
		return EOK;
	}
	if (e != NULL)
		return e->tries > ARP_TRIES ? ENOENT : EAGAIN;
	e = arp_slot(cache);
	e->state = ARP_PENDING;
	e->ip = ip;
	e->tries = 1;
	e->deadline_ms = now_ms + ARP_RETRY_MS;
	*request = true;
	return EAGAIN;
}

static void arp_learn(arp_entry_t *e, uint32_t ip, const eth_addr_t *mac, uint64_t now_ms)
{
	e->state = ARP_RESOLVED;
	e->ip = ip;
	e->mac = *mac;
	e->tries = 0;
	e->deadline_ms = now_ms + ARP_ENTRY_TTL_MS;
}

bool arp_cache_input(
    arp_cache_t *cache, const arp_packet_t *pkt, uint64_t now_ms, arp_packet_t *reply)
{
	if (pkt->spa == 0 || cache->own_ip == 0)
		return false; /* a probe, or we have no address yet */
	bool for_us = pkt->tpa == cache->own_ip;
	arp_entry_t *e = arp_find(cache, pkt->spa);
	if (e != NULL)
		arp_learn(e, pkt->spa, &pkt->sha, now_ms);
	else if (for_us)
		arp_learn(arp_slot(cache), pkt->spa, &pkt->sha, now_ms);
	if (!for_us || pkt->op != ARP_OP_REQUEST)
		return false;
	reply->op = ARP_OP_REPLY;
	reply->sha = cache->own_mac;
	reply->spa = cache->own_ip;
	reply->tha = pkt->sha;
	reply->tpa = pkt->spa;
	return true;
}

void arp_request(const arp_cache_t *cache, uint32_t ip, arp_packet_t *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->op = ARP_OP_REQUEST;
	pkt->sha = cache->own_mac;
	pkt->spa = cache->own_ip;
	pkt->tpa = ip;
}

size_t arp_cache_tick(arp_cache_t *cache, uint64_t now_ms, uint32_t *retry, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < ARP_CACHE_SIZE; i++) {
		arp_entry_t *e = &cache->entries[i];
		if (e->state == ARP_FREE || now_ms < e->deadline_ms)
			continue;
		if (e->state == ARP_RESOLVED || e->tries > ARP_TRIES) {
			e->state = ARP_FREE;
			continue;
		}
		e->tries++;
		e->deadline_ms = now_ms + ARP_RETRY_MS;
		if (e->tries <= ARP_TRIES && n < max)
			retry[n++] = e->ip;
	}
	return n;
}

size_t arp_cache_count(const arp_cache_t *cache)
{
	size_t n = 0;
	for (size_t i = 0; i < ARP_CACHE_SIZE; i++)
		n += cache->entries[i].state != ARP_FREE;
	return n;
}
