/*
 * DHCP client messages (net/dhcp.h).
 */
#include <net/bytes.h>
#include <net/dhcp.h>
#include <net/ipv4.h>
#include <string.h>

#define BOOTREQUEST 1
#define BOOTREPLY   2
#define DHCP_COOKIE 0x63825363u
#define OFF_OP	    0
#define OFF_XID	    4
#define OFF_FLAGS   10
#define OFF_YIADDR  16
#define OFF_CHADDR  28
#define OFF_COOKIE  236
#define FLAG_BCAST  0x8000
#define OPT_PAD	    0
#define OPT_MASK    1
#define OPT_ROUTER  3
#define OPT_REQ_IP  50
#define OPT_LEASE   51
#define OPT_TYPE    53
#define OPT_SERVER  54
#define OPT_PARAMS  55
#define OPT_END	    255

static size_t put_opt32(uint8_t *p, uint8_t code, uint32_t value)
{
	p[0] = code;
	p[1] = 4;
	net_put32(p + 2, value);
	return 6;
}

size_t dhcp_build(uint8_t *buf, uint8_t type, uint32_t xid, const eth_addr_t *mac,
    uint32_t req_ip, uint32_t server)
{
	memset(buf, 0, DHCP_MSG_MAX);
	buf[OFF_OP] = BOOTREQUEST;
	buf[1] = 1; /* Ethernet */
	buf[2] = ETH_ADDR_LEN;
	net_put32(buf + OFF_XID, xid);
	net_put16(buf + OFF_FLAGS, FLAG_BCAST); /* we cannot take unicast yet */
	memcpy(buf + OFF_CHADDR, mac->b, ETH_ADDR_LEN);
	net_put32(buf + OFF_COOKIE, DHCP_COOKIE);
	uint8_t *p = buf + DHCP_FIXED_LEN;
	*p++ = OPT_TYPE;
	*p++ = 1;
	*p++ = type;
	if (req_ip != 0)
		p += put_opt32(p, OPT_REQ_IP, req_ip);
	if (server != 0)
		p += put_opt32(p, OPT_SERVER, server);
	*p++ = OPT_PARAMS;
	*p++ = 3;
	*p++ = OPT_MASK;
	*p++ = OPT_ROUTER;
	*p++ = OPT_LEASE;
	*p++ = OPT_END;
	return (size_t) (p - buf);
}

/** Takes option @a code of @a len bytes at @a v into @a r. */
static void take_option(dhcp_reply_t *r, uint8_t code, const uint8_t *v, size_t len)
{
	if (code == OPT_TYPE && len >= 1)
		r->type = v[0];
	else if (len < 4)
		return;
	else if (code == OPT_MASK)
		r->mask = net_get32(v);
	else if (code == OPT_ROUTER)
		r->router = net_get32(v);
	else if (code == OPT_SERVER)
		r->server = net_get32(v);
	else if (code == OPT_LEASE)
		r->lease_s = net_get32(v);
}

/** Walks the options after the cookie; false when one runs past @a end. */
static bool parse_options(const uint8_t *p, const uint8_t *end, dhcp_reply_t *r)
{
	while (p < end) {
		uint8_t code = *p++;
		if (code == OPT_END)
			return true;
		if (code == OPT_PAD)
			continue;
		if (p >= end || *p > end - p - 1)
			return false;
		size_t len = *p++;
		take_option(r, code, p, len);
		p += len;
	}
	return true;
}

net_drop_t dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const eth_addr_t *mac,
    dhcp_reply_t *reply)
{
	memset(reply, 0, sizeof(*reply));
	if (len < DHCP_FIXED_LEN || buf[OFF_OP] != BOOTREPLY ||
	    net_get32(buf + OFF_XID) != xid ||
	    memcmp(buf + OFF_CHADDR, mac->b, ETH_ADDR_LEN) != 0 ||
	    net_get32(buf + OFF_COOKIE) != DHCP_COOKIE)
		return NET_DROP_DHCP_BAD;
	if (!parse_options(buf + DHCP_FIXED_LEN, buf + len, reply))
		return NET_DROP_DHCP_BAD;
	if (reply->type != DHCP_OFFER && reply->type != DHCP_ACK &&
	    reply->type != DHCP_NAK)
		return NET_DROP_DHCP_BAD;
	reply->yiaddr = net_get32(buf + OFF_YIADDR);
	if (reply->type != DHCP_NAK &&
	    (reply->yiaddr == 0 || ipv4_bad_source(reply->yiaddr)))
		return NET_DROP_DHCP_BAD;
	return NET_DROP_NONE;
}
