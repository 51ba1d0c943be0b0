/*
 * poll(): waits until one of several descriptors is ready. Sockets wait in
 * the network server (one NET_POLL_SET call for all of them); a VFS
 * descriptor is ready at once for what it asks (POSIX says so of regular
 * files; pipes and terminals have no readiness call yet, so they report
 * ready too and a read may still wait).
 */
#ifndef LIBC_POLL_H
#define LIBC_POLL_H

#define POLLIN	   0x001
#define POLLPRI	   0x002
#define POLLOUT	   0x004
#define POLLERR	   0x008
#define POLLHUP	   0x010
#define POLLNVAL   0x020
#define POLLRDNORM POLLIN
#define POLLWRNORM POLLOUT

typedef unsigned long nfds_t;

struct pollfd {
	int fd;
	short events;
	short revents;
};

/** The number of entries with revents, 0 when @a timeout_ms passed (-1:
 *  none, 0: do not wait); -1 with EINVAL for more than SOCK_FDS_MAX plus
 *  VFS_FDS_MAX entries. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);

#endif
