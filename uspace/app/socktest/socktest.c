/*
 * socktest: libc's POSIX sockets and poll over loopback (boot options
 * testinit=ns,vfs,tmpfs testtask=socktest), in testsuite.h's format: each
 * call and its errors (bad descriptors, wrong states, ports in use, refused
 * connections, timeouts), poll over sockets and files; then the programs
 * on top of them, websrv and nc (websrv_tests.c).
 *
 * Timeouts are checked for their error and for having waited at least
 * their length, which holds under any load; nothing asserts an upper bound.
 */
#include "socktest.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <task.h>
#include <time.h>
#include <unistd.h>
#include <vfs.h>

#define USAGE		"(a test program; make test boots it with testtask=socktest)"
#define TEST_LIMIT_USEC 300000000
#define SHORT_MS	50

struct sockaddr_in sa_lo(uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

int tcp_listener(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	struct sockaddr_in a = sa_lo(port);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *) &a, sizeof(a)) != 0 || listen(fd, 16) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int tcp_connect_lo(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = sa_lo(port);
	if (fd >= 0 && connect(fd, (struct sockaddr *) &a, sizeof(a)) != 0) {
		errno_t e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/** A connected pair over a listener on @a port: *@a c the client's end,
 *  *@a s the server's; the listener is closed. */
static errno_t tcp_pair(uint16_t port, int *c, int *s)
{
	int l = tcp_listener(port);
	if (l < 0)
		return errno;
	*c = tcp_connect_lo(port);
	errno_t rc = *c < 0 ? errno : EOK;
	*s = rc == EOK ? accept(l, NULL, NULL) : -1;
	if (rc == EOK && *s < 0) {
		rc = errno;
		close(*c);
	}
	close(l);
	return rc;
}

static int udp_bound(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = sa_lo(port);
	if (fd >= 0 && bind(fd, (struct sockaddr *) &a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

uint64_t now_ms(void)
{
	return clock_ns() / 1000000;
}

static void set_timeout(int fd, int name, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	DISCARD(checked_later, setsockopt(fd, SOL_SOCKET, name, &tv, sizeof(tv)));
}

/* The calls */

static void test_a_tcp_pair_exchanges_data_and_names_both_ends(void)
{
	int l = tcp_listener(5001);
	CHECK(l >= SOCK_FD_BASE);
	int c = tcp_connect_lo(5001);
	CHECK(c >= 0);
	struct sockaddr_in peer;
	socklen_t plen = sizeof(peer);
	int s = accept(l, (struct sockaddr *) &peer, &plen);
	CHECK(s >= 0);
	CHECK(plen == sizeof(peer) && peer.sin_family == AF_INET);
	CHECK(peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	struct sockaddr_in cname, speer;
	socklen_t len = sizeof(cname);
	CHECK(getsockname(c, (struct sockaddr *) &cname, &len) == 0);
	CHECK(cname.sin_port == peer.sin_port);
	len = sizeof(speer);
	CHECK(getpeername(c, (struct sockaddr *) &speer, &len) == 0);
	CHECK(speer.sin_port == htons(5001));
	CHECK(send(c, "ping", 4, 0) == 4);
	char buf[16];
	CHECK(recv(s, buf, sizeof(buf), 0) == 4 && memcmp(buf, "ping", 4) == 0);
	CHECK(write(s, "pong!", 5) == 5); /* the file calls work on sockets too */
	CHECK(read(c, buf, sizeof(buf)) == 5 && memcmp(buf, "pong!", 5) == 0);
	CHECK(shutdown(c, SHUT_WR) == 0);
	CHECK(recv(s, buf, sizeof(buf), 0) == 0); /* the FIN: the end */
	CHECK(close(s) == 0 && close(c) == 0 && close(l) == 0);
}

static void test_udp_datagrams_carry_their_sender(void)
{
	int a = udp_bound(5002), b = udp_bound(5003);
	CHECK(a >= 0 && b >= 0);
	struct sockaddr_in to = sa_lo(5003), from;
	CHECK(sendto(a, "datagram", 8, 0, (struct sockaddr *) &to, sizeof(to)) == 8);
	char buf[32];
	socklen_t flen = sizeof(from);
	CHECK(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *) &from, &flen) == 8);
	CHECK(memcmp(buf, "datagram", 8) == 0 && from.sin_port == htons(5002));
	/* A connected datagram socket sends with send() to its peer. */
	CHECK(connect(b, (struct sockaddr *) &from, flen) == 0);
	CHECK(send(b, "back", 4, 0) == 4);
	CHECK(recv(a, buf, sizeof(buf), 0) == 4 && memcmp(buf, "back", 4) == 0);
	CHECK(close(a) == 0 && close(b) == 0);
}

static void test_inet_text_addresses_round_trip(void)
{
	struct in_addr a;
	CHECK(inet_pton(AF_INET, "10.0.2.15", &a) == 1);
	CHECK(a.s_addr == htonl(0x0a00020f));
	CHECK(inet_pton(AF_INET, "10.0.2", &a) == 0);
	CHECK(inet_pton(AF_INET, "300.1.1.1", &a) == 0);
	char text[INET_ADDRSTRLEN];
	a.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(inet_ntop(AF_INET, &a, text, sizeof(text)) != NULL);
	CHECK(strcmp(text, "127.0.0.1") == 0);
	CHECK(inet_ntop(AF_INET, &a, text, 5) == NULL && errno == ENOSPC);
	CHECK(inet_addr("1.2.3.4") == htonl(0x01020304));
	CHECK(inet_addr("nonsense") == INADDR_NONE);
}

/** getaddrinfo on @a node and @a service with @a hints: 0 and the first
 *  entry's address and port (host order) in *@a addr and *@a port. */
static int lookup(const char *node, const char *service, const struct addrinfo *hints,
    uint32_t *addr, uint16_t *port, size_t *count)
{
	struct addrinfo *res;
	int err = getaddrinfo(node, service, hints, &res);
	if (err != 0)
		return err;
	const struct sockaddr_in *sin = (const struct sockaddr_in *) res->ai_addr;
	*addr = ntohl(sin->sin_addr.s_addr);
	*port = ntohs(sin->sin_port);
	*count = 0;
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
		(*count)++;
	freeaddrinfo(res);
	return 0;
}

static void test_getaddrinfo_finds_hosts_names_and_numbers(void)
{
	uint32_t addr;
	uint16_t port;
	size_t n;
	CHECK(lookup("localhost", "80", NULL, &addr, &port, &n) == 0);
	CHECK(addr == INADDR_LOOPBACK && port == 80 && n == 2); /* TCP and UDP */
	struct addrinfo tcp = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
	CHECK(lookup("10.0.2.15", "7", &tcp, &addr, &port, &n) == 0);
	CHECK(addr == 0x0a00020f && port == 7 && n == 1);
	struct addrinfo passive = {.ai_flags = AI_PASSIVE, .ai_socktype = SOCK_DGRAM};
	CHECK(lookup(NULL, "53", &passive, &addr, &port, &n) == 0 && addr == INADDR_ANY);
	CHECK(lookup(NULL, "53", &tcp, &addr, &port, &n) == 0 && addr == INADDR_LOOPBACK);
	struct addrinfo canon = {.ai_flags = AI_CANONNAME}, *res;
	CHECK(getaddrinfo("loopback", NULL, &canon, &res) == 0);
	CHECK(res->ai_canonname != NULL && strcmp(res->ai_canonname, "loopback") == 0);
	CHECK(res->ai_next->ai_canonname == NULL);
	/* Usable as they come: a connection to the name's address. */
	struct addrinfo *ai;
	CHECK(getaddrinfo("localhost", "5060", &tcp, &ai) == 0);
	int l = tcp_listener(5060),
	    c = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	CHECK(l >= 0 && c >= 0 && connect(c, ai->ai_addr, ai->ai_addrlen) == 0);
	CHECK(close(c) == 0 && close(l) == 0);
	freeaddrinfo(ai);
	freeaddrinfo(res);
}

static void test_getaddrinfo_refuses_what_it_cannot_resolve(void)
{
	uint32_t addr;
	uint16_t port;
	size_t n;
	struct addrinfo numeric = {.ai_flags = AI_NUMERICHOST};
	CHECK(lookup("no-such-host", "80", NULL, &addr, &port, &n) == EAI_NONAME);
	CHECK(lookup("localhost", "80", &numeric, &addr, &port, &n) == EAI_NONAME);
	CHECK(lookup(NULL, NULL, NULL, &addr, &port, &n) == EAI_NONAME);
	CHECK(lookup("localhost", "http", NULL, &addr, &port, &n) == EAI_SERVICE);
	CHECK(lookup("localhost", "65536", NULL, &addr, &port, &n) == EAI_SERVICE);
	struct addrinfo h = {.ai_family = 10 /* AF_INET6 elsewhere */};
	CHECK(lookup("localhost", "80", &h, &addr, &port, &n) == EAI_FAMILY);
	h = (struct addrinfo){.ai_socktype = 5};
	CHECK(lookup("localhost", "80", &h, &addr, &port, &n) == EAI_SOCKTYPE);
	h = (struct addrinfo){.ai_flags = 0x4000};
	CHECK(lookup("localhost", "80", &h, &addr, &port, &n) == EAI_BADFLAGS);
	CHECK(strcmp(gai_strerror(EAI_NONAME), "unknown host") == 0);
	CHECK(strcmp(gai_strerror(-5), "unknown error") == 0);
}

static void test_gethostbyname_finds_names_and_sets_h_errno(void)
{
	struct hostent *he = gethostbyname("loopback");
	CHECK(he != NULL && he->h_addrtype == AF_INET && he->h_length == 4);
	CHECK(strcmp(he->h_name, "loopback") == 0 && he->h_addr_list[1] == NULL);
	CHECK(*(const uint32_t *) he->h_addr == htonl(INADDR_LOOPBACK));
	he = gethostbyname("10.1.2.3");
	CHECK(he != NULL && *(const uint32_t *) he->h_addr == htonl(0x0a010203));
	h_errno = 0;
	CHECK(gethostbyname("no-such-host") == NULL && h_errno == HOST_NOT_FOUND);
	CHECK(gethostbyname(NULL) == NULL && h_errno == HOST_NOT_FOUND);
}

static void test_msg_peek_leaves_the_data_for_the_next_receive(void)
{
	int c, s;
	CHECK_RC(tcp_pair(5070, &c, &s), EOK);
	char b[16];
	CHECK(send(s, "hello", 5, 0) == 5);
	CHECK(recv(c, b, 3, MSG_PEEK) == 3 && memcmp(b, "hel", 3) == 0);
	CHECK(recv(c, b, sizeof(b), MSG_PEEK) == 5 && memcmp(b, "hello", 5) == 0);
	CHECK(recv(c, b, sizeof(b), 0) == 5 && memcmp(b, "hello", 5) == 0);
	CHECK(recv(c, b, sizeof(b), MSG_PEEK | MSG_DONTWAIT) == -1 && errno == EAGAIN);
	int u = udp_bound(5071), v = udp_bound(5072);
	struct sockaddr_in to = sa_lo(5071), from;
	socklen_t flen = sizeof(from);
	CHECK(sendto(v, "dgram", 5, 0, (struct sockaddr *) &to, sizeof(to)) == 5);
	CHECK(recvfrom(u, b, sizeof(b), MSG_PEEK, (struct sockaddr *) &from, &flen) == 5);
	CHECK(ntohs(from.sin_port) == 5072 && memcmp(b, "dgram", 5) == 0);
	CHECK(
	    recvfrom(u, b, sizeof(b), 0, NULL, NULL) == 5 && memcmp(b, "dgram", 5) == 0);
	CHECK(recvfrom(u, b, sizeof(b), MSG_PEEK | MSG_DONTWAIT, NULL, NULL) == -1 &&
	    errno == EAGAIN);
	CHECK(close(u) == 0 && close(v) == 0 && close(c) == 0 && close(s) == 0);
}

/** Sets O_NONBLOCK on @a fd the POSIX way; whether F_GETFL shows it. */
static bool set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && (fl & O_NONBLOCK) == 0 &&
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 &&
	    (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

static void test_o_nonblock_calls_fail_with_eagain_instead_of_waiting(void)
{
	int c, s;
	CHECK_RC(tcp_pair(5073, &c, &s), EOK);
	CHECK(set_nonblock(c) && set_nonblock(s));
	char b[4];
	CHECK(recv(c, b, sizeof(b), 0) == -1 && errno == EAGAIN);
	CHECK(read(c, b, sizeof(b)) == -1 && errno == EAGAIN);
	/* A peer that never reads: sends take what fits, then EAGAIN. */
	static char chunk[16384];
	ssize_t n = 0;
	for (int i = 0; i < 64 && n >= 0; i++)
		n = send(c, chunk, sizeof(chunk), 0);
	CHECK(n == -1 && errno == EAGAIN);
	int l = tcp_listener(5074);
	CHECK(l >= 0 && set_nonblock(l));
	CHECK(accept(l, NULL, NULL) == -1 && errno == EAGAIN);
	CHECK(fcntl(c, F_SETFL, 0) == 0 && (fcntl(c, F_GETFL) & O_NONBLOCK) == 0);
	CHECK(fcntl(c, 99) == -1 && errno == EINVAL);
	CHECK(fcntl(SOCK_FD_BASE + SOCK_FDS_MAX - 1, F_GETFL) == -1 && errno == EBADF);
	CHECK(fcntl(-1, F_GETFL) == -1 && errno == EBADF);
	int f = open("/tmp/socktest-fcntl", O_CREAT | O_RDWR);
	CHECK(f >= 0 && fcntl(f, F_GETFL) == -1 && errno == ENOTSUP);
	CHECK(close(f) == 0 && close(l) == 0 && close(c) == 0 && close(s) == 0);
}

static void test_a_non_blocking_connect_gives_einprogress_and_completes(void)
{
	int l = tcp_listener(5075), c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0 && c >= 0 && set_nonblock(c));
	struct sockaddr_in a = sa_lo(5075);
	CHECK(
	    connect(c, (struct sockaddr *) &a, sizeof(a)) == -1 && errno == EINPROGRESS);
	struct pollfd p = {.fd = c, .events = POLLOUT};
	CHECK(poll(&p, 1, 10000) == 1 && (p.revents & POLLOUT) != 0);
	int err = -1;
	socklen_t len = sizeof(err);
	CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0);
	CHECK(connect(c, (struct sockaddr *) &a, sizeof(a)) == -1 && errno == EISCONN);
	int s = accept(l, NULL, NULL);
	char b[4];
	CHECK(s >= 0 && send(c, "abc", 3, 0) == 3 && recv(s, b, sizeof(b), 0) == 3);
	/* To a port without a listener: the failure comes through poll and
	 * SO_ERROR. */
	int r = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in none = sa_lo(5076);
	CHECK(r >= 0 && set_nonblock(r));
	CHECK(connect(r, (struct sockaddr *) &none, sizeof(none)) == -1 &&
	    errno == EINPROGRESS);
	p = (struct pollfd){.fd = r, .events = POLLOUT};
	CHECK(poll(&p, 1, 10000) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0);
	CHECK(
	    getsockopt(r, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == ECONNREFUSED);
	CHECK(close(r) == 0 && close(s) == 0 && close(c) == 0 && close(l) == 0);
}

/* Errors */

/** Every call on @a fd fails with @a err. */
static int calls_fail_with(int fd, errno_t err)
{
	struct sockaddr_in a = sa_lo(1);
	socklen_t len = sizeof(a);
	char b[4];
	int one = 1;
	int failed = 0;
#define EXPECT_ERR(call) \
	do { \
		errno = EOK; \
		if ((call) != -1 || errno != err) { \
			printf("socktest: %s on %d: errno %s\n", #call, fd, \
			    str_error(errno)); \
			failed++; \
		} \
	} while (0)
	EXPECT_ERR(bind(fd, (struct sockaddr *) &a, len));
	EXPECT_ERR(listen(fd, 1));
	EXPECT_ERR(accept(fd, NULL, NULL));
	EXPECT_ERR(connect(fd, (struct sockaddr *) &a, len));
	EXPECT_ERR(send(fd, b, 1, 0));
	EXPECT_ERR(recv(fd, b, 1, 0));
	EXPECT_ERR(sendto(fd, b, 1, 0, (struct sockaddr *) &a, len));
	EXPECT_ERR(recvfrom(fd, b, 1, 0, NULL, NULL));
	EXPECT_ERR(shutdown(fd, SHUT_RDWR));
	EXPECT_ERR(getsockname(fd, (struct sockaddr *) &a, &len));
	EXPECT_ERR(getpeername(fd, (struct sockaddr *) &a, &len));
	EXPECT_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
#undef EXPECT_ERR
	return failed;
}

static void test_bad_descriptors_give_ebadf_and_files_enotsock(void)
{
	CHECK(calls_fail_with(-1, EBADF) == 0);
	CHECK(calls_fail_with(SOCK_FD_BASE + SOCK_FDS_MAX, EBADF) == 0);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(s >= 0 && close(s) == 0);
	CHECK(calls_fail_with(s, EBADF) == 0); /* closed */
	CHECK(close(s) == -1 && errno == EBADF);
	int f = open("/tmp/notasocket", O_CREAT | O_RDWR);
	CHECK(f >= 0);
	CHECK(calls_fail_with(f, ENOTSOCK) == 0);
	CHECK(close(f) == 0);
}

static void test_bad_arguments_are_refused(void)
{
	CHECK(socket(AF_UNSPEC, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
	CHECK(socket(AF_INET, 77, 0) == -1 && errno == EPROTONOSUPPORT);
	CHECK(
	    socket(AF_INET, SOCK_STREAM, IPPROTO_UDP) == -1 && errno == EPROTONOSUPPORT);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0);
	struct sockaddr_in a = sa_lo(5010);
	a.sin_family = AF_UNSPEC;
	CHECK(bind(s, (struct sockaddr *) &a, sizeof(a)) == -1 && errno == EAFNOSUPPORT);
	a.sin_family = AF_INET;
	CHECK(bind(s, (struct sockaddr *) &a, 4) == -1 && errno == EINVAL);
	int one = 1;
	CHECK(setsockopt(s, SOL_SOCKET, 999, &one, sizeof(one)) == -1 &&
	    errno == ENOPROTOOPT);
	CHECK(setsockopt(s, 6, SO_REUSEADDR, &one, sizeof(one)) == -1 &&
	    errno == ENOPROTOOPT);
	struct timeval bad = {0, 1000000};
	CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &bad, sizeof(bad)) == -1 &&
	    errno == EINVAL);
	CHECK(sendto(s, "x", 1, 0, NULL, 0) == -1 && errno == EDESTADDRREQ);
	static char big[65508];
	a = sa_lo(5011);
	CHECK(sendto(s, big, sizeof(big), 0, (struct sockaddr *) &a, sizeof(a)) == -1 &&
	    errno == EMSGSIZE);
	CHECK(listen(s, 1) == -1 && errno == EOPNOTSUPP);
	CHECK(close(s) == 0);
}

static void test_calls_in_the_wrong_state_are_refused(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(s >= 0);
	char b[4];
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	CHECK(send(s, "x", 1, 0) == -1 && errno == ENOTCONN);
	CHECK(recv(s, b, 1, 0) == -1 && errno == ENOTCONN);
	CHECK(getpeername(s, (struct sockaddr *) &a, &len) == -1 && errno == ENOTCONN);
	CHECK(shutdown(s, SHUT_WR) == -1 && errno == ENOTCONN);
	CHECK(listen(s, 1) == -1 && errno == EDESTADDRREQ);    /* not bound */
	CHECK(accept(s, NULL, NULL) == -1 && errno == EINVAL); /* not listening */
	a = sa_lo(5012);
	CHECK(bind(s, (struct sockaddr *) &a, sizeof(a)) == 0);
	CHECK(bind(s, (struct sockaddr *) &a, sizeof(a)) == -1 && errno == EINVAL);
	CHECK(shutdown(s, 7) == -1 && errno == EINVAL);
	CHECK(close(s) == 0);
	int c, srv;
	CHECK_RC(tcp_pair(5013, &c, &srv), EOK);
	a = sa_lo(5013);
	CHECK(connect(c, (struct sockaddr *) &a, sizeof(a)) == -1 && errno == EISCONN);
	CHECK(close(c) == 0 && close(srv) == 0);
}

static void test_a_port_in_use_gives_eaddrinuse(void)
{
	int l = tcp_listener(5020);
	CHECK(l >= 0);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	struct sockaddr_in a = sa_lo(5020);
	CHECK(s >= 0);
	CHECK(bind(s, (struct sockaddr *) &a, sizeof(a)) == -1 && errno == EADDRINUSE);
	/* SO_REUSEADDR does not share a port a listener holds. */
	CHECK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK(bind(s, (struct sockaddr *) &a, sizeof(a)) == -1 && errno == EADDRINUSE);
	int u1 = udp_bound(5021);
	CHECK(u1 >= 0);
	CHECK(udp_bound(5021) == -1 && errno == EADDRINUSE);
	CHECK(close(u1) == 0);
	int u2 = udp_bound(5021); /* free again once closed */
	CHECK(u2 >= 0 && close(u2) == 0);
	CHECK(close(s) == 0 && close(l) == 0);
}

static void test_a_port_without_listener_gives_econnrefused(void)
{
	CHECK(tcp_connect_lo(5030) == -1 && errno == ECONNREFUSED);
	int l = tcp_listener(5031);
	CHECK(l >= 0 && close(l) == 0);
	CHECK(tcp_connect_lo(5031) == -1 && errno == ECONNREFUSED); /* closed listener */
}

static void test_a_peer_that_resets_gives_econnreset(void)
{
	int c, s;
	CHECK_RC(tcp_pair(5032, &c, &s), EOK);
	CHECK(send(c, "unread", 6, 0) == 6);
	char b[8];
	struct pollfd p = {s, POLLIN, 0};
	CHECK(poll(&p, 1, -1) == 1); /* the data arrived */
	CHECK(close(s) == 0);	     /* closing with unread data resets */
	p = (struct pollfd){c, POLLIN, 0};
	CHECK(poll(&p, 1, -1) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0);
	CHECK(recv(c, b, sizeof(b), 0) == -1 && errno == ECONNRESET);
	CHECK(close(c) == 0);
}

/* Timeouts */

static void test_receive_timeouts_give_eagain_after_their_time(void)
{
	int c, s;
	CHECK_RC(tcp_pair(5040, &c, &s), EOK);
	set_timeout(c, SO_RCVTIMEO, SHORT_MS);
	struct timeval tv;
	socklen_t len = sizeof(tv);
	CHECK(getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0);
	CHECK(tv.tv_sec == 0 && tv.tv_usec == SHORT_MS * 1000);
	char b[4];
	uint64_t t0 = now_ms();
	CHECK(recv(c, b, sizeof(b), 0) == -1 && errno == EWOULDBLOCK);
	CHECK(now_ms() - t0 >= SHORT_MS);
	CHECK(recv(s, b, sizeof(b), MSG_DONTWAIT) == -1 && errno == EAGAIN);
	CHECK(send(s, "ok", 2, 0) == 2);
	CHECK(recv(c, b, sizeof(b), 0) == 2); /* data still comes */
	int l = tcp_listener(5041);
	CHECK(l >= 0);
	set_timeout(l, SO_RCVTIMEO, SHORT_MS);
	t0 = now_ms();
	CHECK(accept(l, NULL, NULL) == -1 && errno == EAGAIN);
	CHECK(now_ms() - t0 >= SHORT_MS);
	int u = udp_bound(5042);
	set_timeout(u, SO_RCVTIMEO, SHORT_MS);
	CHECK(recvfrom(u, b, sizeof(b), 0, NULL, NULL) == -1 && errno == EAGAIN);
	CHECK(close(u) == 0 && close(l) == 0 && close(c) == 0 && close(s) == 0);
}

static void test_a_send_to_a_peer_that_never_reads_times_out(void)
{
	int c, s;
	CHECK_RC(tcp_pair(5043, &c, &s), EOK);
	set_timeout(c, SO_SNDTIMEO, SHORT_MS);
	static char chunk[8192];
	size_t sent = 0;
	ssize_t n;
	/* Both buffers and the window fill; then a send waits and gives up. */
	while ((n = send(c, chunk, sizeof(chunk), 0)) > 0 && sent < (1u << 24))
		sent += (size_t) n;
	CHECK(n == -1 && errno == EAGAIN);
	CHECK(sent >= 8192);
	CHECK(close(c) == 0 && close(s) == 0);
}

/* poll */

static void test_poll_waits_for_the_socket_that_becomes_ready(void)
{
	int l = tcp_listener(5050);
	CHECK(l >= 0);
	struct pollfd p[3] = {
	    {l, POLLIN, 0}, {-1, POLLIN, 0}, {SOCK_FD_BASE + 200, POLLIN, 0}};
	uint64_t t0 = now_ms();
	CHECK(poll(p, 2, SHORT_MS) == 0 && p[0].revents == 0);
	CHECK(now_ms() - t0 >= SHORT_MS);
	CHECK(poll(p, 3, 0) == 1 && p[2].revents == POLLNVAL); /* no such socket */
	int c = tcp_connect_lo(5050);
	CHECK(c >= 0);
	CHECK(poll(p, 2, -1) == 1 && p[0].revents == POLLIN && p[1].revents == 0);
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0);
	struct pollfd q[2] = {{c, POLLIN, 0}, {s, POLLIN | POLLOUT, 0}};
	CHECK(poll(q, 2, -1) == 1 && q[0].revents == 0 && q[1].revents == POLLOUT);
	q[1].events = POLLIN;
	CHECK(send(c, "x", 1, 0) == 1);
	CHECK(poll(q, 2, -1) == 1 && q[1].revents == POLLIN);
	CHECK(close(c) == 0);
	char b[4];
	CHECK(recv(s, b, sizeof(b), 0) == 1);
	CHECK(poll(&q[1], 1, -1) == 1 && (q[1].revents & (POLLIN | POLLHUP)) != 0);
	CHECK(recv(s, b, sizeof(b), 0) == 0);
	CHECK(close(s) == 0 && close(l) == 0);
}

static void test_poll_sees_files_ready_and_closed_ones_invalid(void)
{
	int f = open("/tmp/pollfile", O_CREAT | O_RDWR);
	CHECK(f >= 0);
	int u = udp_bound(5051);
	CHECK(u >= 0);
	struct pollfd p[2] = {{f, POLLIN | POLLOUT, 0}, {u, POLLIN, 0}};
	CHECK(poll(p, 2, -1) == 1 && p[0].revents == (POLLIN | POLLOUT) &&
	    p[1].revents == 0);
	CHECK(close(f) == 0);
	CHECK(poll(p, 1, 0) == 1 && p[0].revents == POLLNVAL);
	CHECK(close(u) == 0);
	p[1].fd = u; /* closed socket */
	CHECK(poll(&p[1], 1, 0) == 1 && p[1].revents == POLLNVAL);
	CHECK(poll(NULL, 0, 1) == 0);
}

static void test_a_socket_works_as_a_stdio_stream(void)
{
	int c, s;
	CHECK_RC(tcp_pair(5052, &c, &s), EOK);
	FILE *out = fdopen(c, "w");
	FILE *in = fdopen(s, "r");
	CHECK(out != NULL && in != NULL);
	CHECK(fprintf(out, "line %d\n", 42) > 0 && fflush(out) == 0);
	char line[32];
	CHECK(fgets(line, sizeof(line), in) != NULL && strcmp(line, "line 42\n") == 0);
	CHECK(fclose(out) == 0 && fclose(in) == 0);
}

static void test_a_thousand_sockets_opened_and_closed_leave_the_table_free(void)
{
	for (int i = 0; i < 1000; i++) {
		int s = socket(AF_INET, i % 2 ? SOCK_DGRAM : SOCK_STREAM, 0);
		CHECK(s >= SOCK_FD_BASE && close(s) == 0);
	}
	int fds[SOCK_FDS_MAX];
	int n = 0;
	while (n < SOCK_FDS_MAX && (fds[n] = socket(AF_INET, SOCK_DGRAM, 0)) >= 0)
		n++;
	int full = n == SOCK_FDS_MAX ? socket(AF_INET, SOCK_DGRAM, 0) : 0;
	errno_t err = errno;
	for (int i = 0; i < n; i++)
		close(fds[i]);
	EXPECT(n == SOCK_FDS_MAX, "%d sockets, then %s", n, str_error(err));
	CHECK(n == SOCK_FDS_MAX);
	CHECK(full == -1 && err == ELIMIT);
}

static void test_start_server(void)
{
	CHECK_RC(
	    vfs_mount("/", "tmpfs", "archive=rootfs", VFS_MOUNT_WAIT | VFS_MOUNT_RDONLY),
	    EOK);
	CHECK_RC(vfs_mount("/tmp", "tmpfs", "", 0), EOK);
	task_id_t server;
	CHECK_RC(test_spawn_server("/srv/netsrv", &server), EOK);
}

int main(int argc, char *argv[])
{
	int status;
	if (!test_suite_open(argc, argv, "socktest", USAGE, TEST_LIMIT_USEC, &status))
		return status;
	RUN(test_start_server);
	RUN(test_a_tcp_pair_exchanges_data_and_names_both_ends);
	RUN(test_udp_datagrams_carry_their_sender);
	RUN(test_inet_text_addresses_round_trip);
	RUN(test_getaddrinfo_finds_hosts_names_and_numbers);
	RUN(test_getaddrinfo_refuses_what_it_cannot_resolve);
	RUN(test_gethostbyname_finds_names_and_sets_h_errno);
	RUN(test_bad_descriptors_give_ebadf_and_files_enotsock);
	RUN(test_bad_arguments_are_refused);
	RUN(test_calls_in_the_wrong_state_are_refused);
	RUN(test_a_port_in_use_gives_eaddrinuse);
	RUN(test_a_port_without_listener_gives_econnrefused);
	RUN(test_a_peer_that_resets_gives_econnreset);
	RUN(test_receive_timeouts_give_eagain_after_their_time);
	RUN(test_a_send_to_a_peer_that_never_reads_times_out);
	RUN(test_msg_peek_leaves_the_data_for_the_next_receive);
	RUN(test_o_nonblock_calls_fail_with_eagain_instead_of_waiting);
	RUN(test_a_non_blocking_connect_gives_einprogress_and_completes);
	RUN(test_poll_waits_for_the_socket_that_becomes_ready);
	RUN(test_poll_sees_files_ready_and_closed_ones_invalid);
	RUN(test_a_socket_works_as_a_stdio_stream);
	RUN(test_a_thousand_sockets_opened_and_closed_leave_the_table_free);
	websrv_tests_run();

	return test_suite_end();
}
