/*
 * UDP (RFC 768): parsing with the length and pseudo-header checksum checks
 * of RFC 1122 4.1.3, and building.
 */
#ifndef NET_UDP_H
#define NET_UDP_H

#include <net/stats.h>
#include <stddef.h>
#include <stdint.h>

#define UDP_HDR_LEN	8
#define UDP_MAX_PAYLOAD (65535 - 20 - UDP_HDR_LEN)

typedef struct {
	uint16_t src_port, dst_port;
	const uint8_t *payload;
	size_t payload_len;
} udp_dgram_t;

/** Checks and splits the @a len bytes of an IP payload from @a src to @a dst. */
net_drop_t udp_parse(
    const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, udp_dgram_t *dgram);
/** Writes header and @a len payload bytes into @a buf; the datagram's length. */
size_t udp_build(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t src_port,
    uint16_t dst_port, const void *payload, size_t len);

#endif
