/*
 * The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of 16-bit big-endian words. Sums are accumulated unfolded
 * in 32 bits (add at most 64 KiB per call before folding) and folded once.
 */
#ifndef NET_CKSUM_H
#define NET_CKSUM_H

#include <stddef.h>
#include <stdint.h>

/** @a sum plus the words of @a len bytes at @a data (an odd tail padded with 0). */
uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len);
/** The checksum of an accumulated @a sum: folded and complemented. */
uint16_t net_cksum_fold(uint32_t sum);
/** The sum of the IPv4 pseudo-header of UDP and TCP (addresses in host order). */
uint32_t net_cksum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

#endif
