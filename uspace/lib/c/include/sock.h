/*
 * Sockets: the native client API of the network server (abi/net.h,
 * docs/network.md). A sock_t is one connection to netsrv; sock_close hangs
 * it up, which closes the socket there. A sock_t may be used by one fibril
 * at a time (its calls are serialised on the connection).
 *
 * Addresses and ports are in host order. Timeouts are in microseconds, 0
 * for none; a call whose timeout passes gives ETIMEOUT. A server that
 * died gives EHANGUP: the socket is then useless; open a new one.
 */
#ifndef LIBC_SOCK_H
#define LIBC_SOCK_H

#include <abi/errno.h>
#include <abi/net.h>
#include <discard.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sock sock_t;

typedef struct {
	uint32_t addr;
	uint16_t port;
} sock_addr_t;

/** A new socket of @a type (NET_SOCK_STREAM, NET_SOCK_DGRAM). */
_NODISCARD errno_t sock_open(int type, sock_t **sock);
/** Hangs up: the server closes the socket (TCP: FIN, or RST if unread data). */
void sock_close(sock_t *sock);
/** Binds to @a addr (0: any) and @a port (0: a free one, in *@a bound). */
_NODISCARD errno_t sock_bind(
    sock_t *sock, uint32_t addr, uint16_t port, bool reuse, uint16_t *bound);
_NODISCARD errno_t sock_listen(sock_t *sock, unsigned backlog);
/** The next connection of listener @a sock as a new socket in *@a conn. */
_NODISCARD errno_t sock_accept(
    sock_t *sock, sock_t **conn, sock_addr_t *peer, uint64_t timeout_us);
_NODISCARD errno_t sock_connect(
    sock_t *sock, uint32_t addr, uint16_t port, uint64_t timeout_us);
/** Sends up to @a len bytes (TCP: waits for room, *@a done may be less). */
_NODISCARD errno_t sock_send(
    sock_t *sock, const void *data, size_t len, size_t *done, uint64_t timeout_us);
/** Sends all @a len bytes (TCP), looping over sock_send. */
_NODISCARD errno_t sock_send_all(
    sock_t *sock, const void *data, size_t len, uint64_t timeout_us);
/** One datagram to @a to (UDP). */
_NODISCARD errno_t sock_sendto(
    sock_t *sock, const void *data, size_t len, const sock_addr_t *to);
/** Up to @a len bytes; 0 in *@a done is the end of a TCP stream. */
_NODISCARD errno_t sock_recv(
    sock_t *sock, void *buf, size_t len, size_t *done, uint64_t timeout_us);
/** One datagram and its sender (UDP; a longer one is cut to @a len). */
_NODISCARD errno_t sock_recvfrom(sock_t *sock, void *buf, size_t len, size_t *done,
    sock_addr_t *from, uint64_t timeout_us);
/** sock_recvfrom with NET_RECV_* @a flags (NET_RECV_PEEK: the data stays
 *  queued for the next receive). */
_NODISCARD errno_t sock_recvfrom_flags(sock_t *sock, void *buf, size_t len, size_t *done,
    sock_addr_t *from, uint64_t timeout_us, unsigned flags);
/** TCP: no more sending (FIN). */
_NODISCARD errno_t sock_shutdown(sock_t *sock);
_NODISCARD errno_t sock_name(sock_t *sock, sock_addr_t *local, sock_addr_t *peer);
/** Waits until one of @a events (NET_POLL_*) holds: in *@a revents (0 on timeout). */
_NODISCARD errno_t sock_poll(
    sock_t *sock, unsigned events, uint64_t timeout_us, unsigned *revents);
/** Waits until one of @a n sockets is ready for its @a events[i] (NET_POLL_*):
 *  each one's in @a revents[i] (NET_POLL_NVAL for a socket the server no
 *  longer has), how many are nonzero in *@a ready (0 on timeout). The call
 *  travels on socks[0]'s connection (at most NET_POLL_SET_MAX sockets). */
_NODISCARD errno_t sock_poll_set(sock_t *const *socks, const unsigned *events, size_t n,
    uint64_t timeout_us, unsigned *revents, size_t *ready);
#define NET_HOSTS_PATH "/cfg/hosts"

/** The address of @a name: dotted (10.0.2.15) or a name of NET_HOSTS_PATH
 *  (lines "ADDRESS NAME..."; # starts a comment). ENOENT if unknown. */
_NODISCARD errno_t net_host_lookup(const char *name, uint32_t *addr);
/** The server's counters, and its sockets (at most @a max, *@a count). */
_NODISCARD errno_t net_get_stats(net_stat_t *stats);
_NODISCARD errno_t net_get_sockets(net_sock_info_t *list, size_t max, size_t *count);
/** Hands @a len bytes to the stack as an IPv4 packet from the loopback
 *  interface (for tests of malformed input). */
_NODISCARD errno_t net_inject(const void *pkt, size_t len);
/** Hands netsrv an Ethernet frame as if eth0 had received it (tests);
 *  ENOENT while eth0 has no NIC. */
_NODISCARD errno_t net_inject_frame(const void *frame, size_t len);
/** The interfaces (lo, eth0) and the routing table, as net_get_sockets. */
_NODISCARD errno_t net_get_ifaces(net_iface_info_t *list, size_t max, size_t *count);
_NODISCARD errno_t net_get_routes(net_route_info_t *list, size_t max, size_t *count);
/** The number of the interface called @a name ("lo" 0, "eth0" 1) into
 *  *@a iface; ENOENT for another name. */
_NODISCARD errno_t net_iface_index(const char *name, unsigned *iface);
/** Waits until interface @a iface (0 lo, 1 eth0) has an address, at most
 *  @a timeout_us (0: EINVAL); the address and netmask. eth0's comes from
 *  DHCP in the background, after netsrv reported ready. ETIMEOUT, ENOENT
 *  for no such interface. */
_NODISCARD errno_t net_iface_wait(
    unsigned iface, uint64_t timeout_us, uint32_t *addr, uint32_t *mask);
/** Sets eth0's (@a iface 1) address by hand, which stops its DHCP client;
 *  @a addr 0 takes it away and starts DHCP again. EINVAL for a loopback,
 *  multicast or reserved address, a mask not of contiguous ones, or the
 *  network's own or broadcast address; ENOTSUP for lo (0). */
_NODISCARD errno_t net_iface_set(unsigned iface, uint32_t addr, uint32_t mask);
/** Adds a route on eth0 to @a net/@a mask through @a gateway (0: the
 *  network is attached); it stays until deleted, whatever DHCP does.
 *  EINVAL, EEXIST, ELIMIT (the table holds 8). */
_NODISCARD errno_t net_route_add(uint32_t net, uint32_t mask, uint32_t gateway);
/** Deletes the route to exactly @a net/@a mask; ENOENT, EPERM for lo's. */
_NODISCARD errno_t net_route_del(uint32_t net, uint32_t mask);

#endif
