/*
 * TCP segments on the wire (tcp.h): parsing with every length, option and
 * checksum check, building, and the reset that answers a stray segment.
 */
#include <net/bytes.h>
#include <net/cksum.h>
#include <net/ipv4.h>
#include <net/tcp.h>
#include <string.h>

/** The window-scale option's @a len bytes at @a opt (kind, length, shift). */
static net_drop_t tcp_option_wscale(const uint8_t *opt, uint8_t len, tcp_seg_t *seg)
{
	if (len != 3 || opt[2] > TCP_WSCALE_MAX || seg->wscale_ok)
		return NET_DROP_TCP_WSCALE;
	seg->wscale_ok = true;
	seg->wscale = opt[2];
	return NET_DROP_NONE;
}

/** Reads the options of @a len bytes at @a opt; why they are refused. */
static net_drop_t tcp_options(const uint8_t *opt, size_t len, tcp_seg_t *seg)
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
			return NET_DROP_TCP_HLEN;
		if (kind == 2) {
			if (opt[i + 1] != 4)
				return NET_DROP_TCP_HLEN;
			seg->mss = net_get16(opt + i + 2);
		} else if (kind == 3) {
			net_drop_t drop = tcp_option_wscale(opt + i, opt[i + 1], seg);
			if (drop != NET_DROP_NONE)
				return drop;
		}
		i += opt[i + 1];
	}
	return NET_DROP_NONE;
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
	net_drop_t drop = tcp_options(buf + TCP_HDR_LEN, hlen - TCP_HDR_LEN, seg);
	if (drop != NET_DROP_NONE)
		return drop;
	if ((seg->flags & TCP_SYN) == 0) {
		if (seg->wscale_ok)
			return NET_DROP_TCP_WSCALE; /* RFC 7323 2.2: SYN only */
		seg->mss = 0;
	}
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
	return TCP_HDR_LEN + (seg->mss != 0 ? 4 : 0) + (seg->wscale_ok ? 4 : 0);
}

/** Writes the options of @a seg at @a opt (MSS, then NOP and window scale). */
static void tcp_build_options(uint8_t *opt, const tcp_seg_t *seg)
{
	if (seg->mss != 0) {
		opt[0] = 2;
		opt[1] = 4;
		net_put16(opt + 2, seg->mss);
		opt += 4;
	}
	if (seg->wscale_ok) {
		opt[0] = 1; /* a NOP keeps the next option 4-byte aligned */
		opt[1] = 3;
		opt[2] = 3;
		opt[3] = seg->wscale;
	}
}

uint8_t tcp_wscale_for(size_t rcvbuf)
{
	uint8_t shift = 0;
	while (shift < TCP_WSCALE_MAX && (rcvbuf >> shift) > 0xffff)
		shift++;
	return shift;
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
	tcp_build_options(buf + TCP_HDR_LEN, seg);
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
