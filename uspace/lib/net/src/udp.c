/*
 * UDP datagrams (udp.h).
 */
#include <net/bytes.h>
#include <net/cksum.h>
#include <net/ipv4.h>
#include <net/udp.h>
#include <string.h>

net_drop_t udp_parse(
    const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, udp_dgram_t *dgram)
{
	if (len < UDP_HDR_LEN)
		return NET_DROP_UDP_SHORT;
	size_t ulen = net_get16(buf + 4);
	if (ulen < UDP_HDR_LEN || ulen > len)
		return NET_DROP_UDP_LEN;
	/* A zero checksum means the sender computed none. */
	if (net_get16(buf + 6) != 0) {
		uint32_t sum = net_cksum_pseudo(src, dst, IP_PROTO_UDP, (uint16_t) ulen);
		if (net_cksum_fold(net_cksum_add(sum, buf, ulen)) != 0)
			return NET_DROP_UDP_CKSUM;
	}
	dgram->src_port = net_get16(buf);
	dgram->dst_port = net_get16(buf + 2);
	dgram->payload = buf + UDP_HDR_LEN;
	dgram->payload_len = ulen - UDP_HDR_LEN;
	return NET_DROP_NONE;
}

size_t udp_build(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t src_port,
    uint16_t dst_port, const void *payload, size_t len)
{
	uint16_t ulen = (uint16_t) (UDP_HDR_LEN + len);
	net_put16(buf, src_port);
	net_put16(buf + 2, dst_port);
	net_put16(buf + 4, ulen);
	net_put16(buf + 6, 0);
	if (len > 0)
		memmove(buf + UDP_HDR_LEN, payload, len);
	uint16_t sum = net_cksum_fold(
	    net_cksum_add(net_cksum_pseudo(src, dst, IP_PROTO_UDP, ulen), buf, ulen));
	net_put16(buf + 6, sum == 0 ? 0xffff : sum);
	return ulen;
}
