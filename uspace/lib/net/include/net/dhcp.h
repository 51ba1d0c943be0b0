/*
 * DHCP client messages (RFC 2131, options of RFC 2132): building the
 * client's DISCOVER and REQUEST and checking a server's OFFER, ACK or NAK.
 * No I/O: the caller sends what dhcp_build writes (UDP from port 68 to 67)
 * and hands in what arrives at port 68.
 */
#ifndef NET_DHCP_H
#define NET_DHCP_H

#include <net/eth.h>
#include <net/stats.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_CLIENT_PORT 68
#define DHCP_SERVER_PORT 67
#define DHCP_FIXED_LEN	 240 /* the BOOTP fields and the magic cookie */
#define DHCP_MSG_MAX	 548 /* what every server may send (576 - IP - UDP) */

#define DHCP_DISCOVER 1
#define DHCP_OFFER    2
#define DHCP_REQUEST  3
#define DHCP_ACK      5
#define DHCP_NAK      6

typedef struct {
	uint8_t type;	  /* DHCP_OFFER, DHCP_ACK or DHCP_NAK */
	uint32_t yiaddr;  /* the address offered (host order) */
	uint32_t server;  /* server identifier (option 54) */
	uint32_t mask;	  /* option 1; 0 if absent */
	uint32_t router;  /* option 3's first address; 0 if absent */
	uint32_t lease_s; /* option 51; 0 if absent */
} dhcp_reply_t;

/** Writes a client message of @a type (DHCP_DISCOVER or DHCP_REQUEST) with
 *  transaction @a xid from @a mac into @a buf (DHCP_MSG_MAX bytes); a
 *  REQUEST names @a req_ip and @a server (0: left out). Returns its length. */
size_t dhcp_build(uint8_t *buf, uint8_t type, uint32_t xid, const eth_addr_t *mac,
    uint32_t req_ip, uint32_t server);
/** Checks a server's message for our transaction @a xid and @a mac:
 *  NET_DROP_DHCP_BAD for anything short, not a BOOTREPLY, another
 *  transaction or client, without the cookie, with options running past
 *  the end, of another type than OFFER, ACK or NAK, or offering no address
 *  or a broadcast or multicast one. */
net_drop_t dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const eth_addr_t *mac,
    dhcp_reply_t *reply);

#endif
