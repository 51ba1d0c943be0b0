/*
 * TCP segments on the wire (tcp.h): parsing with every length, option and
 * checksum check, building, and the reset that answers a stray segment.
 */
#include <net/bytes.h>
#include <net/cksum.h>
#include <net/ipv4.h>
#include <net/tcp.h>
#include <string.h>

/** Reads the options of @a len bytes at @a opt; false if one is malformed. */
static bool tcp_options(const uint8_t *opt, size_t len, tcp_seg_t *seg)
{
	size_t i = 0;
	while (i < len) {
		uint8_t kind = opt[i];
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
			return false;
		if (kind == 2) {
			if (opt[i + 1] != 4)
				return false;
			seg->mss = net_get16(opt + i + 2);
		}
		i += opt[i + 1];
	}
	return true;
}

net_drop_t tcp_parse(
    const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, tcp_seg_t *seg)
{
	if (len < TCP_HDR_LEN)
		return NET_DROP_TCP_SHORT;
	size_t hlen = (size_t) (buf[12] >> 4) * 4;
	if (hlen < TCP_HDR_LEN || hlen > len)
		return NET_DROP_TCP_HLEN;
	if (len > 0xffff)
		return NET_DROP_TCP_SHORT;
	uint32_t sum = net_cksum_pseudo(src, dst, IP_PROTO_TCP, (uint16_t) len);
	if (net_cksum_fold(net_cksum_add(sum, buf, len)) != 0)
		return NET_DROP_TCP_CKSUM;
	memset(seg, 0, sizeof(*seg));
	seg->src_port = net_get16(buf);
	seg->dst_port = net_get16(buf + 2);
	seg->seq = net_get32(buf + 4);
	seg->ack = net_get32(buf + 8);
	seg->flags = buf[13] & 0x3f;
	seg->wnd = net_get16(buf + 14);
	if (!tcp_options(buf + TCP_HDR_LEN, hlen - TCP_HDR_LEN, seg))
		return NET_DROP_TCP_HLEN;
	if ((seg->flags & TCP_SYN) == 0)
		seg->mss = 0;
	if (seg->src_port == 0 || seg->dst_port == 0)
		return NET_DROP_TCP_FLAGS;
	if ((seg->flags & TCP_SYN) && (seg->flags & (TCP_FIN | TCP_RST)))
		return NET_DROP_TCP_FLAGS;
	seg->payload = buf + hlen;
	seg->payload_len = len - hlen;
	return NET_DROP_NONE;
}

size_t tcp_hdr_len(const tcp_seg_t *seg)
{
	return TCP_HDR_LEN + (seg->mss != 0 ? 4 : 0);
}

size_t tcp_build(uint8_t *buf, uint32_t src, uint32_t dst, const tcp_seg_t *seg)
{
	size_t hlen = tcp_hdr_len(seg);
	size_t len = hlen + seg->payload_len;
	net_put16(buf, seg->src_port);
	net_put16(buf + 2, seg->dst_port);
	net_put32(buf + 4, seg->seq);
	net_put32(buf + 8, seg->ack);
	buf[12] = (uint8_t) ((hlen / 4) << 4);
	buf[13] = seg->flags;
	net_put16(buf + 14, seg->wnd);
	net_put16(buf + 16, 0);
	net_put16(buf + 18, 0);
	if (seg->mss != 0) {
		buf[20] = 2;
		buf[21] = 4;
		net_put16(buf + 22, seg->mss);
	}
	if (seg->payload_len > 0)
		memmove(buf + hlen, seg->payload, seg->payload_len);
	uint32_t sum = net_cksum_pseudo(src, dst, IP_PROTO_TCP, (uint16_t) len);
	net_put16(buf + 16, net_cksum_fold(net_cksum_add(sum, buf, len)));
	return len;
}

bool tcp_reset_for(const tcp_seg_t *seg, tcp_seg_t *rst)
{
	if (seg->flags & TCP_RST)
		return false;
	memset(rst, 0, sizeof(*rst));
	rst->src_port = seg->dst_port;
	rst->dst_port = seg->src_port;
	if (seg->flags & TCP_ACK) {
		rst->seq = seg->ack;
		rst->flags = TCP_RST;
	} else {
		uint32_t len = (uint32_t) seg->payload_len + !!(seg->flags & TCP_SYN) +
		    !!(seg->flags & TCP_FIN);
		rst->ack = seg->seq + len;
		rst->flags = TCP_RST | TCP_ACK;
	}
	return true;
}

const char *tcp_state_name(tcp_state_t state)
{
	static const char *const names[] = {"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD",
	    "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",
	    "LAST_ACK", "TIME_WAIT"};
	if ((size_t) state >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[state];
}
