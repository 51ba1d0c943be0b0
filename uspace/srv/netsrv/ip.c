/*
 * The IP layer and the loopback interface: packets out (ip_output puts
 * them on the loopback queue), packets in (checks, reassembly, ICMP, and
 * the hand-over to UDP and TCP). Everything here runs under stack_lock.
 *
 * The loopback queue decouples output from input: a TCP segment sent while
 * TCP handles another is taken in later by the loopback fibril, never by
 * recursion.
 */
#include "netsrv.h"
#include <fibril.h>
#include <net/icmp.h>
#include <net/ipv4.h>
#include <net/udp.h>
#include <stdlib.h>
#include <string.h>

#define LOOPBACK_QUEUE_MAX 4096
#define IP_TTL		   64

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
	return (addr >> 24) == 127;
}

errno_t ip_route(uint32_t dst, uint32_t *src)
{
	if (!ip_is_local(dst))
		return EADDRNOTAVAIL; /* only the loopback interface so far */
	*src = dst == 0 ? IPV4_LOOPBACK : dst;
	return EOK;
}

errno_t ip_output(
    uint32_t src, uint32_t dst, uint8_t proto, const void *payload, size_t len)
{
	if (len > IPV4_MAX_LEN - IPV4_HDR_LEN)
		return ELIMIT;
	if (!ip_is_local(dst))
		return EADDRNOTAVAIL;
	if (lo_count >= LOOPBACK_QUEUE_MAX)
		return ENOMEM; /* counted by the caller as lost; TCP sends again */
	lo_packet_t *p = malloc(sizeof(*p) + IPV4_HDR_LEN + len);
	if (p == NULL)
		return ENOMEM;
	ipv4_hdr_t h = {
	    .ttl = IP_TTL, .proto = proto, .id = ip_next_id++, .src = src, .dst = dst};
	ipv4_build(p->data, &h, len);
	memcpy(p->data + IPV4_HDR_LEN, payload, len);
	p->len = IPV4_HDR_LEN + len;
	list_append(&p->link, &lo_queue);
	lo_count++;
	stack_stats.ip_out++;
	fibril_condvar_signal(&lo_cv);
	return EOK;
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

void ip_input(const uint8_t *pkt, size_t len)
{
	stack_stats.ip_in++;
	ipv4_hdr_t h;
	if (net_stats_drop(&stack_drops, ipv4_parse(pkt, len, &h)) != NET_DROP_NONE)
		return;
	if (!ip_is_local(h.dst)) {
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
