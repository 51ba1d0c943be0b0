/*
 * nettest: the network server over loopback (boot options
 * testinit=ns,vfs,tmpfs testtask=nettest), in testsuite.h's format: TCP and
 * UDP through the socket API, ports in use and refused connections, a
 * thousand connections without a leak, malformed packets dropped and
 * counted, and the server killed mid-transfer and started again.
 */
#include <errno.h>
#include <fibril.h>
#include <getopt.h>
#include <net/bytes.h>
#include <net/cksum.h>
#include <net/ipv4.h>
#include <net/stats.h>
#include <net/tcp.h>
#include <net/udp.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <testsuite.h>
#include <vfs.h>

#define USAGE		"(a test program; make test boots it with testtask=nettest)"
#define TEST_LIMIT_USEC 300000000
#define LO		IPV4_LOOPBACK
#define IO_TIMEOUT	30000000 /* no loopback transfer step waits this long */
/* A source the stack cannot answer (TEST-NET-2): replies to it are lost. */
#define FOREIGN IPV4_ADDR(198, 51, 100, 7)

static task_id_t server;

static errno_t start_server(void)
{
	return test_spawn_server("/srv/netsrv", &server);
}

static void test_start_server(void)
{
	CHECK_RC(vfs_mount("/", "tmpfs", "", VFS_MOUNT_WAIT), EOK);
	CHECK_RC(start_server(), EOK);
}

/** A listener on 127.0.0.1:@a port. */
static errno_t listener(uint16_t port, unsigned backlog, sock_t **out)
{
	errno_t rc = sock_open(NET_SOCK_STREAM, out);
	if (rc != EOK)
		return rc;
	if ((rc = sock_bind(*out, LO, port, true, NULL)) == EOK)
		rc = sock_listen(*out, backlog);
	if (rc != EOK)
		sock_close(*out);
	return rc;
}

/** Echoes everything one connection sends until it ends. */
static errno_t echo_conn(sock_t *c)
{
	static uint8_t buf[16384];
	for (;;) {
		size_t n;
		errno_t rc = sock_recv(c, buf, sizeof(buf), &n, 0);
		if (rc != EOK || n == 0)
			return rc;
		if ((rc = sock_send_all(c, buf, n, 0)) != EOK)
			return rc;
	}
}

/** The TCP echo server: accepts and echoes, one connection at a time. */
static errno_t echo_server(void *arg)
{
	sock_t *l = arg;
	for (;;) {
		sock_t *c;
		if (sock_accept(l, &c, NULL, 0) != EOK)
			return EOK; /* the listener closed */
		DISCARD(best_effort, echo_conn(c));
		sock_close(c);
	}
}

static void fill(uint8_t *d, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		d[i] = (uint8_t) ((i * 131 + seed) >> 3);
}

/** Sends @a len bytes in 16 KiB steps, reading each echo back. */
static errno_t echo_through(sock_t *s, const uint8_t *src, uint8_t *dst, size_t len)
{
	for (size_t off = 0; off < len;) {
		size_t step = len - off < 16384 ? len - off : 16384;
		errno_t rc = sock_send_all(s, src + off, step, IO_TIMEOUT);
		for (size_t got = 0; rc == EOK && got < step;) {
			size_t n;
			rc = sock_recv(s, dst + off + got, step - got, &n, IO_TIMEOUT);
			if (rc == EOK && n == 0)
				rc = EIO;
			got += n;
		}
		if (rc != EOK)
			return rc;
		off += step;
	}
	return EOK;
}

/** A new connection to the echo server carries @a len bytes there and back
 *  unchanged (EIO if they differ). */
static errno_t echo_once(size_t len, unsigned seed)
{
	uint8_t *out = malloc(len), *in = malloc(len);
	sock_t *s = NULL;
	errno_t rc = out != NULL && in != NULL ? sock_open(NET_SOCK_STREAM, &s) : ENOMEM;
	if (rc == EOK)
		rc = sock_connect(s, LO, 7, IO_TIMEOUT);
	if (rc == EOK) {
		fill(out, len, seed);
		rc = echo_through(s, out, in, len);
	}
	if (rc == EOK && memcmp(out, in, len) != 0)
		rc = EIO;
	sock_close(s);
	free(out);
	free(in);
	return rc;
}

static sock_t *echo_listener;

/** The echo server on 127.0.0.1:7, in a fibril of ours. */
static errno_t start_echo(void)
{
	errno_t rc = listener(7, 8, &echo_listener);
	if (rc != EOK)
		return rc;
	fid_t f = fibril_create(echo_server, echo_listener);
	if (f == NULL)
		return ENOMEM;
	fibril_add_ready(f);
	return EOK;
}

static void test_tcp_echo_of_a_mebibyte_comes_back_identical(void)
{
	CHECK_RC(start_echo(), EOK);
	sock_t *s;
	CHECK_RC(sock_open(NET_SOCK_STREAM, &s), EOK);
	CHECK_RC(sock_connect(s, LO, 7, IO_TIMEOUT), EOK);
	sock_addr_t local, peer;
	CHECK_RC(sock_name(s, &local, &peer), EOK);
	CHECK(
	    local.addr == LO && local.port >= 49152 && peer.addr == LO && peer.port == 7);
	size_t len = 1 << 20;
	uint8_t *src = malloc(len), *dst = malloc(len);
	CHECK(src != NULL && dst != NULL);
	fill(src, len, 7);
	errno_t rc = echo_through(s, src, dst, len);
	bool same = rc == EOK && memcmp(src, dst, len) == 0;
	free(src);
	free(dst);
	sock_close(s);
	CHECK_RC(rc, EOK);
	CHECK(same);
}

/** The UDP echo server: answers each datagram to its sender. */
static errno_t udp_echo_server(void *arg)
{
	sock_t *u = arg;
	static uint8_t buf[2048];
	for (;;) {
		size_t n;
		sock_addr_t from;
		if (sock_recvfrom(u, buf, sizeof(buf), &n, &from, 0) != EOK)
			return EOK;
		DISCARD(best_effort, sock_sendto(u, buf, n, &from));
	}
}

static void test_udp_datagrams_of_1_to_1472_bytes_come_back_identical(void)
{
	sock_t *srv, *cli;
	CHECK_RC(sock_open(NET_SOCK_DGRAM, &srv), EOK);
	CHECK_RC(sock_bind(srv, LO, 7, false, NULL), EOK);
	fid_t f = fibril_create(udp_echo_server, srv);
	CHECK(f != NULL);
	fibril_add_ready(f);
	CHECK_RC(sock_open(NET_SOCK_DGRAM, &cli), EOK);
	static uint8_t out[1472], in[2048];
	sock_addr_t to = {LO, 7}, from;
	for (size_t len = 1; len <= sizeof(out); len++) {
		fill(out, len, (unsigned) len);
		CHECK_RC(sock_sendto(cli, out, len, &to), EOK);
		size_t n;
		CHECK_RC(sock_recvfrom(cli, in, sizeof(in), &n, &from, IO_TIMEOUT), EOK);
		CHECK(n == len && memcmp(in, out, len) == 0);
		CHECK(from.addr == LO && from.port == 7);
	}
	sock_close(cli);
}

static void test_icmp_echo_over_loopback_comes_back(void)
{
	sock_t *s;
	CHECK_RC(sock_open(NET_SOCK_ICMP, &s), EOK);
	static uint8_t out[1000], in[1100];
	fill(out, sizeof(out), 5);
	sock_addr_t to = {LO, 42}, from;
	CHECK_RC(sock_sendto(s, out, sizeof(out), &to), EOK);
	size_t n;
	CHECK_RC(sock_recvfrom(s, in, sizeof(in), &n, &from, IO_TIMEOUT), EOK);
	CHECK(n == sizeof(out) && memcmp(in, out, n) == 0);
	CHECK(from.addr == LO && from.port == 42);
	sock_close(s);
}

static void test_ports_in_use_and_closed_ports_are_refused(void)
{
	sock_t *a, *b;
	CHECK_RC(sock_open(NET_SOCK_DGRAM, &a), EOK);
	CHECK_RC(sock_open(NET_SOCK_DGRAM, &b), EOK);
	CHECK_RC(sock_bind(a, 0, 5000, false, NULL), EOK);
	CHECK_RC(sock_bind(b, LO, 5000, false, NULL), EADDRINUSE);
	sock_close(a);
	CHECK_RC(sock_bind(b, LO, 5000, false, NULL), EOK);
	sock_close(b);
	sock_t *s;
	CHECK_RC(sock_open(NET_SOCK_STREAM, &s), EOK);
	CHECK_RC(sock_connect(s, LO, 9, IO_TIMEOUT), EREFUSED);
	sock_close(s);
	CHECK_RC(sock_open(NET_SOCK_STREAM, &s), EOK);
	CHECK_RC(sock_connect(s, IPV4_ADDR(192, 0, 2, 1), 80, IO_TIMEOUT), EADDRNOTAVAIL);
	sock_close(s);
	/* A UDP datagram to a closed port is dropped and counted. */
	net_stat_t before, after;
	CHECK_RC(net_get_stats(&before), EOK);
	CHECK_RC(sock_open(NET_SOCK_DGRAM, &s), EOK);
	sock_addr_t to = {LO, 9};
	CHECK_RC(sock_sendto(s, "x", 1, &to), EOK);
	sock_close(s);
	CHECK_RC(net_get_stats(&after), EOK);
	CHECK(
	    after.drops[NET_DROP_UDP_NO_PORT] == before.drops[NET_DROP_UDP_NO_PORT] + 1);
}

/** Connections to or from the echo port (this test's own; other tasks'
 * sockets, such as websrv's, open and close on their own schedule) not
 * waiting out TIME_WAIT, from the server's list. */
static errno_t live_sockets(size_t *live, size_t *time_wait)
{
	static net_sock_info_t list[1024];
	size_t n;
	errno_t rc = net_get_sockets(list, 1024, &n);
	*live = *time_wait = 0;
	for (size_t i = 0; i < n; i++) {
		if (list[i].type != NET_SOCK_STREAM ||
		    (list[i].lport != 7 && list[i].rport != 7))
			continue;
		if (list[i].state == TCP_TIME_WAIT)
			(*time_wait)++;
		else
			(*live)++;
	}
	return rc;
}

static void test_a_thousand_connections_leak_no_socket_or_memory(void)
{
	net_stat_t before, after;
	size_t live_before, tw_before, live, tw;
	CHECK_RC(net_get_stats(&before), EOK);
	CHECK_RC(live_sockets(&live_before, &tw_before), EOK);
	for (int i = 0; i < 1000; i++) {
		sock_t *s;
		CHECK_RC(sock_open(NET_SOCK_STREAM, &s), EOK);
		errno_t rc = sock_connect(s, LO, 7, IO_TIMEOUT);
		uint8_t b = (uint8_t) i, back = 0;
		size_t n = 0;
		if (rc == EOK)
			rc = sock_send_all(s, &b, 1, IO_TIMEOUT);
		if (rc == EOK)
			rc = sock_recv(s, &back, 1, &n, IO_TIMEOUT);
		sock_close(s);
		CHECK_RC(rc, EOK);
		CHECK(n == 1 && back == b);
	}
	/* Every connection closes; those that closed first wait out
	 * TIME_WAIT without buffers, holding only their records. */
	for (int i = 0; i < 500; i++) {
		CHECK_RC(live_sockets(&live, &tw), EOK);
		if (live <= live_before)
			break;
		fibril_usleep(10000);
	}
	CHECK_RC(net_get_stats(&after), EOK);
	EXPECT(live == live_before, "%zu sockets live, %zu before", live, live_before);
	EXPECT(tw <= 1000 + tw_before, "%zu in TIME_WAIT", tw);
	/* sock_t and tcp_conn_t per TIME_WAIT record, a little slack. */
	uint64_t allowed = before.heap_blocks + 2 * (tw - tw_before) + 32;
	EXPECT(after.heap_blocks <= allowed, "heap blocks %lu, at most %lu",
	    (unsigned long) after.heap_blocks, (unsigned long) allowed);
}

/** An IPv4 packet from @a src to 127.0.0.1 around @a payload into @a buf. */
static size_t ip_packet(uint8_t *buf, uint32_t src, uint8_t proto, const void *payload,
    size_t len, uint16_t id, uint16_t frag_off, bool mf)
{
	ipv4_hdr_t h = {.ttl = 64,
	    .proto = proto,
	    .id = id,
	    .frag_off = frag_off,
	    .more_frags = mf,
	    .src = src,
	    .dst = LO};
	ipv4_build(buf, &h, len);
	memcpy(buf + IPV4_HDR_LEN, payload, len);
	return IPV4_HDR_LEN + len;
}

/** Injects @a len bytes and checks that drop counter @a reason grew by one. */
static bool dropped_as(const void *pkt, size_t len, net_drop_t reason)
{
	net_stat_t before, after;
	if (net_get_stats(&before) != EOK || net_inject(pkt, len) != EOK ||
	    net_get_stats(&after) != EOK)
		return false;
	if (after.drops[reason] != before.drops[reason] + 1) {
		printf("nettest: %s: %lu -> %lu\n", net_drop_name(reason),
		    (unsigned long) before.drops[reason],
		    (unsigned long) after.drops[reason]);
		return false;
	}
	return true;
}

static void test_malformed_packets_are_dropped_and_counted(void)
{
	static uint8_t pkt[2048], seg[256];
	size_t len = ip_packet(pkt, LO, IP_PROTO_UDP, "12345678", 8, 1, 0, false);
	CHECK(dropped_as(pkt, 10, NET_DROP_IP_SHORT));
	pkt[0] = 0x46; /* 24-byte header, checksum now wrong too: length first */
	CHECK(dropped_as(pkt, len, NET_DROP_IP_CKSUM));
	pkt[0] = 0x43;
	CHECK(dropped_as(pkt, len, NET_DROP_IP_HLEN));
	len = ip_packet(pkt, LO, IP_PROTO_UDP, "12345678", 8, 1, 0, false);
	pkt[10] ^= 0x55;
	CHECK(dropped_as(pkt, len, NET_DROP_IP_CKSUM));
	len = ip_packet(pkt, LO, 99, "x", 1, 1, 0, false);
	CHECK(dropped_as(pkt, len, NET_DROP_IP_PROTO));
	/* UDP with a length past its packet, TCP with a bad checksum. */
	size_t ulen = udp_build(seg, LO, LO, 1000, 7, "hello", 5);
	net_put16(seg + 4, 40);
	len = ip_packet(pkt, LO, IP_PROTO_UDP, seg, ulen, 2, 0, false);
	CHECK(dropped_as(pkt, len, NET_DROP_UDP_LEN));
	tcp_seg_t t = {
	    .src_port = 1000, .dst_port = 7, .seq = 1, .flags = TCP_SYN, .wnd = 100};
	size_t tlen = tcp_build(seg, LO, LO, &t);
	seg[4] ^= 1;
	len = ip_packet(pkt, LO, IP_PROTO_TCP, seg, tlen, 3, 0, false);
	CHECK(dropped_as(pkt, len, NET_DROP_TCP_CKSUM));
	/* A window-scale shift past 14, and the option on a segment without
	 * SYN (RFC 7323 2.2, 2.3): refused before any socket sees them. */
	t.seq = 1;
	t.wscale_ok = true;
	t.wscale = TCP_WSCALE_MAX + 1;
	tlen = tcp_build(seg, LO, LO, &t);
	len = ip_packet(pkt, LO, IP_PROTO_TCP, seg, tlen, 5, 0, false);
	CHECK(dropped_as(pkt, len, NET_DROP_TCP_WSCALE));
	t.wscale = 2;
	t.flags = TCP_ACK;
	tlen = tcp_build(seg, LO, LO, &t);
	len = ip_packet(pkt, LO, IP_PROTO_TCP, seg, tlen, 6, 0, false);
	CHECK(dropped_as(pkt, len, NET_DROP_TCP_WSCALE));
	t.wscale_ok = false;
	t.flags = TCP_SYN;
	/* Overlapping fragments discard their datagram. */
	static uint8_t data[1024];
	len = ip_packet(pkt, LO, IP_PROTO_UDP, data, 512, 77, 0, true);
	CHECK_RC(net_inject(pkt, len), EOK);
	memset(data, 0xee, sizeof(data));
	len = ip_packet(pkt, LO, IP_PROTO_UDP, data, 256, 77, 256, false);
	CHECK(dropped_as(pkt, len, NET_DROP_FRAG_OVERLAP));
	/* A TCP segment for no socket is counted (and answered with a RST,
	 * which goes nowhere from this source). */
	t.flags = TCP_ACK;
	t.dst_port = 9;
	tlen = tcp_build(seg, FOREIGN, LO, &t);
	len = ip_packet(pkt, FOREIGN, IP_PROTO_TCP, seg, tlen, 4, 0, false);
	CHECK(dropped_as(pkt, len, NET_DROP_TCP_NO_SOCKET));
}

static void test_a_syn_flood_fills_only_the_backlog(void)
{
	sock_t *l;
	CHECK_RC(listener(8080, 4, &l), EOK);
	net_stat_t before, after;
	CHECK_RC(net_get_stats(&before), EOK);
	static uint8_t pkt[128], seg[64];
	/* From an address the stack cannot answer: the SYN-ACKs go nowhere and
	 * the half-open connections stay. */
	for (uint16_t i = 0; i < 20; i++) {
		tcp_seg_t t = {.src_port = (uint16_t) (2000 + i),
		    .dst_port = 8080,
		    .seq = i,
		    .flags = TCP_SYN,
		    .wnd = 1000};
		size_t tlen = tcp_build(seg, FOREIGN, LO, &t);
		size_t len = ip_packet(
		    pkt, FOREIGN, IP_PROTO_TCP, seg, tlen, i, 0, false);
		CHECK_RC(net_inject(pkt, len), EOK);
	}
	CHECK_RC(net_get_stats(&after), EOK);
	CHECK(
	    after.drops[NET_DROP_TCP_BACKLOG] == before.drops[NET_DROP_TCP_BACKLOG] + 16);
	sock_close(l);			  /* resets the half-open connections */
	CHECK_RC(echo_once(100, 3), EOK); /* the stack still serves */
}

static void test_a_killed_server_fails_the_transfer_and_a_new_one_serves(void)
{
	sock_t *s;
	CHECK_RC(sock_open(NET_SOCK_STREAM, &s), EOK);
	CHECK_RC(sock_connect(s, LO, 7, IO_TIMEOUT), EOK);
	uint8_t out[4096], in[4096];
	fill(out, sizeof(out), 9);
	CHECK_RC(echo_through(s, out, in, sizeof(out)), EOK);
	CHECK_RC(task_kill(server), EOK);
	task_exit_t exit;
	CHECK_RC(task_wait_task_id(server, TASK_WAIT_EXIT, &exit, NULL), EOK);
	errno_t rc = echo_through(s, out, in, sizeof(out));
	sock_close(s);
	CHECK_RC(rc, EHANGUP);
	sock_close(echo_listener); /* its server is gone too */
	CHECK_RC(start_server(), EOK);
	CHECK_RC(start_echo(), EOK);
	CHECK_RC(echo_once(sizeof(out), 4), EOK);
}

int main(int argc, char *argv[])
{
	int status;
	if (!test_suite_open(argc, argv, "nettest", USAGE, TEST_LIMIT_USEC, &status))
		return status;
	RUN(test_start_server);
	RUN(test_tcp_echo_of_a_mebibyte_comes_back_identical);
	RUN(test_udp_datagrams_of_1_to_1472_bytes_come_back_identical);
	RUN(test_icmp_echo_over_loopback_comes_back);
	RUN(test_ports_in_use_and_closed_ports_are_refused);
	RUN(test_a_thousand_connections_leak_no_socket_or_memory);
	RUN(test_malformed_packets_are_dropped_and_counted);
	RUN(test_a_syn_flood_fills_only_the_backlog);
	RUN(test_a_killed_server_fails_the_transfer_and_a_new_one_serves);
	return test_suite_end();
}
