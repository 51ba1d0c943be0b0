/*
 * Ethernet II framing and ARP for IPv4 over Ethernet (RFC 826), with an ARP
 * cache whose entries expire. No I/O: the caller hands in frames and the
 * time, and sends what these functions build. The cache is not locked: its
 * owner (the link layer of one interface) serialises calls.
 */
#ifndef NET_ETH_H
#define NET_ETH_H

#include <abi/errno.h>
#include <net/stats.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETH_ADDR_LEN  6
#define ETH_HDR_LEN   14
#define ETH_MIN_FRAME 60 /* without the FCS, which the NIC adds and strips */
#define ETH_MTU	      1500
#define ETH_MAX_FRAME (ETH_HDR_LEN + ETH_MTU)

#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP  0x0806

typedef struct {
	uint8_t b[ETH_ADDR_LEN];
} eth_addr_t;

extern const eth_addr_t eth_broadcast;

typedef struct {
	eth_addr_t dst, src;
	uint16_t type;
	const uint8_t *payload; /* inside the parsed frame */
	size_t payload_len;
} eth_frame_t;

/** Splits @a len bytes at @a buf; NET_DROP_ETH_SHORT below a header. */
net_drop_t eth_parse(const uint8_t *buf, size_t len, eth_frame_t *frame);
/** True when a frame to @a dst is for an interface with address @a own. */
bool eth_is_for(const eth_addr_t *dst, const eth_addr_t *own);
/** Writes a frame into @a buf (@a cap bytes), padded to ETH_MIN_FRAME;
 *  the frame's length, or 0 when it does not fit. */
size_t eth_build(uint8_t *buf, size_t cap, const eth_addr_t *dst, const eth_addr_t *src,
    uint16_t type, const void *payload, size_t len);

/* ARP */
#define ARP_LEN	       28
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY   2

typedef struct {
	uint16_t op;
	eth_addr_t sha, tha; /* sender's and target's hardware address */
	uint32_t spa, tpa;   /* sender's and target's IPv4 address, host order */
} arp_packet_t;

/** Parses an Ethernet/IPv4 ARP packet; NET_DROP_ARP_BAD for anything else. */
net_drop_t arp_parse(const uint8_t *buf, size_t len, arp_packet_t *pkt);
/** Writes @a pkt as ARP_LEN bytes into @a buf. */
void arp_build(uint8_t *buf, const arp_packet_t *pkt);

#define ARP_CACHE_SIZE	 64
#define ARP_ENTRY_TTL_MS 300000 /* a resolved entry is forgotten after 5 min */
#define ARP_RETRY_MS	 1000	/* a pending request is repeated after 1 s */
#define ARP_TRIES	 3	/* then the entry fails (EHOSTUNREACH-like) */

typedef enum { ARP_FREE, ARP_PENDING, ARP_RESOLVED } arp_state_t;

typedef struct {
	arp_state_t state;
	uint32_t ip;
	eth_addr_t mac;
	uint64_t deadline_ms; /* RESOLVED: expiry; PENDING: next retry */
	unsigned tries;
} arp_entry_t;

typedef struct {
	arp_entry_t entries[ARP_CACHE_SIZE];
	uint32_t own_ip; /* 0: unconfigured, answers no request */
	eth_addr_t own_mac;
} arp_cache_t;

void arp_cache_init(arp_cache_t *cache, const eth_addr_t *own_mac, uint32_t own_ip);
/** The hardware address of @a ip: EOK, or EAGAIN when a request is to be
 *  sent (*@a request true: the caller sends one built by arp_request), or
 *  ENOENT when resolution failed ARP_TRIES times. */
errno_t arp_cache_resolve(
    arp_cache_t *cache, uint32_t ip, uint64_t now_ms, eth_addr_t *mac, bool *request);
/** Takes in an ARP packet; when it asks for our address, fills *@a reply
 *  and returns true. Updates (or, when we are its target, adds) the
 *  sender's entry. */
bool arp_cache_input(
    arp_cache_t *cache, const arp_packet_t *pkt, uint64_t now_ms, arp_packet_t *reply);
/** A request for @a ip from this interface. */
void arp_request(const arp_cache_t *cache, uint32_t ip, arp_packet_t *pkt);
/** Expires old entries; returns the addresses to ask again in @a retry
 *  (at most @a max), their count the result. */
size_t arp_cache_tick(arp_cache_t *cache, uint64_t now_ms, uint32_t *retry, size_t max);
/** Entries in use (resolved or pending). */
size_t arp_cache_count(const arp_cache_t *cache);

#endif
