/*
 * netwait: waits until a network interface has its address and prints it.
 * netsrv reports ready before DHCP has answered (the lease comes in the
 * background), so a script or test that needs eth0's address runs
 * `netwait` first instead of sleeping for a guessed time.
 */
#include <getopt.h>
#include <net/ipv4.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE	       "[-t SECONDS] [IFACE] (IFACE: eth0, the default, or lo)"
#define DEFAULT_WAIT_S 30
#define MAX_WAIT_S     3600

/** A whole number of seconds from 1 to MAX_WAIT_S; false if not one. */
static bool parse_seconds(const char *arg, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < 1 || v > MAX_WAIT_S)
		return false;
	*out = (unsigned) v;
	return true;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	unsigned seconds = DEFAULT_WAIT_S;
	int c;
	while ((c = getopt(argc, argv, "t:")) != -1) {
		if (c != 't' || !parse_seconds(optarg, &seconds))
			return cmd_usage_error(argv[0], USAGE);
	}
	if (optind + 1 < argc)
		return cmd_usage_error(argv[0], USAGE);
	const char *name = optind < argc ? argv[optind] : "eth0";
	unsigned iface;
	uint32_t addr, mask;
	errno_t rc = net_iface_index(name, &iface);
	if (rc == EOK)
		rc = net_iface_wait(iface, (uint64_t) seconds * 1000000, &addr, &mask);
	if (rc != EOK)
		return cmd_error(argv[0], name, rc);
	char text[16];
	ipv4_format(addr, text);
	printf("%s: %s/%d\n", name, text, __builtin_popcount(mask));
	return CMD_EXIT_OK;
}
