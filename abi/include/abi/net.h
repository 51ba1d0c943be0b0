/*
 * The network server's protocol (uspace/srv/netsrv, docs/network.md).
 *
 * A client reaches the server through the naming service (NET_SERVICE,
 * interface NET_IFACE). Every connection is one socket: NET_SOCK_OPEN makes
 * it (or NET_SOCK_ACCEPT makes it the next connection of a listener), and
 * hanging up the connection closes it, so a client that dies leaves no
 * socket behind. Addresses are IPv4 in host order, ports in host order.
 * Calls that wait (accept, connect, recv) take a timeout in microseconds
 * (0: none) and answer ETIMEOUT when it passes.
 *
 *   NET_SOCK_OPEN (type) -> (socket id)
 *   NET_SOCK_BIND (addr, port, reuse) -> (port): port 0 picks a free one;
 *       EADDRINUSE when taken
 *   NET_SOCK_LISTEN (backlog)
 *   NET_SOCK_ACCEPT (listener id, timeout) -> (peer addr, peer port): this
 *       connection's socket becomes the listener's next connection
 *   NET_SOCK_CONNECT (addr, port, timeout): TCP connects (EREFUSED,
 *       ETIMEOUT); UDP only fixes the peer. A timeout of NET_CONNECT_NOWAIT
 *       sends the SYN and answers EINPROGRESS at once; a connect again
 *       then answers EALREADY while the handshake goes on, then its
 *       outcome (EOK once, EISCONN after)
 *   NET_SOCK_SEND (addr, port, timeout) + DATA_WRITE -> (bytes taken): TCP
 *       waits for room and takes what fits; UDP sends one datagram to
 *       (addr, port), or to the connected peer when port is 0
 *   NET_SOCK_RECV (timeout, flags) + DATA_READ -> (bytes, src addr, src
 *       port): 0 bytes is the end of a TCP stream; a UDP datagram longer
 *       than the read is cut; with NET_RECV_PEEK the data stays queued
 *   NET_SOCK_SHUTDOWN: TCP sends its FIN
 *   NET_SOCK_NAME -> (local addr, local port, peer addr, peer port)
 *   NET_SOCK_POLL (events, timeout) -> (revents): NET_POLL_* bits
 *   NET_POLL_SET (count, timeout) + DATA_WRITE of net_poll_entry_t[count]
 *       + DATA_READ of them with revents filled -> (entries ready): waits
 *       until one of several sockets (by id, on any connection) is ready;
 *       an id of no open socket gets NET_POLL_NVAL
 *   NET_STATS + DATA_READ of net_stat_t
 *   NET_SOCKETS + DATA_READ of net_sock_info_t[] -> (count)
 *   NET_INJECT + DATA_WRITE: an IPv4 packet taken in as if the loopback
 *       interface had received it (the packet-level tests)
 *   NET_INJECT_FRAME + DATA_WRITE: an Ethernet frame taken in as if eth0
 *       had received it; ENOENT while eth0 has no NIC
 *   NET_IFACES + DATA_READ of net_iface_info_t[] -> (count): the
 *       interfaces, lo first
 *   NET_ROUTES + DATA_READ of net_route_info_t[] -> (count)
 *   NET_IFACE_WAIT (iface, timeout) -> (addr, mask): waits until the
 *       interface (0 lo, 1 eth0) has an address (eth0's comes from DHCP in
 *       the background); ENOENT for no such interface
 *   NET_IFACE_SET (iface, addr, mask): eth0's address set by hand (the DHCP
 *       client stops), or with addr 0 left to DHCP again; EINVAL for a bad
 *       address or mask, ENOTSUP for lo
 *   NET_ROUTE_ADD (net, mask, gateway): a route on eth0 (gateway 0: the
 *       network is attached), kept until deleted; EINVAL, EEXIST, ELIMIT
 *   NET_ROUTE_DEL (net, mask): ENOENT, EPERM for the loopback network
 */
#ifndef ABI_NET_H
#define ABI_NET_H

#include <abi/ifaces.h>
#include <abi/ipc.h>
#include <stdint.h>

#define NET_SERVICE "net"
#define NET_IFACE   0x6e657401

#define NET_SOCK_STREAM 1
#define NET_SOCK_DGRAM	2
/* ICMP echo: a send is an echo request (its port argument the sequence
 * number, the socket's id the identifier), a recv the next echo reply to
 * this socket (its port the sequence number). */
#define NET_SOCK_ICMP 3

#define NET_IO_MAX 65536 /* bytes per send or recv call */

#define NET_RECV_PEEK	   1	      /* NET_SOCK_RECV's flags: the data stays queued */
#define NET_CONNECT_NOWAIT UINT64_MAX /* NET_SOCK_CONNECT's timeout: none */

#define NET_POLL_IN   1
#define NET_POLL_OUT  2
#define NET_POLL_HUP  4
#define NET_POLL_ERR  8
#define NET_POLL_NVAL 16 /* NET_POLL_SET: no such socket */

#define NET_POLL_SET_MAX 256 /* entries per NET_POLL_SET */

/** One socket of a NET_POLL_SET. */
typedef struct {
	uint32_t id;
	uint16_t events;
	uint16_t revents;
} net_poll_entry_t;

#define NET_METHODS(M) \
	M(NET_SOCK_OPEN, "net.open") \
	M(NET_SOCK_BIND, "net.bind") \
	M(NET_SOCK_LISTEN, "net.listen") \
	M(NET_SOCK_ACCEPT, "net.accept") \
	M(NET_SOCK_CONNECT, "net.connect") \
	M(NET_SOCK_SEND, "net.send") \
	M(NET_SOCK_RECV, "net.recv") \
	M(NET_SOCK_SHUTDOWN, "net.shutdown") \
	M(NET_SOCK_NAME, "net.name") \
	M(NET_SOCK_POLL, "net.poll") \
	M(NET_POLL_SET, "net.pollset") \
	M(NET_STATS, "net.stats") \
	M(NET_SOCKETS, "net.sockets") \
	M(NET_INJECT, "net.inject") \
	M(NET_INJECT_FRAME, "net.inject_frame") \
	M(NET_IFACES, "net.ifaces") \
	M(NET_ROUTES, "net.routes") \
	M(NET_IFACE_WAIT, "net.ifwait") \
	M(NET_IFACE_SET, "net.ifset") \
	M(NET_ROUTE_ADD, "net.route_add") \
	M(NET_ROUTE_DEL, "net.route_del")

IFACE_METHOD_ENUM(NET, NET_METHODS, IPC_FIRST_USER_METHOD);

/** The server's counters (NET_STATS). */
typedef struct {
	uint64_t sockets; /* open sockets, orphans (closed, still closing) included */
	uint64_t orphans; /* TCP connections the user closed that still close */
	uint64_t ip_in, ip_out;
	uint64_t heap_blocks; /* the server's malloc blocks in use (leak checks) */
	uint64_t drops[64];   /* by net_drop_t (uspace/lib/net/include/net/stats.h) */
} net_stat_t;

/** One socket (NET_SOCKETS). */
typedef struct {
	uint32_t id;
	uint8_t type;
	uint8_t state; /* tcp_state_t for streams */
	uint16_t lport, rport;
	uint32_t laddr, raddr;
	uint32_t recv_queued, send_queued;
} net_sock_info_t;

#define NET_IFACE_NAME_MAX 8
#define NET_IF_UP	   1 /* has a device (lo always, eth0 with a NIC) */
#define NET_IF_DHCP	   2 /* the address came from DHCP */

/** One interface (NET_IFACES). */
typedef struct {
	char name[NET_IFACE_NAME_MAX]; /* "lo", "eth0" */
	uint32_t flags;		       /* NET_IF_* */
	uint32_t addr, mask, gateway;  /* 0: none */
	uint8_t mac[6];
	uint16_t mtu;
	uint32_t arp_entries;
	uint64_t rx_frames, tx_frames, tx_errors;
	uint64_t dhcp_lease_s; /* the lease DHCP gave, 0 without one */
} net_iface_info_t;

/** One route (NET_ROUTES): @a net/@a mask through @a gateway (0: attached)
 *  on interface @a iface (0 lo, 1 eth0). */
typedef struct {
	uint32_t net, mask, gateway, iface;
} net_route_info_t;

#endif
