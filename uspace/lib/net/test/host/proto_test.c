/*
 * Ethernet, ARP, IPv4 (parsing, reassembly), ICMP and UDP (uspace/lib/net):
 * well-formed input is taken apart right, every malformed case is refused
 * with its own drop reason.
 */
#if __STDC_HOSTED__ /* not built into the library: see host.mk */
#include "host_test.h"
#include <net/bytes.h>
#include <net/cksum.h>
#include <net/eth.h>
#include <net/icmp.h>
#include <net/ipv4.h>
#include <net/udp.h>
#include <stdlib.h>
#include <string.h>

#define A_IP IPV4_ADDR(10, 0, 2, 15)
#define B_IP IPV4_ADDR(10, 0, 2, 2)

static const eth_addr_t mac_a = {{0x52, 0x54, 0, 0x12, 0x34, 0x56}};
static const eth_addr_t mac_b = {{0x52, 0x55, 10, 0, 2, 2}};

/** An IPv4 packet of @a len payload bytes (a counting pattern) into @a buf. */
static size_t make_ip(uint8_t *buf, uint8_t proto, uint16_t id, uint16_t off, bool mf,
    size_t len, uint8_t fill)
{
	ipv4_hdr_t h = {.ttl = 64,
	    .proto = proto,
	    .id = id,
	    .frag_off = off,
	    .more_frags = mf,
	    .src = B_IP,
	    .dst = A_IP};
	ipv4_build(buf, &h, len);
	for (size_t i = 0; i < len; i++)
		buf[IPV4_HDR_LEN + i] = (uint8_t) (fill + (off + i));
	return IPV4_HDR_LEN + len;
}

HOST_TEST(checksum_matches_rfc1071_example)
{
	const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	CHECK_EQ(net_cksum_fold(net_cksum_add(0, d, sizeof(d))), (uint16_t) ~0xddf2);
	/* An odd length pads with a zero byte; sums may be split at even offsets. */
	const uint8_t o[] = {0x12, 0x34, 0x56};
	CHECK_EQ(net_cksum_fold(net_cksum_add(0, o, 3)), (uint16_t) ~(0x1234 + 0x5600));
	CHECK_EQ(net_cksum_fold(net_cksum_add(net_cksum_add(0, d, 4), d + 4, 4)),
	    net_cksum_fold(net_cksum_add(0, d, 8)));
}

/** The checksum word by word, as RFC 1071 defines it. */
static uint16_t cksum_by_words(const uint8_t *p, size_t len)
{
	uint64_t acc = 0;
	for (size_t i = 0; i < len; i += 2)
		acc += (uint32_t) ((p[i] << 8) | (i + 1 < len ? p[i + 1] : 0));
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t) ~acc;
}

HOST_TEST(checksum_of_any_length_and_alignment_matches_the_word_sum)
{
	static uint8_t buf[1600 + 8];
	srand(25);
	for (unsigned round = 0; round < 2000; round++) {
		size_t len = (size_t) rand() % 1601, off = (size_t) rand() % 8;
		uint8_t fill = round % 3 == 0 ? 0xff : 0;
		for (size_t i = 0; i < len; i++)
			buf[off + i] = round % 3 == 2 ? (uint8_t) rand() : fill;
		CHECK_EQ(net_cksum_fold(net_cksum_add(0, buf + off, len)),
		    cksum_by_words(buf + off, len));
	}
}

HOST_TEST(ethernet_frames_pad_to_60_and_short_ones_are_dropped)
{
	uint8_t buf[ETH_MAX_FRAME];
	size_t len = eth_build(buf, sizeof(buf), &mac_b, &mac_a, ETH_TYPE_ARP, "xy", 2);
	CHECK_EQ(len, ETH_MIN_FRAME);
	eth_frame_t f;
	CHECK_EQ(eth_parse(buf, len, &f), NET_DROP_NONE);
	CHECK_EQ(f.type, ETH_TYPE_ARP);
	CHECK(memcmp(f.src.b, mac_a.b, 6) == 0 && memcmp(f.dst.b, mac_b.b, 6) == 0);
	CHECK(eth_is_for(&f.dst, &mac_b) && !eth_is_for(&f.dst, &mac_a));
	CHECK(eth_is_for(&eth_broadcast, &mac_a));
	CHECK_EQ(eth_parse(buf, 13, &f), NET_DROP_ETH_SHORT);
	CHECK_EQ(eth_build(buf, sizeof(buf), &mac_b, &mac_a, 0, buf, ETH_MTU + 1), 0);
}

HOST_TEST(arp_answers_requests_for_us_and_learns_the_sender)
{
	arp_cache_t cache;
	arp_cache_init(&cache, &mac_a, A_IP);
	arp_packet_t req = {.op = ARP_OP_REQUEST, .sha = mac_b, .spa = B_IP, .tpa = A_IP};
	uint8_t wire[ARP_LEN];
	arp_build(wire, &req);
	arp_packet_t in, reply;
	CHECK_EQ(arp_parse(wire, sizeof(wire), &in), NET_DROP_NONE);
	CHECK(arp_cache_input(&cache, &in, 0, &reply));
	CHECK_EQ(reply.op, ARP_OP_REPLY);
	CHECK_EQ(reply.spa, A_IP);
	CHECK_EQ(reply.tpa, B_IP);
	CHECK(
	    memcmp(reply.tha.b, mac_b.b, 6) == 0 && memcmp(reply.sha.b, mac_a.b, 6) == 0);
	eth_addr_t mac;
	bool ask;
	CHECK_EQ(arp_cache_resolve(&cache, B_IP, 10, &mac, &ask), EOK);
	CHECK(!ask && memcmp(mac.b, mac_b.b, 6) == 0);
	/* A request for someone else teaches nothing new and is not answered. */
	req.spa = IPV4_ADDR(10, 0, 2, 3);
	req.tpa = IPV4_ADDR(10, 0, 2, 4);
	CHECK(!arp_cache_input(&cache, &req, 0, &reply));
	CHECK_EQ(arp_cache_count(&cache), 1);
	/* Entries expire. */
	uint32_t retry[4];
	CHECK_EQ(arp_cache_tick(&cache, ARP_ENTRY_TTL_MS + 10, retry, 4), 0);
	CHECK_EQ(arp_cache_count(&cache), 0);
}

HOST_TEST(arp_resolution_retries_then_fails)
{
	arp_cache_t cache;
	arp_cache_init(&cache, &mac_a, A_IP);
	eth_addr_t mac;
	bool ask;
	CHECK_EQ(arp_cache_resolve(&cache, B_IP, 0, &mac, &ask), EAGAIN);
	CHECK(ask);
	CHECK_EQ(arp_cache_resolve(&cache, B_IP, 1, &mac, &ask), EAGAIN);
	CHECK(!ask); /* one request in flight */
	uint32_t retry[4];
	uint64_t t = 0;
	size_t asked = 0;
	for (int i = 0; i < ARP_TRIES; i++) {
		t += ARP_RETRY_MS;
		asked += arp_cache_tick(&cache, t, retry, 4);
	}
	CHECK_EQ(asked, ARP_TRIES - 1);
	CHECK_EQ(arp_cache_resolve(&cache, B_IP, t, &mac, &ask), ENOENT);
	/* The reply that comes after all is still taken. */
	arp_packet_t rep = {
	    .op = ARP_OP_REPLY, .sha = mac_b, .spa = B_IP, .tha = mac_a, .tpa = A_IP};
	arp_packet_t out;
	CHECK(!arp_cache_input(&cache, &rep, t, &out));
	CHECK_EQ(arp_cache_resolve(&cache, B_IP, t, &mac, &ask), EOK);
}

HOST_TEST(malformed_arp_is_dropped)
{
	arp_packet_t p = {.op = ARP_OP_REQUEST, .sha = mac_b, .spa = B_IP, .tpa = A_IP};
	uint8_t wire[ARP_LEN];
	arp_build(wire, &p);
	arp_packet_t in;
	CHECK_EQ(arp_parse(wire, ARP_LEN - 1, &in), NET_DROP_ARP_BAD);
	wire[5] = 16; /* IPv6-sized protocol addresses */
	CHECK_EQ(arp_parse(wire, ARP_LEN, &in), NET_DROP_ARP_BAD);
	arp_build(wire, &p);
	net_put16(wire + 6, 9);
	CHECK_EQ(arp_parse(wire, ARP_LEN, &in), NET_DROP_ARP_BAD);
}

HOST_TEST(ipv4_header_is_parsed_and_link_padding_cut)
{
	uint8_t buf[80];
	size_t len = make_ip(buf, IP_PROTO_UDP, 7, 0, false, 10, 0);
	ipv4_hdr_t h;
	CHECK_EQ(ipv4_parse(buf, len + 16, &h), NET_DROP_NONE);
	CHECK_EQ(h.payload_len, 10);
	CHECK_EQ(h.proto, IP_PROTO_UDP);
	CHECK_EQ(h.src, B_IP);
	CHECK_EQ(h.dst, A_IP);
	CHECK_EQ(h.id, 7);
	CHECK(!ipv4_is_fragment(&h));
}

HOST_TEST(malformed_ipv4_headers_are_each_dropped_with_their_reason)
{
	uint8_t buf[80];
	ipv4_hdr_t h;
	size_t len = make_ip(buf, IP_PROTO_UDP, 1, 0, false, 20, 0);
	CHECK_EQ(ipv4_parse(buf, 19, &h), NET_DROP_IP_SHORT);
	buf[0] = 0x65;
	CHECK_EQ(ipv4_parse(buf, len, &h), NET_DROP_IP_VERSION);
	buf[0] = 0x44;
	CHECK_EQ(ipv4_parse(buf, len, &h), NET_DROP_IP_HLEN);
	buf[0] = 0x4f; /* 60 bytes of header in a 40-byte packet */
	CHECK_EQ(ipv4_parse(buf, len, &h), NET_DROP_IP_HLEN);
	make_ip(buf, IP_PROTO_UDP, 1, 0, false, 20, 0);
	CHECK_EQ(ipv4_parse(buf, len - 1, &h), NET_DROP_IP_LEN);
	buf[8] ^= 1; /* the TTL changes, the checksum does not */
	CHECK_EQ(ipv4_parse(buf, len, &h), NET_DROP_IP_CKSUM);
	ipv4_hdr_t bad = {.ttl = 1, .proto = 17, .src = IPV4_BROADCAST, .dst = A_IP};
	ipv4_build(buf, &bad, 20);
	CHECK_EQ(ipv4_parse(buf, len, &h), NET_DROP_IP_ADDR);
	/* A fragment reaching past 64 KiB. */
	make_ip(buf, IP_PROTO_UDP, 1, 65528, false, 20, 0);
	CHECK_EQ(ipv4_parse(buf, len, &h), NET_DROP_FRAG_BAD);
}

HOST_TEST(addresses_are_parsed_and_formatted)
{
	uint32_t a;
	CHECK(ipv4_parse_addr("10.0.2.15", &a));
	CHECK_EQ(a, A_IP);
	char text[16];
	ipv4_format(IPV4_ADDR(255, 255, 255, 0), text);
	CHECK(strcmp(text, "255.255.255.0") == 0);
	CHECK(!ipv4_parse_addr("10.0.2", &a));
	CHECK(!ipv4_parse_addr("10.0.2.256", &a));
	CHECK(!ipv4_parse_addr("10.0.2.1x", &a));
	CHECK(!ipv4_parse_addr("1.2.3.0004", &a));
}

/** A reassembler with its counters and the last datagram it completed. */
typedef struct {
	ipv4_reasm_t r;
	net_stats_t st;
	uint8_t *out;
	ipv4_hdr_t whole;
} reasm_fix_t;

static reasm_fix_t *reasm_fix(void)
{
	reasm_fix_t *f = calloc(1, sizeof(*f));
	if (f == NULL)
		abort();
	ipv4_reasm_init(&f->r);
	return f;
}

static void reasm_fix_free(reasm_fix_t *f)
{
	ipv4_reasm_fini(&f->r);
	free(f);
}

/** Feeds fragment (@a off, @a len, @a mf) of datagram @a id to @a f. */
static ipv4_reasm_result_t feed(reasm_fix_t *f, uint16_t id, uint16_t off, size_t len,
    bool mf, uint8_t fill, uint64_t now)
{
	uint8_t buf[IPV4_HDR_LEN + 2048];
	size_t plen = make_ip(buf, IP_PROTO_UDP, id, off, mf, len, fill);
	ipv4_hdr_t h;
	if (ipv4_parse(buf, plen, &h) != NET_DROP_NONE)
		return IPV4_REASM_DROPPED;
	return ipv4_reasm_add(&f->r, &h, now, &f->st, &f->out, &f->whole);
}

static bool pattern_ok(const uint8_t *d, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (d[i] != (uint8_t) i)
			return false;
	}
	return true;
}

HOST_TEST(fragments_in_any_order_are_reassembled)
{
	reasm_fix_t *f = reasm_fix();
	/* 3000 bytes as 1480 + 1480 + 40, last first, with one duplicate. */
	CHECK_EQ(feed(f, 9, 2960, 40, false, 0, 0), IPV4_REASM_PENDING);
	CHECK_EQ(feed(f, 9, 0, 1480, true, 0, 1), IPV4_REASM_PENDING);
	CHECK_EQ(feed(f, 9, 0, 1480, true, 0, 1), IPV4_REASM_PENDING);
	CHECK_EQ(feed(f, 9, 1480, 1480, true, 0, 2), IPV4_REASM_COMPLETE);
	CHECK_EQ(f->whole.payload_len, 3000);
	CHECK_EQ(f->whole.proto, IP_PROTO_UDP);
	CHECK(!ipv4_is_fragment(&f->whole));
	CHECK(pattern_ok(f->out, 3000));
	free(f->out);
	CHECK_EQ(ipv4_reasm_pending(&f->r), 0);
	CHECK_EQ(net_stats_total(&f->st), 0);
	reasm_fix_free(f);
}

HOST_TEST(overlapping_fragments_discard_the_datagram)
{
	reasm_fix_t *f = reasm_fix();
	CHECK_EQ(feed(f, 5, 0, 1480, true, 0, 0), IPV4_REASM_PENDING);
	/* Rewrites bytes 1000..1479 with other data: the classic overlap attack. */
	CHECK_EQ(feed(f, 5, 1000, 520, false, 0x55, 0), IPV4_REASM_DROPPED);
	CHECK_EQ(f->st.drops[NET_DROP_FRAG_OVERLAP], 1);
	CHECK_EQ(ipv4_reasm_pending(&f->r), 0);
	/* A same-offset fragment with other bytes is an overlap too. */
	CHECK_EQ(feed(f, 6, 0, 8, true, 0, 0), IPV4_REASM_PENDING);
	CHECK_EQ(feed(f, 6, 0, 8, true, 1, 0), IPV4_REASM_DROPPED);
	CHECK_EQ(f->st.drops[NET_DROP_FRAG_OVERLAP], 2);
	/* Inconsistent ends: a second last fragment, a middle one not a multiple of 8. */
	CHECK_EQ(feed(f, 7, 16, 8, false, 0, 0), IPV4_REASM_PENDING);
	CHECK_EQ(feed(f, 7, 32, 8, false, 0, 0), IPV4_REASM_DROPPED);
	CHECK_EQ(feed(f, 8, 0, 12, true, 0, 0), IPV4_REASM_DROPPED);
	CHECK_EQ(f->st.drops[NET_DROP_FRAG_BAD], 2);
	CHECK_EQ(ipv4_reasm_pending(&f->r), 0);
	reasm_fix_free(f);
}

HOST_TEST(incomplete_datagrams_time_out_and_slots_are_bounded)
{
	reasm_fix_t *f = reasm_fix();
	for (uint16_t id = 0; id < IPV4_REASM_SLOTS; id++)
		CHECK_EQ(feed(f, id, 0, 8, true, 0, 0), IPV4_REASM_PENDING);
	CHECK_EQ(feed(f, 999, 0, 8, true, 0, 0), IPV4_REASM_DROPPED);
	CHECK_EQ(f->st.drops[NET_DROP_FRAG_NO_SLOT], 1);
	ipv4_reasm_expire(&f->r, IPV4_REASM_TIMEOUT_MS - 1, &f->st);
	CHECK_EQ(ipv4_reasm_pending(&f->r), IPV4_REASM_SLOTS);
	ipv4_reasm_expire(&f->r, IPV4_REASM_TIMEOUT_MS, &f->st);
	CHECK_EQ(ipv4_reasm_pending(&f->r), 0);
	CHECK_EQ(f->st.drops[NET_DROP_FRAG_TIMEOUT], IPV4_REASM_SLOTS);
	reasm_fix_free(f);
}

HOST_TEST(echo_messages_round_trip_and_bad_checksums_are_dropped)
{
	uint8_t buf[64];
	size_t len = icmp_build_echo(buf, ICMP_ECHO_REQUEST, 0x1234, 7, "ping", 4);
	icmp_msg_t m;
	CHECK_EQ(icmp_parse(buf, len, &m), NET_DROP_NONE);
	CHECK_EQ(m.type, ICMP_ECHO_REQUEST);
	CHECK_EQ(m.id, 0x1234);
	CHECK_EQ(m.seq, 7);
	CHECK(m.data_len == 4 && memcmp(m.data, "ping", 4) == 0);
	/* The reply built over the request's own bytes. */
	uint8_t copy[64];
	memcpy(copy, buf, len);
	len = icmp_build_echo(copy, ICMP_ECHO_REPLY, m.id, m.seq, copy + 8, m.data_len);
	CHECK_EQ(icmp_parse(copy, len, &m), NET_DROP_NONE);
	CHECK_EQ(m.type, ICMP_ECHO_REPLY);
	copy[9] ^= 0xff;
	CHECK_EQ(icmp_parse(copy, len, &m), NET_DROP_ICMP_CKSUM);
	CHECK_EQ(icmp_parse(copy, 7, &m), NET_DROP_ICMP_SHORT);
}

HOST_TEST(errors_quote_the_header_and_are_never_sent_about_errors)
{
	uint8_t pkt[80];
	size_t len = make_ip(pkt, IP_PROTO_UDP, 3, 0, false, 30, 0);
	ipv4_hdr_t h;
	CHECK_EQ(ipv4_parse(pkt, len, &h), NET_DROP_NONE);
	CHECK(icmp_error_allowed(&h));
	uint8_t err[ICMP_ERROR_MAX];
	size_t elen = icmp_build_error(
	    err, ICMP_DEST_UNREACH, ICMP_CODE_PORT_UNREACH, pkt, &h);
	CHECK_EQ(elen, ICMP_HDR_LEN + IPV4_HDR_LEN + ICMP_ERROR_QUOTE);
	icmp_msg_t m;
	CHECK_EQ(icmp_parse(err, elen, &m), NET_DROP_NONE);
	CHECK(memcmp(m.data, pkt, IPV4_HDR_LEN + 8) == 0);
	/* About that error, or a later fragment, or a broadcast: no error. */
	uint8_t pkt2[200];
	ipv4_hdr_t eh = {.ttl = 64, .proto = IP_PROTO_ICMP, .src = B_IP, .dst = A_IP};
	ipv4_build(pkt2, &eh, elen);
	memcpy(pkt2 + IPV4_HDR_LEN, err, elen);
	CHECK_EQ(ipv4_parse(pkt2, IPV4_HDR_LEN + elen, &h), NET_DROP_NONE);
	CHECK(!icmp_error_allowed(&h));
	len = make_ip(pkt, IP_PROTO_UDP, 3, 8, false, 30, 0);
	CHECK_EQ(ipv4_parse(pkt, len, &h), NET_DROP_NONE);
	CHECK(!icmp_error_allowed(&h));
	h.frag_off = 0;
	h.dst = IPV4_BROADCAST;
	CHECK(!icmp_error_allowed(&h));
}

HOST_TEST(udp_round_trips_and_malformed_datagrams_are_dropped)
{
	uint8_t buf[2000];
	uint8_t data[1472];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t) (i * 7);
	udp_dgram_t d;
	for (size_t n = 0; n <= sizeof(data); n += 97) {
		size_t len = udp_build(buf, B_IP, A_IP, 5353, 7, data, n);
		CHECK_EQ(udp_parse(buf, len, B_IP, A_IP, &d), NET_DROP_NONE);
		CHECK(d.src_port == 5353 && d.dst_port == 7 && d.payload_len == n);
		CHECK(memcmp(d.payload, data, n) == 0);
	}
	size_t len = udp_build(buf, B_IP, A_IP, 1, 2, data, 100);
	/* Checked against the addresses: the same bytes from another source fail. */
	CHECK_EQ(udp_parse(buf, len, B_IP + 1, A_IP, &d), NET_DROP_UDP_CKSUM);
	CHECK_EQ(udp_parse(buf, 7, B_IP, A_IP, &d), NET_DROP_UDP_SHORT);
	CHECK_EQ(udp_parse(buf, len - 1, B_IP, A_IP, &d), NET_DROP_UDP_LEN);
	net_put16(buf + 4, 7);
	CHECK_EQ(udp_parse(buf, len, B_IP, A_IP, &d), NET_DROP_UDP_LEN);
	/* No checksum at all (zero) is allowed. */
	len = udp_build(buf, B_IP, A_IP, 1, 2, data, 100);
	net_put16(buf + 6, 0);
	buf[20] ^= 1;
	CHECK_EQ(udp_parse(buf, len, B_IP + 1, A_IP, &d), NET_DROP_NONE);
}

HOST_TEST(every_drop_reason_has_a_name_and_is_counted)
{
	net_stats_t st = {0};
	for (int r = 1; r < NET_DROP_COUNT; r++) {
		CHECK(strcmp(net_drop_name((net_drop_t) r), "?") != 0);
		CHECK_EQ(net_stats_drop(&st, (net_drop_t) r), r);
	}
	CHECK_EQ(net_stats_total(&st), NET_DROP_COUNT - 1);
	net_stats_drop(&st, NET_DROP_NONE);
	CHECK_EQ(net_stats_total(&st), NET_DROP_COUNT - 1);
	CHECK(strcmp(net_drop_name(NET_DROP_COUNT), "?") == 0);
}
#endif
