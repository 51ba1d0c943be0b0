/*
 * ping: ICMP echo requests to a host (an address or a name of /cfg/hosts,
 * looked up by gethostbyname)
 * through an ICMP socket of the network server; prints each reply's round
 * trip and, at the end, the loss and the minimum, mean and maximum.
 */
#include <fibril.h>
#include <getopt.h>
#include <net/ipv4.h>
#include <netdb.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USAGE	      "[-c COUNT] [-i INTERVAL_MS] [-s SIZE] [-W TIMEOUT_MS] HOST"
#define SIZE_MAX_PING 1472

typedef struct {
	unsigned sent, received;
	uint64_t min_ns, max_ns, sum_ns;
} ping_stats_t;

typedef struct {
	unsigned count, interval_ms, size, timeout_ms;
} ping_opts_t;

/** Waits for the reply to @a seq; its round trip in *@a rtt_ns. */
static errno_t ping_wait(sock_t *s, uint16_t seq, const uint8_t *data,
    const ping_opts_t *o, uint64_t sent_ns, uint64_t *rtt_ns)
{
	static uint8_t buf[SIZE_MAX_PING];
	uint64_t deadline = sent_ns + (uint64_t) o->timeout_ms * 1000000;
	for (;;) {
		uint64_t now = clock_ns();
		if (now >= deadline)
			return ETIMEOUT;
		size_t n;
		sock_addr_t from;
		errno_t rc = sock_recvfrom(
		    s, buf, sizeof(buf), &n, &from, (deadline - now) / 1000 + 1);
		if (rc != EOK)
			return rc;
		if (from.port == seq && n == o->size && memcmp(buf, data, n) == 0) {
			*rtt_ns = clock_ns() - sent_ns;
			return EOK;
		}
	}
}

static void ping_record(ping_stats_t *st, uint64_t rtt)
{
	if (st->received == 0 || rtt < st->min_ns)
		st->min_ns = rtt;
	if (rtt > st->max_ns)
		st->max_ns = rtt;
	st->sum_ns += rtt;
	st->received++;
}

static void print_ms(uint64_t ns)
{
	printf("%lu.%03lu", (unsigned long) (ns / 1000000),
	    (unsigned long) (ns / 1000 % 1000));
}

static void ping_summary(const char *host, const ping_stats_t *st)
{
	unsigned lost = st->sent - st->received;
	printf("--- %s ping statistics ---\n", host);
	printf("%u packets transmitted, %u received, %u%% packet loss\n", st->sent,
	    st->received, st->sent == 0 ? 0 : lost * 100 / st->sent);
	if (st->received == 0)
		return;
	printf("rtt min/avg/max = ");
	print_ms(st->min_ns);
	printf("/");
	print_ms(st->sum_ns / st->received);
	printf("/");
	print_ms(st->max_ns);
	printf(" ms\n");
}

static int ping_run(sock_t *s, const char *host, uint32_t addr, const ping_opts_t *o)
{
	uint8_t *data = malloc(o->size > 0 ? o->size : 1);
	if (data == NULL)
		return cmd_error("ping", "buffer", ENOMEM);
	for (unsigned i = 0; i < o->size; i++)
		data[i] = (uint8_t) i;
	char text[16];
	ipv4_format(addr, text);
	printf("PING %s (%s): %u data bytes\n", host, text, o->size);
	ping_stats_t st = {0};
	for (unsigned seq = 0; seq < o->count; seq++) {
		if (seq > 0)
			fibril_usleep((uint64_t) o->interval_ms * 1000);
		sock_addr_t to = {addr, (uint16_t) seq};
		uint64_t sent = clock_ns();
		errno_t rc = sock_sendto(s, data, o->size, &to);
		if (rc != EOK) {
			free(data);
			return cmd_error("ping", host, rc);
		}
		st.sent++;
		uint64_t rtt;
		rc = ping_wait(s, (uint16_t) seq, data, o, sent, &rtt);
		if (rc == ETIMEOUT) {
			printf("no reply to seq=%u\n", seq);
			continue;
		}
		if (rc != EOK) {
			free(data);
			return cmd_error("ping", host, rc);
		}
		ping_record(&st, rtt);
		printf("%u bytes from %s: seq=%u time=", o->size + 8, text, seq);
		print_ms(rtt);
		printf(" ms\n");
	}
	free(data);
	ping_summary(host, &st);
	return st.received == st.sent ? CMD_EXIT_OK : CMD_EXIT_ERROR;
}

/** A number option of at most @a max; false if it is not one. */
static bool opt_number(const char *arg, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < min || v > max)
		return false;
	*out = (unsigned) v;
	return true;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	ping_opts_t o = {.count = 4, .interval_ms = 1000, .size = 56, .timeout_ms = 2000};
	int c;
	while ((c = getopt(argc, argv, "c:i:s:W:")) != -1) {
		bool ok = (c == 'c' && opt_number(optarg, 1, 1000000, &o.count)) ||
		    (c == 'i' && opt_number(optarg, 0, 3600000, &o.interval_ms)) ||
		    (c == 's' && opt_number(optarg, 0, SIZE_MAX_PING, &o.size)) ||
		    (c == 'W' && opt_number(optarg, 1, 3600000, &o.timeout_ms));
		if (!ok)
			return cmd_usage_error(argv[0], USAGE);
	}
	if (optind + 1 != argc)
		return cmd_usage_error(argv[0], USAGE);
	const char *host = argv[optind];
	struct hostent *he = gethostbyname(host);
	if (he == NULL)
		return cmd_error(argv[0], host, h_errno == HOST_NOT_FOUND ? ENOENT : EIO);
	uint32_t addr = ntohl(*(const uint32_t *) he->h_addr);
	errno_t rc;
	sock_t *s;
	if ((rc = sock_open(NET_SOCK_ICMP, &s)) != EOK)
		return cmd_error(argv[0], "socket", rc);
	int status = ping_run(s, host, addr, &o);
	sock_close(s);
	return status;
}
