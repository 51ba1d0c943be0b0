/*
 * poll() over sockets and VFS descriptors (poll.h). The sockets of a call
 * wait together in the network server (sock_poll_set); a VFS descriptor
 * is checked to be open and is ready at once, so a call with one ready
 * file only looks at its sockets without waiting.
 */
#include "private/sockfd.h"
#include <abi/vfs.h>
#include <errno.h>
#include <fibril.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <vfs.h>

#define POLL_MAX (SOCK_FDS_MAX + VFS_FDS_MAX)

/* The sockets of one call, in the order of their entries. */
typedef struct {
	sock_t *socks[NET_POLL_SET_MAX];
	unsigned events[NET_POLL_SET_MAX];
	unsigned revents[NET_POLL_SET_MAX];
	size_t index[NET_POLL_SET_MAX]; /* their entries in fds[] */
	size_t n;
} poll_socks_t;

static unsigned poll_to_net(short events)
{
	return ((events & POLLIN) != 0 ? NET_POLL_IN : 0) |
	    ((events & POLLOUT) != 0 ? NET_POLL_OUT : 0);
}

static short poll_from_net(unsigned ev)
{
	return (short) (((ev & NET_POLL_IN) != 0 ? POLLIN : 0) |
	    ((ev & NET_POLL_OUT) != 0 ? POLLOUT : 0) |
	    ((ev & NET_POLL_HUP) != 0 ? POLLHUP : 0) |
	    ((ev & NET_POLL_ERR) != 0 ? POLLERR : 0) |
	    ((ev & NET_POLL_NVAL) != 0 ? POLLNVAL : 0));
}

/** The revents of a VFS descriptor: ready for what it asks, or POLLNVAL. */
static short poll_file(const struct pollfd *p)
{
	vfs_stat_t st;
	if (p->fd >= VFS_FDS_MAX || vfs_fstat(p->fd, &st) != EOK)
		return POLLNVAL;
	return (short) (p->events & (POLLIN | POLLOUT));
}

/** Sorts the entries: files get their revents now, sockets go to @a ps.
 *  Returns how many entries are ready already. */
static int poll_sort(struct pollfd *fds, nfds_t nfds, poll_socks_t *ps)
{
	int ready = 0;
	ps->n = 0;
	for (size_t i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		sock_t *s = sock_fd_native(fds[i].fd);
		if (s != NULL && ps->n < NET_POLL_SET_MAX) {
			ps->socks[ps->n] = s;
			ps->events[ps->n] = poll_to_net(fds[i].events);
			ps->index[ps->n++] = i;
			continue;
		}
		fds[i].revents = sock_fd_is(fds[i].fd) ? POLLNVAL : poll_file(&fds[i]);
		if (fds[i].revents != 0)
			ready++;
	}
	return ready;
}

/** Waits for the sockets of @a ps (@a timeout_us: 0 none); their revents into fds. */
static errno_t poll_wait_socks(
    struct pollfd *fds, poll_socks_t *ps, uint64_t timeout_us, int *ready)
{
	size_t n;
	errno_t rc = sock_poll_set(
	    ps->socks, ps->events, ps->n, timeout_us, ps->revents, &n);
	if (rc != EOK)
		return rc;
	for (size_t i = 0; i < ps->n; i++) {
		fds[ps->index[i]].revents = poll_from_net(ps->revents[i]);
		if (ps->revents[i] != 0)
			(*ready)++;
	}
	return EOK;
}

/** Sleeps for @a timeout_ms (-1: for ever): a poll with nothing to wait for. */
static int poll_sleep(int timeout_ms)
{
	while (timeout_ms < 0)
		fibril_sleep(3600);
	fibril_usleep((uint64_t) timeout_ms * 1000);
	return 0;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	if (nfds > POLL_MAX || (nfds > 0 && fds == NULL)) {
		errno = EINVAL;
		return -1;
	}
	poll_socks_t *ps = malloc(sizeof(*ps));
	if (ps == NULL) {
		errno = ENOMEM;
		return -1;
	}
	int ready = poll_sort(fds, nfds, ps);
	/* The server's shortest wait is 1 us; 0 means no limit. */
	uint64_t us = ready > 0 || timeout_ms == 0 ? 1
	    : timeout_ms < 0			   ? 0
						   : (uint64_t) timeout_ms * 1000;
	errno_t rc = ps->n > 0 ? poll_wait_socks(fds, ps, us, &ready) : EOK;
	bool idle = ps->n == 0 && ready == 0;
	free(ps);
	if (rc != EOK) {
		errno = rc;
		return -1;
	}
	return idle && timeout_ms != 0 ? poll_sleep(timeout_ms) : ready;
}
