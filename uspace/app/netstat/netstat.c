/*
 * netstat: the network server's sockets with their state and queues, or
 * (-s) its counters: packets in and out and every drop reason that counted,
 * or (-i) its interfaces and routing table.
 */
#include <getopt.h>
#include <net/ipv4.h>
#include <net/stats.h>
#include <net/tcp.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>

#define USAGE \
	"[-s | -i] (-s: counters and drops instead of sockets; -i: interfaces and " \
	"routes)"
#define LIST_MAX 1024

static void show_end(uint32_t addr, uint16_t port)
{
	char text[16], both[24];
	ipv4_format(addr, text);
	snprintf(both, sizeof(both), "%s:%u", text, (unsigned) port);
	printf(" %-21s", both);
}

static const char *type_name(uint8_t type)
{
	return type == NET_SOCK_STREAM ? "tcp" : type == NET_SOCK_DGRAM ? "udp" : "icmp";
}

static int show_sockets(const char *argv0)
{
	net_sock_info_t *list = calloc(LIST_MAX, sizeof(*list));
	if (list == NULL)
		return cmd_error(argv0, "sockets", ENOMEM);
	size_t n;
	errno_t rc = net_get_sockets(list, LIST_MAX, &n);
	if (rc != EOK) {
		free(list);
		return cmd_error(argv0, "the network server", rc);
	}
	printf("proto recv-q send-q local                 remote                state\n");
	for (size_t i = 0; i < n; i++) {
		const net_sock_info_t *s = &list[i];
		bool tcp = s->type == NET_SOCK_STREAM;
		printf("%-5s %6u %6u", type_name(s->type), (unsigned) s->recv_queued,
		    (unsigned) s->send_queued);
		show_end(s->laddr, s->lport);
		show_end(s->raddr, s->rport);
		printf(" %s\n", tcp ? tcp_state_name((tcp_state_t) s->state) : "");
	}
	free(list);
	return CMD_EXIT_OK;
}

static int show_stats(const char *argv0)
{
	net_stat_t st;
	errno_t rc = net_get_stats(&st);
	if (rc != EOK)
		return cmd_error(argv0, "the network server", rc);
	printf("sockets %lu (closing %lu)\n", (unsigned long) st.sockets,
	    (unsigned long) st.orphans);
	printf("ip packets in %lu, out %lu\n", (unsigned long) st.ip_in,
	    (unsigned long) st.ip_out);
	for (int r = 1; r < NET_DROP_COUNT; r++) {
		if (st.drops[r] != 0)
			printf("dropped %-18s %lu\n", net_drop_name((net_drop_t) r),
			    (unsigned long) st.drops[r]);
	}
	return CMD_EXIT_OK;
}

static void show_iface(const net_iface_info_t *i)
{
	char a[16], m[16], g[16];
	ipv4_format(i->addr, a);
	ipv4_format(i->mask, m);
	ipv4_format(i->gateway, g);
	printf("%s: %s%s inet %s netmask %s gateway %s mtu %u\n", i->name,
	    (i->flags & NET_IF_UP) != 0 ? "up" : "down",
	    (i->flags & NET_IF_DHCP) != 0 ? " dhcp" : "", a, m, g, i->mtu);
	if (i->name[0] == 'l')
		return;
	printf(
	    "  ether %02x:%02x:%02x:%02x:%02x:%02x frames in %lu, out %lu, send errors "
	    "%lu, arp entries %u, lease %lu s\n",
	    i->mac[0], i->mac[1], i->mac[2], i->mac[3], i->mac[4], i->mac[5],
	    (unsigned long) i->rx_frames, (unsigned long) i->tx_frames,
	    (unsigned long) i->tx_errors, i->arp_entries,
	    (unsigned long) i->dhcp_lease_s);
}

static int show_ifaces(const char *argv0)
{
	net_iface_info_t ifs[4];
	net_route_info_t routes[16];
	size_t n, nr;
	errno_t rc = net_get_ifaces(ifs, 4, &n);
	if (rc == EOK)
		rc = net_get_routes(routes, 16, &nr);
	if (rc != EOK)
		return cmd_error(argv0, "the network server", rc);
	for (size_t k = 0; k < n; k++)
		show_iface(&ifs[k]);
	printf("route destination        gateway         interface\n");
	for (size_t k = 0; k < nr; k++) {
		char net[16], g[16], dest[24];
		ipv4_format(routes[k].net, net);
		ipv4_format(routes[k].gateway, g);
		snprintf(
		    dest, sizeof(dest), "%s/%d", net, __builtin_popcount(routes[k].mask));
		printf("      %-18s %-15s %s\n", dest,
		    routes[k].gateway != 0 ? g : "attached",
		    routes[k].iface != 0 ? "eth0" : "lo");
	}
	return CMD_EXIT_OK;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	int mode = 0;
	int c;
	while ((c = getopt(argc, argv, "si")) != -1) {
		if (c != 's' && c != 'i')
			return CMD_EXIT_USAGE;
		mode = c;
	}
	if (optind != argc)
		return cmd_usage_error(argv[0], USAGE);
	if (mode == 's')
		return show_stats(argv[0]);
	return mode == 'i' ? show_ifaces(argv[0]) : show_sockets(argv[0]);
}
