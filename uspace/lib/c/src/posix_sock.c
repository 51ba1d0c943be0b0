/*
 * The POSIX socket layer (sys/socket.h, arpa/inet.h) over the native API
 * of sock.h. Socket descriptors index sock_fds (SOCK_FD_BASE + slot); the
 * table's slots are taken and given back under sock_fds_lock, a slot's
 * contents are its user's (POSIX leaves a close racing a call on the same
 * descriptor undefined). Native errors pass through as errno, except that
 * a timeout of SO_RCVTIMEO or SO_SNDTIMEO is EAGAIN, as POSIX has it.
 * O_NONBLOCK (fcntl) makes every wait the shortest the server knows, so
 * what would wait is EAGAIN; a TCP connect then answers EINPROGRESS and
 * goes on in the server, which a connect again, SO_ERROR or the next send
 * or receive asks about (connect_settle).
 */
#include "private/sockfd.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <fibril_synch.h>
#include <net/ipv4.h>
#include <net/udp.h>
#include <netinet/in.h>
#include <sock.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* What the native socket cannot say, kept beside it. */
typedef struct {
	sock_t *sock;
	int type;
	bool reuse;
	bool listening;
	bool connected;		 /* TCP: connected or accepted; UDP: a fixed peer */
	bool connecting;	 /* TCP: a non-blocking connect goes on */
	bool nonblock;		 /* O_NONBLOCK: no call waits */
	bool rd_shut;		 /* shutdown(SHUT_RD): reads give the end */
	uint64_t rcv_us, snd_us; /* SO_RCVTIMEO, SO_SNDTIMEO; 0: none */
	errno_t error;		 /* SO_ERROR: the last failure of connect */
} sock_fd_t;

static int sock_fd_close(int fd);
static ssize_t sock_fd_read(int fd, void *buf, size_t len);
static ssize_t sock_fd_write(int fd, const void *buf, size_t len);
static int sock_fd_fcntl(int fd, int cmd, int arg);

static const sock_fd_ops_t posix_sock_ops = {
    .close = sock_fd_close,
    .read = sock_fd_read,
    .write = sock_fd_write,
    .fcntl = sock_fd_fcntl,
};

static FIBRIL_MUTEX_INITIALIZE(sock_fds_lock);
static sock_fd_t *sock_fds[SOCK_FDS_MAX];

/** -1 with errno = @a rc (which is not EOK). */
static int sock_fail(errno_t rc)
{
	errno = rc;
	return -1;
}

/** A descriptor for @a entry, or -1 (EMFILE is ELIMIT here). */
static int sock_fd_alloc(sock_fd_t *entry)
{
	fibril_mutex_lock(&sock_fds_lock);
	int fd = -1;
	for (int i = 0; i < SOCK_FDS_MAX && fd < 0; i++) {
		if (sock_fds[i] == NULL) {
			sock_fds[i] = entry;
			fd = SOCK_FD_BASE + i;
		}
	}
	fibril_mutex_unlock(&sock_fds_lock);
	return fd;
}

static sock_fd_t *sock_fd_get(int fd)
{
	if (!sock_fd_is(fd))
		return NULL;
	fibril_mutex_lock(&sock_fds_lock);
	sock_fd_t *e = sock_fds[fd - SOCK_FD_BASE];
	fibril_mutex_unlock(&sock_fds_lock);
	return e;
}

/** The entry of socket @a fd, or NULL with errno EBADF (no such
 *  descriptor) or ENOTSOCK (a file's). */
static sock_fd_t *sock_fd_lookup(int fd)
{
	sock_fd_t *e = sock_fd_get(fd);
	if (e == NULL)
		errno = fd >= 0 && fd < SOCK_FD_BASE ? ENOTSOCK : EBADF;
	return e;
}

sock_t *sock_fd_native(int fd)
{
	sock_fd_t *e = sock_fd_get(fd);
	return e != NULL ? e->sock : NULL;
}

static sock_fd_t *sock_fd_new(sock_t *sock, int type, int *fd)
{
	sock_fd_t *e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->sock = sock;
	e->type = type;
	*fd = sock_fd_alloc(e);
	if (*fd < 0) {
		free(e);
		return NULL;
	}
	return e;
}

int socket(int domain, int type, int protocol)
{
	if (domain != AF_INET)
		return sock_fail(EAFNOSUPPORT);
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return sock_fail(EPROTONOSUPPORT);
	int want = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	if (protocol != 0 && protocol != want)
		return sock_fail(EPROTONOSUPPORT);
	sock_fd_ops = &posix_sock_ops;
	sock_t *s;
	errno_t rc = sock_open(
	    type == SOCK_STREAM ? NET_SOCK_STREAM : NET_SOCK_DGRAM, &s);
	if (rc != EOK)
		return sock_fail(rc);
	int fd;
	if (sock_fd_new(s, type, &fd) == NULL) {
		sock_close(s);
		return sock_fail(ELIMIT);
	}
	return fd;
}

static int sock_fd_close(int fd)
{
	fibril_mutex_lock(&sock_fds_lock);
	sock_fd_t *e = sock_fd_is(fd) ? sock_fds[fd - SOCK_FD_BASE] : NULL;
	if (e != NULL)
		sock_fds[fd - SOCK_FD_BASE] = NULL;
	fibril_mutex_unlock(&sock_fds_lock);
	if (e == NULL)
		return sock_fail(EBADF);
	sock_close(e->sock);
	free(e);
	return 0;
}

/* Addresses */

/** The IPv4 address and port (host order) of @a sa, or an errno. */
static errno_t addr_in(const struct sockaddr *sa, socklen_t len, sock_addr_t *out)
{
	if (sa == NULL || len < sizeof(struct sockaddr_in))
		return EINVAL;
	const struct sockaddr_in *in = (const struct sockaddr_in *) sa;
	if (in->sin_family != AF_INET)
		return EAFNOSUPPORT;
	out->addr = ntohl(in->sin_addr.s_addr);
	out->port = ntohs(in->sin_port);
	return EOK;
}

/** Writes @a a to @a sa (at most *@a len bytes), the full length to *@a len. */
static void addr_out(const sock_addr_t *a, struct sockaddr *sa, socklen_t *len)
{
	if (sa == NULL || len == NULL)
		return;
	struct sockaddr_in in = {
	    .sin_family = AF_INET,
	    .sin_port = htons(a->port),
	    .sin_addr.s_addr = htonl(a->addr),
	};
	memcpy(sa, &in, *len < sizeof(in) ? *len : sizeof(in));
	*len = sizeof(in);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	sock_addr_t a;
	errno_t rc = addr_in(addr, len, &a);
	if (rc == EOK)
		rc = sock_bind(e->sock, a.addr, a.port, e->reuse, NULL);
	return rc == EOK ? 0 : sock_fail(rc);
}

int listen(int fd, int backlog)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	if (e->type != SOCK_STREAM)
		return sock_fail(EOPNOTSUPP);
	if (e->connected)
		return sock_fail(EINVAL);
	sock_addr_t local;
	errno_t rc = sock_name(e->sock, &local, NULL);
	if (rc == EOK && local.port == 0)
		rc = EDESTADDRREQ; /* not bound: there is no port to listen on */
	if (rc == EOK)
		rc = sock_listen(e->sock, backlog <= 0 ? 1 : (unsigned) backlog);
	if (rc != EOK)
		return sock_fail(rc);
	e->listening = true;
	return 0;
}

/** How long a call of @a e with @a flags may wait: the shortest the
 *  server knows (1 us) under MSG_DONTWAIT or O_NONBLOCK, else
 *  @a timeout_us (0: no bound). */
static uint64_t wait_of(const sock_fd_t *e, int flags, uint64_t timeout_us)
{
	return (flags & MSG_DONTWAIT) != 0 || e->nonblock ? 1 : timeout_us;
}

/** Asks the server how a non-blocking connect of @a e went (a connect
 *  again): EALREADY while it goes on; EOK once it is connected (then
 *  @a e is), else its error. Nothing to ask: EOK. */
static errno_t connect_settle(sock_fd_t *e)
{
	if (!e->connecting)
		return EOK;
	errno_t rc = sock_connect(e->sock, 0, 0, NET_CONNECT_NOWAIT);
	if (rc == EALREADY)
		return rc;
	e->connecting = false;
	e->connected = rc == EOK;
	return rc;
}

/** ETIMEOUT of a wait bounded by a socket option is EAGAIN. */
static errno_t timed(errno_t rc, uint64_t timeout_us)
{
	return rc == ETIMEOUT && timeout_us != 0 ? EAGAIN : rc;
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	if (e->type != SOCK_STREAM)
		return sock_fail(EOPNOTSUPP);
	if (!e->listening)
		return sock_fail(EINVAL);
	sock_t *c;
	sock_addr_t peer;
	uint64_t us = wait_of(e, 0, e->rcv_us);
	errno_t rc = sock_accept(e->sock, &c, &peer, us);
	if (rc != EOK)
		return sock_fail(timed(rc, us));
	int cfd;
	sock_fd_t *ce = sock_fd_new(c, SOCK_STREAM, &cfd);
	if (ce == NULL) {
		sock_close(c);
		return sock_fail(ELIMIT);
	}
	ce->connected = true;
	addr_out(&peer, addr, len);
	return cfd;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	if (e->connecting) {
		errno_t rc = connect_settle(e);
		return sock_fail(rc == EOK ? EISCONN : rc);
	}
	if (e->type == SOCK_STREAM && e->connected)
		return sock_fail(EISCONN);
	if (e->listening)
		return sock_fail(EOPNOTSUPP);
	sock_addr_t a;
	errno_t rc = addr_in(addr, len, &a);
	if (rc == EOK && a.port == 0)
		rc = EINVAL;
	bool nowait = e->nonblock && e->type == SOCK_STREAM;
	if (rc == EOK)
		rc = sock_connect(
		    e->sock, a.addr, a.port, nowait ? NET_CONNECT_NOWAIT : e->snd_us);
	e->connecting = rc == EINPROGRESS;
	e->error = rc == EINPROGRESS ? EOK : rc;
	if (rc != EOK)
		return sock_fail(rc);
	e->connected = true;
	return 0;
}

/* Data */

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
    socklen_t tolen)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	if (e->type == SOCK_STREAM) {
		errno_t settle = connect_settle(e);
		if (settle != EOK)
			return sock_fail(settle == EALREADY ? EAGAIN : settle);
		if (!e->connected)
			return sock_fail(ENOTCONN);
		size_t done;
		uint64_t us = wait_of(e, flags, e->snd_us);
		errno_t rc = sock_send(e->sock, buf, len, &done, us);
		return rc == EOK ? (ssize_t) done : sock_fail(timed(rc, us));
	}
	if (len > UDP_MAX_PAYLOAD)
		return sock_fail(EMSGSIZE);
	sock_addr_t a = {0, 0};
	errno_t rc = to != NULL ? addr_in(to, tolen, &a) : EOK;
	if (rc == EOK && to == NULL && !e->connected)
		rc = EDESTADDRREQ;
	if (rc == EOK && to != NULL && a.port == 0)
		rc = EINVAL;
	if (rc == EOK)
		rc = sock_sendto(e->sock, buf, len, &a);
	return rc == EOK ? (ssize_t) len : sock_fail(rc);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvfrom(
    int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	errno_t settle = connect_settle(e);
	if (settle != EOK)
		return sock_fail(settle == EALREADY ? EAGAIN : settle);
	if (e->type == SOCK_STREAM && !e->connected)
		return sock_fail(ENOTCONN);
	if (e->rd_shut)
		return 0;
	size_t done;
	sock_addr_t src;
	uint64_t us = wait_of(e, flags, e->rcv_us);
	errno_t rc = sock_recvfrom_flags(e->sock, buf, len, &done, &src, us,
	    (flags & MSG_PEEK) != 0 ? NET_RECV_PEEK : 0);
	if (rc != EOK)
		return sock_fail(timed(rc, us));
	addr_out(&src, from, fromlen);
	return (ssize_t) done;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

static ssize_t sock_fd_read(int fd, void *buf, size_t len)
{
	return recvfrom(fd, buf, len, 0, NULL, NULL);
}

static ssize_t sock_fd_write(int fd, const void *buf, size_t len)
{
	return sendto(fd, buf, len, 0, NULL, 0);
}

int shutdown(int fd, int how)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return sock_fail(EINVAL);
	if (!e->connected)
		return sock_fail(ENOTCONN);
	if (how != SHUT_RD && e->type == SOCK_STREAM) {
		errno_t rc = sock_shutdown(e->sock);
		if (rc != EOK)
			return sock_fail(rc);
	}
	if (how != SHUT_WR)
		e->rd_shut = true;
	return 0;
}

/** The local (@a peer false) or remote end of @a fd into @a addr. */
static int sock_end(int fd, bool peer, struct sockaddr *addr, socklen_t *len)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	if (addr == NULL || len == NULL)
		return sock_fail(EINVAL);
	sock_addr_t local, remote;
	errno_t rc = sock_name(e->sock, &local, &remote);
	if (rc == EOK && peer && (!e->connected || remote.port == 0))
		rc = ENOTCONN;
	if (rc != EOK)
		return sock_fail(rc);
	addr_out(peer ? &remote : &local, addr, len);
	return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return sock_end(fd, false, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return sock_end(fd, true, addr, len);
}

static int sock_fd_fcntl(int fd, int cmd, int arg)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	switch (cmd) {
	case F_GETFL:
		return O_RDWR | (e->nonblock ? O_NONBLOCK : 0);
	case F_SETFL:
		e->nonblock = (arg & O_NONBLOCK) != 0;
		return 0;
	default:
		return sock_fail(EINVAL);
	}
}

/* Options */

/** A struct timeval option in microseconds (0: none), or an errno. */
static errno_t option_time(const void *val, socklen_t len, uint64_t *us)
{
	if (val == NULL || len < sizeof(struct timeval))
		return EINVAL;
	const struct timeval *tv = val;
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return EINVAL;
	*us = (uint64_t) tv->tv_sec * 1000000 + (uint64_t) tv->tv_usec;
	return EOK;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	if (level != SOL_SOCKET)
		return sock_fail(ENOPROTOOPT);
	errno_t rc = EOK;
	switch (name) {
	case SO_REUSEADDR:
		if (val == NULL || len < sizeof(int))
			rc = EINVAL;
		else
			e->reuse = *(const int *) val != 0;
		break;
	case SO_RCVTIMEO:
		rc = option_time(val, len, &e->rcv_us);
		break;
	case SO_SNDTIMEO:
		rc = option_time(val, len, &e->snd_us);
		break;
	default:
		rc = ENOPROTOOPT;
		break;
	}
	return rc == EOK ? 0 : sock_fail(rc);
}

/** Copies the option value @a v (an int) or @a tv out. */
static int option_out(void *val, socklen_t *len, const void *v, socklen_t size)
{
	if (val == NULL || len == NULL || *len < size)
		return sock_fail(EINVAL);
	memcpy(val, v, size);
	*len = size;
	return 0;
}

static int option_time_out(void *val, socklen_t *len, uint64_t us)
{
	struct timeval tv = {(time_t) (us / 1000000), (suseconds_t) (us % 1000000)};
	return option_out(val, len, &tv, sizeof(tv));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	sock_fd_t *e = sock_fd_lookup(fd);
	if (e == NULL)
		return -1;
	if (level != SOL_SOCKET)
		return sock_fail(ENOPROTOOPT);
	int v;
	switch (name) {
	case SO_REUSEADDR:
		v = e->reuse;
		return option_out(val, len, &v, sizeof(v));
	case SO_TYPE:
		v = e->type;
		return option_out(val, len, &v, sizeof(v));
	case SO_ERROR: {
		errno_t settle = connect_settle(e);
		v = settle != EOK && settle != EALREADY ? settle : e->error;
		e->error = EOK;
		return option_out(val, len, &v, sizeof(v));
	}
	case SO_RCVTIMEO:
		return option_time_out(val, len, e->rcv_us);
	case SO_SNDTIMEO:
		return option_time_out(val, len, e->snd_us);
	default:
		return sock_fail(ENOPROTOOPT);
	}
}

/* Text addresses */

int inet_pton(int af, const char *src, void *dst)
{
	if (af != AF_INET)
		return sock_fail(EAFNOSUPPORT);
	uint32_t a;
	if (!ipv4_parse_addr(src, &a))
		return 0;
	((struct in_addr *) dst)->s_addr = htonl(a);
	return 1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	if (af != AF_INET) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	char text[16];
	ipv4_format(ntohl(((const struct in_addr *) src)->s_addr), text);
	if (strlen(text) + 1 > size) {
		errno = ENOSPC;
		return NULL;
	}
	memcpy(dst, text, strlen(text) + 1);
	return dst;
}

in_addr_t inet_addr(const char *text)
{
	struct in_addr a;
	return inet_pton(AF_INET, text, &a) == 1 ? a.s_addr : INADDR_NONE;
}
