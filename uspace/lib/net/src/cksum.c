/*
 * The Internet checksum (cksum.h).
 */
#include <net/cksum.h>
#include <string.h>

/* Eight bytes at a time: read big-endian, a 64-bit word is four 16-bit
 * words times powers of 2^16, and 2^16 is 1 modulo 0xffff, so adding whole
 * 64-bit words (with the carry out added back in) keeps the ones'
 * complement sum. A byte loop cost about as much as the rest of a
 * segment's handling. */
uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = sum;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, sizeof(w));
		w = __builtin_bswap64(w);
		acc += w;
		if (acc < w)
			acc++; /* the carry out of bit 63 */
	}
	uint64_t rest = 0;
	for (; i + 1 < len; i += 2)
		rest += (uint32_t) ((p[i] << 8) | p[i + 1]);
	if (i < len)
		rest += (uint32_t) (p[i] << 8);
	acc += rest;
	if (acc < rest)
		acc++;
	while (acc >> 32)
		acc = (acc & 0xffffffff) + (acc >> 32);
	return (uint32_t) acc;
}

uint16_t net_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t) ~sum;
}

uint32_t net_cksum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	uint64_t acc = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	    proto + len;
	return (uint32_t) acc;
}
