/*
 * ifconfig: sets network interfaces' addresses and the routing table
 * (`netstat -i` shows them in full):
 *
 *   ifconfig                          each interface, its address and source
 *   ifconfig eth0 10.0.2.20/24        an address by hand (DHCP stops)
 *   ifconfig eth0 dhcp                the address from DHCP again
 *   ifconfig route add NET/PREFIX [GATEWAY]   (no gateway: attached)
 *   ifconfig route del NET/PREFIX
 */
#include <getopt.h>
#include <net/ipv4.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE \
	"[IFACE ADDRESS/PREFIX | IFACE dhcp | route add NET/PREFIX [GATEWAY] | " \
	"route del NET/PREFIX]"

/** "A.B.C.D/N" (N 0..32) into an address and its mask; false if not. */
static bool parse_prefix(const char *text, uint32_t *addr, uint32_t *mask)
{
	char buf[24];
	const char *slash = strchr(text, '/');
	if (slash == NULL || (size_t) (slash - text) >= sizeof(buf))
		return false;
	memcpy(buf, text, slash - text);
	buf[slash - text] = '\0';
	char *end;
	unsigned long bits = strtoul(slash + 1, &end, 10);
	if (slash[1] == '\0' || *end != '\0' || bits > 32 || !ipv4_parse_addr(buf, addr))
		return false;
	*mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
	return true;
}

/** One line per interface: its address, prefix and where it came from. */
static int show(const char *argv0)
{
	net_iface_info_t ifs[4];
	size_t n;
	errno_t rc = net_get_ifaces(ifs, 4, &n);
	if (rc != EOK)
		return cmd_error(argv0, "the network server", rc);
	for (size_t k = 0; k < n; k++) {
		char a[16];
		ipv4_format(ifs[k].addr, a);
		const char *how = k == 0		? "fixed"
		    : (ifs[k].flags & NET_IF_DHCP) != 0 ? "dhcp"
		    : ifs[k].addr != 0			? "static"
							: "none yet";
		printf("%s: %s/%d (%s)%s\n", ifs[k].name, a,
		    __builtin_popcount(ifs[k].mask), how,
		    (ifs[k].flags & NET_IF_UP) != 0 ? "" : " down");
	}
	return CMD_EXIT_OK;
}

/** `route add|del NET/PREFIX [GATEWAY]` (@a argv from "add" on). */
static int route(const char *argv0, int argc, char *argv[])
{
	bool add = argc >= 2 && strcmp(argv[0], "add") == 0;
	bool del = argc == 2 && strcmp(argv[0], "del") == 0;
	uint32_t net, mask, gateway = 0;
	if ((!add && !del) || argc > 3 || !parse_prefix(argv[1], &net, &mask) ||
	    (argc == 3 && !ipv4_parse_addr(argv[2], &gateway)))
		return cmd_usage_error(argv0, USAGE);
	errno_t rc = add ? net_route_add(net, mask, gateway) : net_route_del(net, mask);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(argv0, argv[1], rc);
}

/** `IFACE ADDRESS/PREFIX` or `IFACE dhcp`. */
static int set_address(const char *argv0, const char *name, const char *what)
{
	uint32_t addr = 0, mask = 0;
	if (strcmp(what, "dhcp") != 0 && !parse_prefix(what, &addr, &mask))
		return cmd_usage_error(argv0, USAGE);
	unsigned iface;
	errno_t rc = net_iface_index(name, &iface);
	if (rc == EOK)
		rc = net_iface_set(iface, addr, mask);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(argv0, name, rc);
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE; /* getopt said why, with the usage */
	int n = argc - optind;
	char **w = argv + optind;
	if (n == 0)
		return show(argv[0]);
	if (strcmp(w[0], "route") == 0)
		return route(argv[0], n - 1, w + 1);
	if (n != 2)
		return cmd_usage_error(argv[0], USAGE);
	return set_address(argv[0], w[0], w[1]);
}
