/*
 * The IP layer, its routing table and the loopback interface: packets out
 * (ip_output puts them on the loopback queue or hands them to eth0,
 * fragmented to its MTU), packets in (checks, reassembly, ICMP, and the
 * hand-over to UDP, TCP and the DHCP client). Everything here runs under
 * stack_lock.
 *
 * The loopback queue decouples output from input: a TCP segment sent while
 * TCP handles another is taken in later by the loopback fibril, never by
 * recursion.
 *
 * The routing table: 127.0.0.0/8 on the loopback interface always; once
 * eth0 has an address, its network on eth0 directly and the default route
 * through its gateway (both made again whenever the address changes);
 * routes a user added (NET_ROUTE_ADD, `ifconfig route add`), which stay
 * until deleted. The longest matching prefix wins.
 */
#include "netsrv.h"
#include <fibril.h>
#include <net/dhcp.h>
#include <net/icmp.h>
#include <net/ipv4.h>
#include <net/udp.h>
#include <stdlib.h>
#include <string.h>

#define LOOPBACK_QUEUE_MAX 4096
#define IP_TTL		   64
#define ROUTE_MAX	   8
#define ETH_FRAG_DATA	   ((ETH_MTU - IPV4_HDR_LEN) & ~7u) /* a fragment's payload */

typedef struct {
	bool used, on_eth;
	bool user; /* added by NET_ROUTE_ADD: kept when eth0's address changes */
	uint32_t net, mask, gateway; /* gateway 0: the network is attached */
} route_t;

static route_t routes[ROUTE_MAX] = {
    {.used = true, .net = IPV4_ADDR(127, 0, 0, 0), .mask = 0xff000000u},
};

typedef struct {
	link_t link;
	size_t len;
	uint8_t data[];
} lo_packet_t;

static list_t lo_queue = LIST_INITIALIZER(lo_queue);
static size_t lo_count;
static FIBRIL_CONDVAR_INITIALIZE(lo_cv);
static uint16_t ip_next_id;
static ipv4_reasm_t reasm;

bool ip_is_local(uint32_t addr)
{
	return (addr >> 24) == 127 || (eth0.addr != 0 && addr == eth0.addr);
}

/** Is @a dst a broadcast address of eth0's (limited or directed)? */
static bool ip_is_broadcast(uint32_t dst)
{
	return dst == IPV4_BROADCAST ||
	    (eth0.addr != 0 && eth0.mask != 0xffffffffu &&
		dst == ((eth0.addr & eth0.mask) | ~eth0.mask));
}

/** A free slot of the table; NULL when it is full. */
static route_t *route_free_slot(void)
{
	for (size_t i = 0; i < ROUTE_MAX; i++) {
		if (!routes[i].used)
			return &routes[i];
	}
	return NULL;
}

/** The route for exactly @a net/@a mask; NULL when none. */
static route_t *route_find(uint32_t net, uint32_t mask)
{
	for (size_t i = 0; i < ROUTE_MAX; i++) {
		if (routes[i].used && routes[i].net == net && routes[i].mask == mask)
			return &routes[i];
	}
	return NULL;
}

/** Puts eth0's route to @a net/@a mask through @a gateway in the table
 *  unless a route to the same destination is there (a user's wins). */
static void route_put_eth(uint32_t net, uint32_t mask, uint32_t gateway)
{
	route_t *r = route_find(net, mask);
	if (r == NULL)
		r = route_free_slot();
	if (r != NULL && !r->user)
		*r = (route_t){.used = true,
		    .on_eth = true,
		    .net = net,
		    .mask = mask,
		    .gateway = gateway};
}

void ip_routes_set(uint32_t addr, uint32_t mask, uint32_t gateway)
{
	for (size_t i = 0; i < ROUTE_MAX; i++) {
		if (routes[i].on_eth && !routes[i].user)
			routes[i] = (route_t){0};
	}
	if (addr == 0)
		return;
	route_put_eth(addr & mask, mask, 0);
	if (gateway != 0)
		route_put_eth(0, 0, gateway);
}

bool ip_mask_valid(uint32_t mask)
{
	return (~mask & (~mask + 1)) == 0; /* ones, then zeros */
}

errno_t ip_route_add(uint32_t net, uint32_t mask, uint32_t gateway)
{
	if (!ip_mask_valid(mask) || (net & ~mask) != 0 || (net >> 24) == 127 ||
	    (gateway != 0 && (ip_is_local(gateway) || gateway == IPV4_BROADCAST)))
		return EINVAL;
	route_t *r = route_find(net, mask);
	if (r != NULL)
		return EEXIST;
	r = route_free_slot();
	if (r == NULL)
		return ELIMIT;
	*r = (route_t){.used = true,
	    .on_eth = true,
	    .user = true,
	    .net = net,
	    .mask = mask,
	    .gateway = gateway};
	return EOK;
}

errno_t ip_route_del(uint32_t net, uint32_t mask)
{
	route_t *r = route_find(net, mask);
	if (r == NULL)
		return ENOENT;
	if (!r->on_eth)
		return EPERM; /* the loopback network stays */
	*r = (route_t){0};
	return EOK;
}

/** The route to @a dst with the longest prefix; NULL when none. */
static const route_t *route_lookup(uint32_t dst)
{
	const route_t *best = NULL;
	for (size_t i = 0; i < ROUTE_MAX; i++) {
		const route_t *r = &routes[i];
		if (r->used && (dst & r->mask) == r->net &&
		    (best == NULL || r->mask > best->mask))
			best = r;
	}
	return best;
}

size_t ip_routes_list(net_route_info_t *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < ROUTE_MAX && n < max; i++) {
		if (routes[i].used)
			out[n++] = (net_route_info_t){.net = routes[i].net,
			    .mask = routes[i].mask,
			    .gateway = routes[i].gateway,
			    .iface = routes[i].on_eth ? 1 : 0};
	}
	return n;
}

errno_t ip_route(uint32_t dst, uint32_t *src)
{
	if (ip_is_local(dst)) {
		*src = dst;
		return EOK;
	}
	const route_t *r = route_lookup(dst);
	if (r == NULL || !r->on_eth || eth0.nic == NULL || eth0.addr == 0)
		return EADDRNOTAVAIL;
	*src = eth0.addr;
	return EOK;
}

static errno_t loopback_output(const ipv4_hdr_t *h, const void *payload, size_t len)
{
	if (lo_count >= LOOPBACK_QUEUE_MAX)
		return ENOMEM; /* counted by the caller as lost; TCP sends again */
	lo_packet_t *p = malloc(sizeof(*p) + IPV4_HDR_LEN + len);
	if (p == NULL)
		return ENOMEM;
	ipv4_build(p->data, h, len);
	memcpy(p->data + IPV4_HDR_LEN, payload, len);
	p->len = IPV4_HDR_LEN + len;
	list_append(&p->link, &lo_queue);
	lo_count++;
	fibril_condvar_signal(&lo_cv);
	return EOK;
}

/** Sends @a h's datagram to @a next_hop on eth0, in fragments of at most
 *  the MTU; the first error ends it (the peer's reassembly times out). */
static errno_t eth_output(
    ipv4_hdr_t *h, const uint8_t *payload, size_t len, uint32_t next_hop)
{
	uint8_t pkt[IPV4_HDR_LEN + ETH_FRAG_DATA];
	size_t off = 0;
	do {
		size_t n = len - off;
		if (IPV4_HDR_LEN + n > ETH_MTU)
			n = ETH_FRAG_DATA;
		h->frag_off = (uint16_t) off;
		h->more_frags = off + n < len;
		ipv4_build(pkt, h, n);
		memcpy(pkt + IPV4_HDR_LEN, payload + off, n);
		errno_t rc = link_output(next_hop, pkt, IPV4_HDR_LEN + n);
		if (rc != EOK)
			return rc;
		off += n;
	} while (off < len);
	return EOK;
}

errno_t ip_output(
    uint32_t src, uint32_t dst, uint8_t proto, const void *payload, size_t len)
{
	if (len > IPV4_MAX_LEN - IPV4_HDR_LEN)
		return ELIMIT;
	ipv4_hdr_t h = {
	    .ttl = IP_TTL, .proto = proto, .id = ip_next_id++, .src = src, .dst = dst};
	errno_t rc;
	if (ip_is_local(dst)) {
		rc = loopback_output(&h, payload, len);
	} else if (dst == IPV4_BROADCAST) {
		rc = eth_output(&h, payload, len, IPV4_BROADCAST);
	} else {
		const route_t *r = route_lookup(dst);
		if (r == NULL || !r->on_eth)
			return EADDRNOTAVAIL;
		rc = eth_output(&h, payload, len, r->gateway != 0 ? r->gateway : dst);
	}
	if (rc == EOK)
		stack_stats.ip_out++;
	return rc;
}

/** Answers an echo request; drops everything else ICMP (counted). */
static void icmp_input(const ipv4_hdr_t *h)
{
	icmp_msg_t m;
	if (net_stats_drop(&stack_drops, icmp_parse(h->payload, h->payload_len, &m)) !=
	    NET_DROP_NONE)
		return;
	if (m.type == ICMP_ECHO_REPLY) {
		icmp_echo_reply(h->src, m.id, m.seq, m.data, m.data_len);
		return;
	}
	if (m.type != ICMP_ECHO_REQUEST) {
		if (m.type != ICMP_DEST_UNREACH && m.type != ICMP_TIME_EXCEEDED)
			net_stats_drop(&stack_drops, NET_DROP_ICMP_TYPE);
		return;
	}
	uint8_t *reply = malloc(h->payload_len);
	if (reply == NULL)
		return;
	size_t len = icmp_build_echo(
	    reply, ICMP_ECHO_REPLY, m.id, m.seq, m.data, m.data_len);
	DISCARD(best_effort, ip_output(h->dst, h->src, IP_PROTO_ICMP, reply, len));
	free(reply);
}

/** Tells the sender of @a h (whose header bytes are @a hdr) an error. */
void ip_icmp_error(uint8_t type, uint8_t code, const uint8_t *hdr, const ipv4_hdr_t *h)
{
	if (!icmp_error_allowed(h))
		return;
	uint8_t msg[ICMP_ERROR_MAX];
	size_t len = icmp_build_error(msg, type, code, hdr, h);
	DISCARD(best_effort, ip_output(h->dst, h->src, IP_PROTO_ICMP, msg, len));
}

static void ip_deliver(const ipv4_hdr_t *h, const uint8_t *hdr)
{
	switch (h->proto) {
	case IP_PROTO_ICMP:
		icmp_input(h);
		break;
	case IP_PROTO_UDP:
		udp_input(h, hdr);
		break;
	case IP_PROTO_TCP:
		tcp_input(h->src, h->dst, h->payload, h->payload_len);
		break;
	default:
		net_stats_drop(&stack_drops, NET_DROP_IP_PROTO);
		ip_icmp_error(ICMP_DEST_UNREACH, ICMP_CODE_PROTO_UNREACH, hdr, h);
		break;
	}
}

/** A datagram for the DHCP client (UDP to its port): it must be taken
 *  before eth0 has the address it is sent to. */
static bool ip_is_dhcp(const ipv4_hdr_t *h)
{
	return h->proto == IP_PROTO_UDP && !ipv4_is_fragment(h) && h->payload_len >= 4 &&
	    ((h->payload[2] << 8) | h->payload[3]) == DHCP_CLIENT_PORT;
}

static void dhcp_deliver(const ipv4_hdr_t *h)
{
	udp_dgram_t d;
	if (net_stats_drop(&stack_drops,
		udp_parse(h->payload, h->payload_len, h->src, h->dst, &d)) ==
	    NET_DROP_NONE)
		dhcp_input(d.payload, d.payload_len);
}

void ip_input(const uint8_t *pkt, size_t len)
{
	stack_stats.ip_in++;
	ipv4_hdr_t h;
	if (net_stats_drop(&stack_drops, ipv4_parse(pkt, len, &h)) != NET_DROP_NONE)
		return;
	if (ip_is_dhcp(&h)) {
		dhcp_deliver(&h);
		return;
	}
	if (!ip_is_local(h.dst) && !ip_is_broadcast(h.dst)) {
		net_stats_drop(&stack_drops, NET_DROP_IP_ADDR);
		return;
	}
	if (!ipv4_is_fragment(&h)) {
		ip_deliver(&h, pkt);
		return;
	}
	uint8_t *data;
	ipv4_hdr_t whole;
	if (ipv4_reasm_add(&reasm, &h, stack_now_ms(), &stack_drops, &data, &whole) !=
	    IPV4_REASM_COMPLETE)
		return;
	/* The first fragment's header stands for the datagram in errors. */
	uint8_t hdr[IPV4_HDR_LEN];
	ipv4_build(hdr, &whole,
	    whole.payload_len > 0xffff - IPV4_HDR_LEN ? 0 : whole.payload_len);
	whole.hdr_len = IPV4_HDR_LEN;
	ip_deliver(&whole, hdr);
	free(data);
}

void ip_timer(uint64_t now_ms)
{
	link_timer(now_ms);
	ipv4_reasm_expire(&reasm, now_ms, &stack_drops);
}

/** The loopback interface: takes queued packets in, one at a time. */
static errno_t loopback_fibril(void *arg)
{
	fibril_mutex_lock(&stack_lock);
	for (;;) {
		while (list_empty(&lo_queue))
			fibril_condvar_wait(&lo_cv, &stack_lock);
		lo_packet_t *p = list_get_instance(
		    list_first(&lo_queue), lo_packet_t, link);
		list_remove(&p->link);
		lo_count--;
		ip_input(p->data, p->len);
		free(p);
		stack_changed();
	}
	return EOK;
}

errno_t loopback_start(void)
{
	ipv4_reasm_init(&reasm);
	fid_t f = fibril_create(loopback_fibril, NULL);
	if (f == 0)
		return ENOMEM;
	fibril_add_ready(f);
	return EOK;
}
