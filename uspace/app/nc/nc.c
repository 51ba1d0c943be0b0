/*
 * nc: stdin to a TCP or UDP peer and the peer to stdout (docs/network.md).
 * Connects to HOST PORT (HOST looked up by getaddrinfo), or with -l waits
 * for one peer on PORT. Written on
 * the POSIX socket calls.
 *
 * A socket serves one call at a time (sock.h), so one fibril, the pump,
 * makes every call on it: it polls the socket, receives what came and
 * sends what the stdin fibril queued. The stdin fibril only reads stdin
 * (through the VFS) into the queue. TCP: the end of stdin sends a FIN, and
 * nc ends when the peer's stream ends. UDP: each read of stdin is one
 * datagram; a listener answers whoever sent the first one; nc ends -w
 * seconds after stdin ended with nothing more received (never without -w).
 */
#include <errno.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define USAGE	     "[-u] [-w SECONDS] HOST PORT | -l [-u] [-w SECONDS] PORT"
#define CHUNK	     32768 /* fewer, larger calls: each costs IPC round trips */
#define QUEUE_MAX    (2 * CHUNK)
#define DGRAMS_MAX   64
#define IDLE_POLL_MS 20

typedef struct {
	bool listen, udp;
	unsigned wait_sec; /* 0: none */
	const char *host;
	uint16_t port;
} nc_opts_t;

/* What stdin gave and the pump has not sent yet; guarded by queue_lock. */
static FIBRIL_MUTEX_INITIALIZE(queue_lock);
static FIBRIL_CONDVAR_INITIALIZE(queue_room);
static char queue[QUEUE_MAX];
static size_t queue_len;
static size_t queue_dgram[DGRAMS_MAX]; /* the reads' lengths (UDP: datagrams) */
static size_t queue_dgrams;
static bool stdin_done;
static errno_t stdin_error;

/** Reads stdin into the queue until its end. */
static errno_t stdin_fibril(void *arg)
{
	int fd = fileno(stdin);
	static char buf[CHUNK]; /* this fibril's only: off its small stack */
	for (;;) {
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : 0;
		fibril_mutex_lock(&queue_lock);
		if (n <= 0) {
			stdin_done = true;
			stdin_error = n < 0 ? errno : EOK;
			fibril_mutex_unlock(&queue_lock);
			return EOK;
		}
		while (queue_len + (size_t) n > QUEUE_MAX || queue_dgrams == DGRAMS_MAX)
			fibril_condvar_wait(&queue_room, &queue_lock);
		memcpy(queue + queue_len, buf, (size_t) n);
		queue_len += (size_t) n;
		queue_dgram[queue_dgrams++] = (size_t) n;
		fibril_mutex_unlock(&queue_lock);
	}
}

/** Drops the lengths of the reads the first @a n queued bytes made up (a
 *  read sent in part keeps the rest of its length). */
static void pop_reads(size_t n)
{
	while (n > 0 && queue_dgrams > 0) {
		size_t take = n < queue_dgram[0] ? n : queue_dgram[0];
		queue_dgram[0] -= take;
		n -= take;
		if (queue_dgram[0] == 0)
			memmove(queue_dgram, queue_dgram + 1,
			    --queue_dgrams * sizeof(size_t));
	}
}

/** Sends from the queue what the socket takes now (UDP: one datagram);
 *  false on a failure. */
static bool pump_send(int fd, bool udp)
{
	fibril_mutex_lock(&queue_lock);
	size_t len = udp ? queue_dgram[0] : queue_len;
	ssize_t n = send(fd, queue, len, MSG_DONTWAIT);
	bool ok = n >= 0 || errno == EAGAIN;
	if (n > 0) {
		memmove(queue, queue + n, queue_len - (size_t) n);
		queue_len -= (size_t) n;
		pop_reads((size_t) n);
		fibril_condvar_broadcast(&queue_room);
	}
	fibril_mutex_unlock(&queue_lock);
	if (!ok)
		fprintf(stderr, "nc: send: %s\n", str_error(errno));
	return ok;
}

/* Received bytes not yet written out: written when no more data waits in
 * the socket, or when another CHUNK would not fit, so a burst of segments
 * costs one write to stdout (a file: VFS and its server) instead of one
 * per recv. The pump fibril's only. */
static char out_buf[2 * CHUNK];
static size_t out_len;

/** Writes out what waits in out_buf; false on a failure. */
static bool out_flush(void)
{
	if (out_len == 0)
		return true;
	bool ok = fwrite(out_buf, 1, out_len, stdout) == out_len && fflush(stdout) == 0;
	out_len = 0;
	return ok;
}

/** Receives what came into out_buf; false at the end of the stream or on
 *  a failure (what came before still waits there). */
static bool pump_recv(int fd)
{
	ssize_t n = recv(fd, out_buf + out_len, sizeof(out_buf) - out_len, MSG_DONTWAIT);
	if (n < 0 && errno == EAGAIN)
		return true;
	if (n < 0)
		fprintf(stderr, "nc: recv: %s\n", str_error(errno));
	if (n <= 0)
		return false;
	out_len += (size_t) n;
	return sizeof(out_buf) - out_len >= CHUNK || out_flush();
}

/** Moves data both ways until the peer's stream ends (TCP) or, stdin
 *  ended, nothing came for -w seconds (UDP). */
static int pump(int fd, const nc_opts_t *o)
{
	bool fin_sent = false;
	uint64_t quiet_since = clock_ns();
	for (;;) {
		fibril_mutex_lock(&queue_lock);
		bool pending = queue_len > 0, eof = stdin_done;
		fibril_mutex_unlock(&queue_lock);
		if (eof && !pending && !o->udp && !fin_sent) {
			fin_sent = true;
			DISCARD(peer_may_be_gone, shutdown(fd, SHUT_WR));
		}
		if (eof && !pending && o->udp && o->wait_sec != 0 &&
		    clock_ns() - quiet_since >= (uint64_t) o->wait_sec * 1000000000)
			return CMD_EXIT_OK;
		/* With output held back, look without waiting: nothing more
		 * there means it is time to write it out. */
		struct pollfd p = {fd, (short) (POLLIN | (pending ? POLLOUT : 0)), 0};
		if (poll(&p, 1, out_len > 0 ? 0 : IDLE_POLL_MS) < 0)
			return cmd_error("nc", "poll", errno);
		if (p.revents == 0 && !out_flush())
			return CMD_EXIT_ERROR;
		if ((p.revents & POLLOUT) != 0 && !pump_send(fd, o->udp))
			return CMD_EXIT_ERROR;
		if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
			quiet_since = clock_ns();
			if (!pump_recv(fd))
				return out_flush() && !o->udp ? CMD_EXIT_OK
							      : CMD_EXIT_ERROR;
		}
	}
}

static void set_wait(int fd, unsigned sec)
{
	struct timeval tv = {(time_t) sec, 0};
	if (sec != 0 &&
	    (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0))
		fprintf(stderr, "nc: timeout: %s\n", str_error(errno));
}

/** -l: the socket of the one peer (TCP: accepted; UDP: connected to the
 *  sender of the first datagram, which is written out). */
static int nc_listen(const nc_opts_t *o)
{
	int fd = socket(AF_INET, o->udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	int one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(o->port)};
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *) &a, sizeof(a)) != 0 ||
	    (!o->udp && listen(fd, 1) != 0))
		return -1;
	set_wait(fd, o->wait_sec);
	if (!o->udp) {
		int c = accept(fd, NULL, NULL);
		errno_t e = errno;
		close(fd);
		errno = e;
		return c;
	}
	static char buf[CHUNK]; /* once, before the pump starts */
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *) &from, &flen);
	if (n < 0 || connect(fd, (struct sockaddr *) &from, flen) != 0)
		return -1;
	DISCARD(stdout_checked_at_exit, fwrite(buf, 1, (size_t) n, stdout));
	DISCARD(stdout_checked_at_exit, fflush(stdout));
	return fd;
}

/** The peer's address by getaddrinfo (netdb.h) into *@a a; errno's code
 *  (ENOENT for an unknown host). */
static errno_t nc_peer(const nc_opts_t *o, struct sockaddr_in *a)
{
	char port[8];
	snprintf(port, sizeof(port), "%u", (unsigned) o->port);
	struct addrinfo hints = {.ai_family = AF_INET,
	    .ai_socktype = o->udp ? SOCK_DGRAM : SOCK_STREAM,
	    .ai_flags = AI_NUMERICSERV};
	struct addrinfo *ai;
	int err = getaddrinfo(o->host, port, &hints, &ai);
	if (err != 0)
		return err == EAI_NONAME ? ENOENT : err == EAI_MEMORY ? ENOMEM : EIO;
	memcpy(a, ai->ai_addr, sizeof(*a));
	freeaddrinfo(ai);
	return EOK;
}

static int nc_connect(const nc_opts_t *o)
{
	struct sockaddr_in a;
	errno_t rc = nc_peer(o, &a);
	if (rc != EOK) {
		errno = rc;
		return -1;
	}
	int fd = socket(AF_INET, o->udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	set_wait(fd, o->wait_sec);
	if (connect(fd, (struct sockaddr *) &a, sizeof(a)) != 0) {
		errno_t e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static bool opts_parse(int argc, char *argv[], nc_opts_t *o)
{
	int c;
	while ((c = getopt(argc, argv, "luw:")) != -1) {
		char *end;
		if (c == 'w') {
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 1 || v > 86400)
				return false;
			o->wait_sec = (unsigned) v;
		} else if (c == 'l' || c == 'u') {
			o->listen |= c == 'l';
			o->udp |= c == 'u';
		} else {
			return false;
		}
	}
	int operands = o->listen ? 1 : 2;
	if (argc - optind != operands)
		return false;
	if (!o->listen)
		o->host = argv[optind];
	char *end;
	unsigned long port = strtoul(argv[argc - 1], &end, 10);
	o->port = (uint16_t) port;
	return *end == '\0' && port >= 1 && port <= 65535;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	nc_opts_t o = {0};
	if (!opts_parse(argc, argv, &o))
		return cmd_usage_error(argv[0], USAGE);
	int fd = o.listen ? nc_listen(&o) : nc_connect(&o);
	if (fd < 0)
		return cmd_error(argv[0], o.listen ? "listen" : o.host, errno);
	fid_t f = fibril_create(stdin_fibril, NULL);
	if (f == NULL) {
		close(fd);
		return cmd_error(argv[0], "fibril", ENOMEM);
	}
	fibril_detach(f);
	fibril_add_ready(f);
	int status = pump(fd, &o);
	close(fd);
	return status;
}
