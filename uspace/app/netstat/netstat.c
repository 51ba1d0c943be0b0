/*
 * netstat: the network server's sockets with their state and queues, or
 * (-s) its counters: packets in and out and every drop reason that counted.
 */
#include <getopt.h>
#include <net/ipv4.h>
#include <net/stats.h>
#include <net/tcp.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>

#define USAGE	 "[-s] (-s: counters and drops instead of sockets)"
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

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	bool stats = false;
	int c;
	while ((c = getopt(argc, argv, "s")) != -1) {
		if (c != 's')
			return CMD_EXIT_USAGE;
		stats = true;
	}
	if (optind != argc)
		return cmd_usage_error(argv[0], USAGE);
	return stats ? show_stats(argv[0]) : show_sockets(argv[0]);
}
