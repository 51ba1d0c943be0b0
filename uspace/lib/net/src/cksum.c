/*
 * The Internet checksum (cksum.h).
 */
#include <net/cksum.h>

uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = sum;
	size_t i;
	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t) ((p[i] << 8) | p[i + 1]);
	if (i < len)
		acc += (uint32_t) (p[i] << 8);
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
