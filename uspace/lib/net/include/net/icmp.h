/*
 * ICMP for IPv4 (RFC 792, RFC 1122 3.2.2): parsing, echo replies and error
 * messages, with the rules for when an error may be sent at all.
 */
#ifndef NET_ICMP_H
#define NET_ICMP_H

#include <net/ipv4.h>
#include <net/stats.h>
#include <stddef.h>
#include <stdint.h>

#define ICMP_HDR_LEN	   8
#define ICMP_ECHO_REPLY	   0
#define ICMP_DEST_UNREACH  3
#define ICMP_ECHO_REQUEST  8
#define ICMP_TIME_EXCEEDED 11

#define ICMP_CODE_PROTO_UNREACH 2
#define ICMP_CODE_PORT_UNREACH	3
#define ICMP_CODE_REASM_TIMEOUT 1

/* An error quotes the offending header and this many bytes after it. */
#define ICMP_ERROR_QUOTE 8
#define ICMP_ERROR_MAX	 (ICMP_HDR_LEN + 60 + ICMP_ERROR_QUOTE)

typedef struct {
	uint8_t type, code;
	uint16_t id, seq;    /* echo request and reply */
	const uint8_t *data; /* after the 8-byte header */
	size_t data_len;
} icmp_msg_t;

/** Checks the length and checksum of @a len bytes and splits them. */
net_drop_t icmp_parse(const uint8_t *buf, size_t len, icmp_msg_t *msg);
/** Builds an echo message (request or reply) into @a buf (8 + @a len bytes). */
size_t icmp_build_echo(
    uint8_t *buf, uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t len);
/** May an ICMP error be sent about @a orig? Never about an ICMP error, a
 *  fragment other than the first, or a broadcast/multicast/invalid address. */
bool icmp_error_allowed(const ipv4_hdr_t *orig);
/** Builds an error quoting @a orig (its header bytes at @a orig_hdr) into
 *  @a buf (ICMP_ERROR_MAX bytes); the message's length. */
size_t icmp_build_error(uint8_t *buf, uint8_t type, uint8_t code, const uint8_t *orig_hdr,
    const ipv4_hdr_t *orig);

#endif
