/*
 * IPv4 (RFC 791): header parsing with every check of RFC 1122 3.2.1, header
 * building, and reassembly of fragments. No I/O and no locks: the owner of
 * an ipv4_reasm_t (the IP layer) serialises calls on it.
 *
 * Reassembly keeps at most IPV4_REASM_SLOTS datagrams in progress, each at
 * most 65535 bytes. Fragments that overlap one received before are a known
 * evasion and resource attack (RFC 1858, RFC 3128): an exact duplicate is
 * ignored, any other overlap discards the whole datagram (counted
 * NET_DROP_FRAG_OVERLAP), as Linux does since 2018 and RFC 5722 asks for IPv6.
 */
#ifndef NET_IPV4_H
#define NET_IPV4_H

#include <net/stats.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPV4_HDR_LEN 20
#define IPV4_MAX_LEN 65535

#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP  6
#define IP_PROTO_UDP  17

#define IPV4_ADDR(a, b, c, d) \
	(((uint32_t) (a) << 24) | ((uint32_t) (b) << 16) | ((uint32_t) (c) << 8) | \
	    (uint32_t) (d))
#define IPV4_LOOPBACK  IPV4_ADDR(127, 0, 0, 1)
#define IPV4_BROADCAST 0xffffffffu

typedef struct {
	uint8_t tos, ttl, proto;
	uint16_t id;
	uint16_t frag_off; /* in bytes */
	bool more_frags, dont_frag;
	uint32_t src, dst; /* host order */
	size_t hdr_len;
	const uint8_t *payload; /* inside the parsed packet */
	size_t payload_len;
} ipv4_hdr_t;

/** Checks and splits a packet of @a len bytes (trailing link padding is
 *  cut off by the total length). */
net_drop_t ipv4_parse(const uint8_t *buf, size_t len, ipv4_hdr_t *hdr);
/** Writes a 20-byte header for @a payload_len bytes (checksum included). */
void ipv4_build(uint8_t *buf, const ipv4_hdr_t *hdr, size_t payload_len);
/** True for a fragment (an offset or more to come). */
bool ipv4_is_fragment(const ipv4_hdr_t *hdr);
/** True for 0.0.0.0, broadcast and multicast: never a source. */
bool ipv4_bad_source(uint32_t addr);
/** Dotted text of @a addr into @a buf (16 bytes). */
void ipv4_format(uint32_t addr, char buf[16]);
/** Parses dotted text; false if it is not four numbers 0..255. */
bool ipv4_parse_addr(const char *text, uint32_t *addr);

#define IPV4_REASM_SLOTS      16
#define IPV4_REASM_TIMEOUT_MS 30000
#define IPV4_REASM_FRAGS      64 /* fragments per datagram */

typedef struct {
	uint16_t off, len;
} ipv4_frag_t;

typedef struct {
	bool used;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	uint64_t deadline_ms;
	size_t total; /* 0 until the last fragment came */
	size_t frag_count;
	ipv4_frag_t frags[IPV4_REASM_FRAGS]; /* sorted by offset, disjoint */
	uint8_t *data;			     /* IPV4_MAX_LEN bytes, malloc'd */
	ipv4_hdr_t first;		     /* header of the offset-0 fragment */
	bool have_first;
} ipv4_reasm_slot_t;

typedef struct {
	ipv4_reasm_slot_t slots[IPV4_REASM_SLOTS];
} ipv4_reasm_t;

typedef enum {
	IPV4_REASM_PENDING,  /* kept; more fragments needed */
	IPV4_REASM_COMPLETE, /* *out is the datagram's payload, the caller frees it */
	IPV4_REASM_DROPPED,  /* the fragment (and maybe its datagram) is gone, counted */
} ipv4_reasm_result_t;

void ipv4_reasm_init(ipv4_reasm_t *r);
/** Frees every datagram in progress. */
void ipv4_reasm_fini(ipv4_reasm_t *r);
/** Takes in fragment @a hdr. On IPV4_REASM_COMPLETE, *@a whole is the first
 *  fragment's header with payload = *@a out (malloc'd) and payload_len its
 *  length, offsets cleared. */
ipv4_reasm_result_t ipv4_reasm_add(ipv4_reasm_t *r, const ipv4_hdr_t *hdr,
    uint64_t now_ms, net_stats_t *stats, uint8_t **out, ipv4_hdr_t *whole);
/** Discards datagrams older than IPV4_REASM_TIMEOUT_MS (counted). */
void ipv4_reasm_expire(ipv4_reasm_t *r, uint64_t now_ms, net_stats_t *stats);
/** Datagrams in progress. */
size_t ipv4_reasm_pending(const ipv4_reasm_t *r);

#endif
