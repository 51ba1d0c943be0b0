/*
 * Drop counters (stats.h): one name per reason, in the enum's order.
 */
#include <net/stats.h>
#include <stddef.h>

static const char *const drop_names[NET_DROP_COUNT] = {
    [NET_DROP_NONE] = "none",
    [NET_DROP_ETH_SHORT] = "eth-short",
    [NET_DROP_ETH_NOT_US] = "eth-not-us",
    [NET_DROP_ETH_TYPE] = "eth-type",
    [NET_DROP_ARP_BAD] = "arp-bad",
    [NET_DROP_IP_SHORT] = "ip-short",
    [NET_DROP_IP_VERSION] = "ip-version",
    [NET_DROP_IP_HLEN] = "ip-hlen",
    [NET_DROP_IP_LEN] = "ip-len",
    [NET_DROP_IP_CKSUM] = "ip-cksum",
    [NET_DROP_IP_ADDR] = "ip-addr",
    [NET_DROP_IP_PROTO] = "ip-proto",
    [NET_DROP_FRAG_OVERLAP] = "frag-overlap",
    [NET_DROP_FRAG_BAD] = "frag-bad",
    [NET_DROP_FRAG_TIMEOUT] = "frag-timeout",
    [NET_DROP_FRAG_NO_SLOT] = "frag-no-slot",
    [NET_DROP_ICMP_SHORT] = "icmp-short",
    [NET_DROP_ICMP_CKSUM] = "icmp-cksum",
    [NET_DROP_ICMP_TYPE] = "icmp-type",
    [NET_DROP_UDP_SHORT] = "udp-short",
    [NET_DROP_UDP_LEN] = "udp-len",
    [NET_DROP_UDP_CKSUM] = "udp-cksum",
    [NET_DROP_UDP_NO_PORT] = "udp-no-port",
    [NET_DROP_UDP_QUEUE_FULL] = "udp-queue-full",
    [NET_DROP_TCP_SHORT] = "tcp-short",
    [NET_DROP_TCP_HLEN] = "tcp-hlen",
    [NET_DROP_TCP_CKSUM] = "tcp-cksum",
    [NET_DROP_TCP_FLAGS] = "tcp-flags",
    [NET_DROP_TCP_OUT_OF_WINDOW] = "tcp-out-of-window",
    [NET_DROP_TCP_BAD_ACK] = "tcp-bad-ack",
    [NET_DROP_TCP_NO_SOCKET] = "tcp-no-socket",
    [NET_DROP_TCP_BACKLOG] = "tcp-backlog",
    [NET_DROP_TCP_OOO_FULL] = "tcp-ooo-full",
    [NET_DROP_TCP_WSCALE] = "tcp-wscale",
    [NET_DROP_DHCP_BAD] = "dhcp-bad",
    [NET_DROP_LINK_QUEUE] = "link-queue",
};

net_drop_t net_stats_drop(net_stats_t *stats, net_drop_t reason)
{
	if (reason > NET_DROP_NONE && reason < NET_DROP_COUNT)
		stats->drops[reason]++;
	return reason;
}

const char *net_drop_name(net_drop_t reason)
{
	if (reason >= NET_DROP_COUNT || drop_names[reason] == NULL)
		return "?";
	return drop_names[reason];
}

uint64_t net_stats_total(const net_stats_t *stats)
{
	uint64_t total = 0;
	for (size_t i = 1; i < NET_DROP_COUNT; i++)
		total += stats->drops[i];
	return total;
}
