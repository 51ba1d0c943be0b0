/*
 * The POSIX socket calls (IPv4 only) over the native API of sock.h
 * (docs/network.md, "POSIX sockets"). A socket is a descriptor of libc's
 * own table, numbered from SOCK_FD_BASE up (above every VFS descriptor):
 * read, write, close and poll take it like a file; it is not passed to
 * spawned programs. Failures give -1 with errno (POSIX names: ECONNREFUSED,
 * ETIMEDOUT, EWOULDBLOCK are this system's EREFUSED, ETIMEOUT, EAGAIN).
 */
#ifndef LIBC_SYS_SOCKET_H
#define LIBC_SYS_SOCKET_H

#include <abi/errno.h>
#include <stddef.h>
#include <sys/time.h>
#include <sys/types.h>

typedef uint32_t socklen_t;
typedef uint16_t sa_family_t;

#define AF_UNSPEC 0
#define AF_INET	  2
#define PF_INET	  AF_INET

#define SOCK_STREAM 1
#define SOCK_DGRAM  2

#define SOL_SOCKET   1
#define SO_REUSEADDR 2
#define SO_ERROR     4
#define SO_TYPE	     3
#define SO_RCVTIMEO  20
#define SO_SNDTIMEO  21

#define SOMAXCONN 128

#define SHUT_RD	  0
#define SHUT_WR	  1
#define SHUT_RDWR 2

#define MSG_PEEK     0x02
#define MSG_DONTWAIT 0x40
#define MSG_NOSIGNAL 0x4000

/* POSIX's names of this system's codes. */
#define ECONNREFUSED EREFUSED
#define ETIMEDOUT    ETIMEOUT
#define EWOULDBLOCK  EAGAIN
#define EOPNOTSUPP   ENOTSUP

/* The first socket descriptor (VFS descriptors are below it). */
#define SOCK_FD_BASE 256
/* Sockets a task may have open at once. */
#define SOCK_FDS_MAX 256

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

struct sockaddr_storage {
	sa_family_t ss_family;
	char ss_data[126];
};

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
    socklen_t tolen);
ssize_t recvfrom(
    int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
/** SOL_SOCKET options: SO_REUSEADDR (int, before bind), SO_RCVTIMEO and
 *  SO_SNDTIMEO (struct timeval; zero for none), SO_TYPE and SO_ERROR (get). */
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);

#endif
