/*
 * Socket descriptors inside libc (posix_sock.c): the file calls (read,
 * write, close, fcntl) and poll send a descriptor from SOCK_FD_BASE up here.
 * The file calls reach the socket layer through sock_fd_ops, which
 * socket() sets, so that a program without sockets links none of it.
 */
#ifndef LIBC_PRIVATE_SOCKFD_H
#define LIBC_PRIVATE_SOCKFD_H

#include <sock.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

typedef struct {
	int (*close)(int fd);
	ssize_t (*read)(int fd, void *buf, size_t len);
	ssize_t (*write)(int fd, const void *buf, size_t len);
	int (*fcntl)(int fd, int cmd, int arg);
} sock_fd_ops_t;

/** NULL until the program's first socket(); then posix_sock.c's. */
extern const sock_fd_ops_t *sock_fd_ops;

/** Is @a fd in the socket range (open or not)? */
static inline bool sock_fd_is(int fd)
{
	return fd >= SOCK_FD_BASE && fd < SOCK_FD_BASE + SOCK_FDS_MAX;
}

/** The native socket of open socket @a fd, else NULL. */
sock_t *sock_fd_native(int fd);

#endif
