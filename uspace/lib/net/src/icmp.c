/*
 * ICMP messages (icmp.h).
 */
#include <net/bytes.h>
#include <net/cksum.h>
#include <net/icmp.h>
#include <string.h>

net_drop_t icmp_parse(const uint8_t *buf, size_t len, icmp_msg_t *msg)
{
	if (len < ICMP_HDR_LEN)
		return NET_DROP_ICMP_SHORT;
	if (net_cksum_fold(net_cksum_add(0, buf, len)) != 0)
		return NET_DROP_ICMP_CKSUM;
	msg->type = buf[0];
	msg->code = buf[1];
	msg->id = net_get16(buf + 4);
	msg->seq = net_get16(buf + 6);
	msg->data = buf + ICMP_HDR_LEN;
	msg->data_len = len - ICMP_HDR_LEN;
	return NET_DROP_NONE;
}

static void icmp_checksum(uint8_t *buf, size_t len)
{
	net_put16(buf + 2, 0);
	net_put16(buf + 2, net_cksum_fold(net_cksum_add(0, buf, len)));
}

size_t icmp_build_echo(
    uint8_t *buf, uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t len)
{
	buf[0] = type;
	buf[1] = 0;
	net_put16(buf + 4, id);
	net_put16(buf + 6, seq);
	if (len > 0)
		memmove(buf + ICMP_HDR_LEN, data, len);
	icmp_checksum(buf, ICMP_HDR_LEN + len);
	return ICMP_HDR_LEN + len;
}

bool icmp_error_allowed(const ipv4_hdr_t *orig)
{
	if (orig->frag_off != 0 || ipv4_bad_source(orig->src) || orig->src == 0 ||
	    ipv4_bad_source(orig->dst))
		return false;
	if (orig->proto != IP_PROTO_ICMP)
		return true;
	/* Errors about errors loop; only queries (echo) may be answered. */
	return orig->payload_len >= 1 &&
	    (orig->payload[0] == ICMP_ECHO_REQUEST ||
		orig->payload[0] == ICMP_ECHO_REPLY);
}

size_t icmp_build_error(uint8_t *buf, uint8_t type, uint8_t code, const uint8_t *orig_hdr,
    const ipv4_hdr_t *orig)
{
	size_t quote = orig->payload_len < ICMP_ERROR_QUOTE ? orig->payload_len
							    : ICMP_ERROR_QUOTE;
	buf[0] = type;
	buf[1] = code;
	net_put32(buf + 4, 0);
	memcpy(buf + ICMP_HDR_LEN, orig_hdr, orig->hdr_len);
	memcpy(buf + ICMP_HDR_LEN + orig->hdr_len, orig->payload, quote);
	size_t len = ICMP_HDR_LEN + orig->hdr_len + quote;
	icmp_checksum(buf, len);
	return len;
}
