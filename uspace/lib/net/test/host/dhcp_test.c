/*
 * DHCP client messages (uspace/lib/net/src/dhcp.c): what the client sends
 * is a well-formed BOOTREQUEST with its options; a server's OFFER and ACK
 * are read right, and every malformed or foreign reply is refused.
 */
#if __STDC_HOSTED__ /* not built into the library: see host.mk */
#include "host_test.h"
#include <net/bytes.h>
#include <net/dhcp.h>
#include <net/ipv4.h>
#include <string.h>

#define XID 0x12345678u

static const eth_addr_t mac = {{0x52, 0x54, 0, 0x12, 0x34, 0x56}};

/** A server's reply of @a type offering 10.0.2.15 from 10.0.2.2 with a
 *  /24 mask, router 10.0.2.2 and a one-day lease; its length. */
static size_t make_reply(uint8_t *buf, uint8_t type)
{
	memset(buf, 0, DHCP_MSG_MAX);
	buf[0] = 2; /* BOOTREPLY */
	buf[1] = 1;
	buf[2] = 6;
	net_put32(buf + 4, XID);
	net_put32(buf + 16, IPV4_ADDR(10, 0, 2, 15));
	memcpy(buf + 28, mac.b, 6);
	net_put32(buf + 236, 0x63825363u);
	uint8_t *p = buf + DHCP_FIXED_LEN;
	const uint8_t opts[] = {53, 1, type, 0, 1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2,
	    54, 4, 10, 0, 2, 2, 51, 4, 0, 1, 0x51, 0x80, 255};
	memcpy(p, opts, sizeof(opts));
	return DHCP_FIXED_LEN + sizeof(opts);
}

HOST_TEST(discover_is_a_broadcast_bootrequest_with_the_type_and_params)
{
	uint8_t buf[DHCP_MSG_MAX];
	size_t len = dhcp_build(buf, DHCP_DISCOVER, XID, &mac, 0, 0);
	CHECK(len > DHCP_FIXED_LEN && len <= DHCP_MSG_MAX);
	CHECK_EQ(buf[0], 1);
	CHECK_EQ(net_get32(buf + 4), XID);
	CHECK_EQ(net_get16(buf + 10), 0x8000);
	CHECK(memcmp(buf + 28, mac.b, 6) == 0);
	CHECK_EQ(net_get32(buf + 236), 0x63825363u);
	CHECK_EQ(buf[240], 53);
	CHECK_EQ(buf[242], DHCP_DISCOVER);
	CHECK_EQ(buf[len - 1], 255);
}

HOST_TEST(request_names_the_address_and_the_server)
{
	uint8_t buf[DHCP_MSG_MAX];
	size_t len = dhcp_build(buf, DHCP_REQUEST, XID, &mac, IPV4_ADDR(10, 0, 2, 15),
	    IPV4_ADDR(10, 0, 2, 2));
	CHECK_EQ(buf[242], DHCP_REQUEST);
	CHECK_EQ(buf[243], 50);
	CHECK_EQ(net_get32(buf + 245), IPV4_ADDR(10, 0, 2, 15));
	CHECK_EQ(buf[249], 54);
	CHECK_EQ(net_get32(buf + 251), IPV4_ADDR(10, 0, 2, 2));
	CHECK_EQ(buf[len - 1], 255);
}

HOST_TEST(offer_and_ack_are_read_with_mask_router_and_lease)
{
	uint8_t buf[DHCP_MSG_MAX];
	dhcp_reply_t r;
	size_t len = make_reply(buf, DHCP_ACK);
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_NONE);
	CHECK_EQ(r.type, DHCP_ACK);
	CHECK_EQ(r.yiaddr, IPV4_ADDR(10, 0, 2, 15));
	CHECK_EQ(r.mask, 0xffffff00u);
	CHECK_EQ(r.router, IPV4_ADDR(10, 0, 2, 2));
	CHECK_EQ(r.server, IPV4_ADDR(10, 0, 2, 2));
	CHECK_EQ(r.lease_s, 86400);
	len = make_reply(buf, DHCP_OFFER);
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_NONE);
	CHECK_EQ(r.type, DHCP_OFFER);
}

HOST_TEST(malformed_and_foreign_replies_are_each_dropped)
{
	uint8_t buf[DHCP_MSG_MAX];
	dhcp_reply_t r;
	size_t len = make_reply(buf, DHCP_ACK);
	/* Short: every length below the fixed part. */
	for (size_t n = 0; n < DHCP_FIXED_LEN; n += 7)
		CHECK_EQ(dhcp_parse(buf, n, XID, &mac, &r), NET_DROP_DHCP_BAD);
	/* Another transaction, another client, a request, no cookie. */
	CHECK_EQ(dhcp_parse(buf, len, XID + 1, &mac, &r), NET_DROP_DHCP_BAD);
	eth_addr_t other = mac;
	other.b[5] ^= 1;
	CHECK_EQ(dhcp_parse(buf, len, XID, &other, &r), NET_DROP_DHCP_BAD);
	buf[0] = 1;
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_DHCP_BAD);
	buf[0] = 2;
	buf[236] = 0;
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_DHCP_BAD);
	/* An option running past the end (cut before its value). */
	len = make_reply(buf, DHCP_ACK);
	CHECK_EQ(dhcp_parse(buf, DHCP_FIXED_LEN + 5, XID, &mac, &r), NET_DROP_DHCP_BAD);
	/* No message type, or a client's type. */
	buf[DHCP_FIXED_LEN] = 0; /* the type option becomes padding... */
	buf[DHCP_FIXED_LEN + 1] = 0;
	buf[DHCP_FIXED_LEN + 2] = 0;
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_DHCP_BAD);
	len = make_reply(buf, DHCP_REQUEST);
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_DHCP_BAD);
	/* An offer of no address or of a broadcast one. */
	len = make_reply(buf, DHCP_OFFER);
	net_put32(buf + 16, 0);
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_DHCP_BAD);
	net_put32(buf + 16, IPV4_BROADCAST);
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_DHCP_BAD);
}

HOST_TEST(a_nak_is_taken_without_an_address)
{
	uint8_t buf[DHCP_MSG_MAX];
	dhcp_reply_t r;
	size_t len = make_reply(buf, DHCP_NAK);
	net_put32(buf + 16, 0);
	CHECK_EQ(dhcp_parse(buf, len, XID, &mac, &r), NET_DROP_NONE);
	CHECK_EQ(r.type, DHCP_NAK);
}
#endif
