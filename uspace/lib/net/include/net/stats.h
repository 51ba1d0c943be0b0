/*
 * Why packets are dropped. Every protocol module that refuses input says why
 * with one of these reasons and the caller counts it in a net_stats_t, so a
 * malformed frame is never silently lost: `netstat -s` prints the counters
 * and the tests assert them.
 */
#ifndef NET_STATS_H
#define NET_STATS_H

#include <stdint.h>

typedef enum {
	NET_DROP_NONE = 0, /* not dropped */
	NET_DROP_ETH_SHORT,
	NET_DROP_ETH_NOT_US,
	NET_DROP_ETH_TYPE,
	NET_DROP_ARP_BAD,
	NET_DROP_IP_SHORT,
	NET_DROP_IP_VERSION,
	NET_DROP_IP_HLEN,
	NET_DROP_IP_LEN,
	NET_DROP_IP_CKSUM,
	NET_DROP_IP_ADDR,
	NET_DROP_IP_PROTO,
	NET_DROP_FRAG_OVERLAP,
	NET_DROP_FRAG_BAD,
	NET_DROP_FRAG_TIMEOUT,
	NET_DROP_FRAG_NO_SLOT,
	NET_DROP_ICMP_SHORT,
	NET_DROP_ICMP_CKSUM,
	NET_DROP_ICMP_TYPE,
	NET_DROP_UDP_SHORT,
	NET_DROP_UDP_LEN,
	NET_DROP_UDP_CKSUM,
	NET_DROP_UDP_NO_PORT,
	NET_DROP_UDP_QUEUE_FULL,
	NET_DROP_TCP_SHORT,
	NET_DROP_TCP_HLEN,
	NET_DROP_TCP_CKSUM,
	NET_DROP_TCP_FLAGS,
	NET_DROP_TCP_OUT_OF_WINDOW,
	NET_DROP_TCP_BAD_ACK,
	NET_DROP_TCP_NO_SOCKET,
	NET_DROP_TCP_BACKLOG,
	NET_DROP_TCP_OOO_FULL,
	NET_DROP_TCP_WSCALE,
	NET_DROP_DHCP_BAD,
	NET_DROP_LINK_QUEUE,
	NET_DROP_COUNT
} net_drop_t;

/** Counters of one stack (or one interface); zero-initialise. */
typedef struct {
	uint64_t drops[NET_DROP_COUNT];
} net_stats_t;

/** Counts @a reason (NET_DROP_NONE counts nothing); returns it. */
net_drop_t net_stats_drop(net_stats_t *stats, net_drop_t reason);
/** The short name of @a reason ("ip-cksum"), "?" for no reason. */
const char *net_drop_name(net_drop_t reason);
/** The sum of every drop counter. */
uint64_t net_stats_total(const net_stats_t *stats);

#endif
