/*
 * netsrv: the IPv4 stack as one server (docs/network.md says why one).
 * The protocol logic is libnet's (uspace/lib/net); this server owns the
 * state it works on, moves packets between the layers and serves sockets.
 *
 * Locking: stack_lock (a fibril mutex) guards every structure of the
 * server: the socket table, the TCP connections, the reassembly table, the
 * loopback queue and the counters. It is the only lock. stack_cv is
 * broadcast whenever something a waiting call could care for changed
 * (data, room, a connection, a state); waiters check their condition again.
 *
 * Ownership of a socket (sock_t):
 *   owner                  reference                 dropped by
 *   its client connection  the handler's local       sock_release at hang-up
 *   the stack (orphan)     sock->orphan, in the table sock_reap once CLOSED
 */
#ifndef NETSRV_H
#define NETSRV_H

#include <abi/net.h>
#include <common/adt/list.h>
#include <fibril_synch.h>
#include <net/eth.h>
#include <net/ipv4.h>
#include <nic.h>
#include <net/stats.h>
#include <net/tcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOCK_MAX	4096  /* sockets at once, orphans included */
#define UDP_QUEUE_MAX	64    /* datagrams waiting per socket */
#define TCP_SOCK_SNDBUF 32768 /* a TCP socket's send buffer */
/* Its receive buffer: the window offered to a peer that scales windows
 * (RFC 7323; 65535 bytes of it to one that does not). The window, not the
 * stack, bounded a transfer into the guest at 32 KiB: the peer waited for
 * ACKs a round trip each window. Its own area of the heap, so pages no
 * transfer reached cost nothing. */
#define TCP_SOCK_RCVBUF (256 * 1024)
#define BACKLOG_MAX	128
#define EPHEMERAL_FIRST 49152
#define EPHEMERAL_LAST	65535

extern fibril_mutex_t stack_lock;
extern fibril_condvar_t stack_cv;
extern net_stat_t stack_stats;
extern net_stats_t stack_drops;

typedef struct {
	link_t link;
	uint32_t src;
	uint16_t port;
	size_t len;
	uint8_t data[];
} udp_dgram_entry_t;

typedef struct sock {
	link_t link; /* in the socket table */
	uint32_t id;
	int type;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	bool bound, reuse, listening, orphan;
	bool connecting; /* a connect that did not wait (NET_CONNECT_NOWAIT) */
	/* A stream's connection (NULL for a listener or before connect). */
	tcp_conn_t *tcp;
	/* A listener's connections not yet accepted (sock_t via accept_link). */
	list_t pending;
	size_t pending_count, backlog;
	link_t accept_link;
	struct sock *listener; /* while pending */
	/* A datagram socket's queue (udp_dgram_entry_t). */
	list_t dgrams;
	size_t dgram_count;
} sock_t;

/* Time in milliseconds since boot. */
uint64_t stack_now_ms(void);
/* Wakes everything waiting on stack_cv (the timer included). */
void stack_changed(void);
/** An absolute deadline in ns for @a timeout_us (0: none). */
uint64_t stack_deadline(uint64_t timeout_us);
/** Waits once for stack_cv (stack_lock held); ETIMEOUT once @a deadline
 *  (0: none) passed. */
errno_t stack_wait(uint64_t deadline);

/*
 * The Ethernet interface eth0 (link.c), over the first NIC of category
 * "nic". Guarded by stack_lock like everything else; the NIC's sessions
 * are used without the lock (the receive and transmit fibrils drop it
 * around their IPC).
 */
typedef struct {
	nic_t *nic; /* NULL while there is no NIC (or its driver died) */
	eth_addr_t mac;
	uint32_t addr, mask, gateway; /* 0: unconfigured (DHCP has not answered) */
	arp_cache_t arp;
	list_t tx_queue; /* link_frame_t: frames for the transmit fibril */
	size_t tx_count;
	list_t arp_wait; /* link_frame_t: IP packets waiting for ARP */
	size_t arp_wait_count;
	uint64_t rx_frames, tx_frames, tx_errors;
	unsigned generation; /* counts NICs taken up (a restarted driver) */
	bool probed;	     /* the first look for a NIC is done */
} eth_iface_t;

extern eth_iface_t eth0;

/* link.c. Caller holds stack_lock. */
/** Starts eth0's fibrils: they open the NIC (and again after its driver
 *  restarts), take frames in and send the queued ones. */
errno_t link_start(void);
/** Sends IPv4 packet @a pkt to neighbour @a next_hop (IPV4_BROADCAST: to
 *  every station); waits for ARP when the neighbour's address is unknown. */
errno_t link_output(uint32_t next_hop, const uint8_t *pkt, size_t len);
/** Gives eth0 an address (0: none), netmask and gateway. */
void link_configure(uint32_t addr, uint32_t mask, uint32_t gateway);
void link_timer(uint64_t now_ms);
/** Takes in one Ethernet frame (counted, dropped when malformed). */
void link_input(const uint8_t *frame, size_t len);

/* dhcp.c: the DHCP client of eth0 (a fibril). */
extern uint64_t dhcp_lease_s; /* the lease held, 0 without one */
errno_t dhcp_start(void);
/** Gives eth0 the address @a addr/@a mask a user chose (no gateway) and
 *  switches the client off. stack_lock held. */
void dhcp_set_static(uint32_t addr, uint32_t mask);
/** Takes a user's address away and switches the client on again (eth0 is
 *  without an address until the lease comes); nothing if it is on.
 *  stack_lock held. */
void dhcp_resume(void);
/** A UDP datagram to port 68 (checked by udp_parse). */
void dhcp_input(const uint8_t *data, size_t len);

/* ip.c: the IP layer and the loopback interface. Caller holds stack_lock. */
errno_t ip_output(
    uint32_t src, uint32_t dst, uint8_t proto, const void *payload, size_t len);
/** Sends an ICMP error about packet @a h (header bytes @a hdr) if allowed. */
void ip_icmp_error(uint8_t type, uint8_t code, const uint8_t *hdr, const ipv4_hdr_t *h);
/** Takes in one IPv4 packet (counted, dropped when malformed). */
void ip_input(const uint8_t *pkt, size_t len);
/** Is @a addr one of this host's (the loopback net, eth0's address)? */
bool ip_is_local(uint32_t addr);
/** Source address to use towards @a dst; EADDRNOTAVAIL when unreachable. */
errno_t ip_route(uint32_t dst, uint32_t *src);
/** Replaces eth0's routes: its network @a addr/@a mask attached, the
 *  default route through @a gateway (0: none); @a addr 0 removes both. */
void ip_routes_set(uint32_t addr, uint32_t mask, uint32_t gateway);
/** Adds a route to @a net/@a mask through @a gateway (0: attached to
 *  eth0), kept until deleted. EINVAL: a mask not of contiguous ones, bits
 *  of @a net outside it, the loopback network, a gateway of ours or the
 *  broadcast address; EEXIST, ELIMIT when the table is full. */
errno_t ip_route_add(uint32_t net, uint32_t mask, uint32_t gateway);
/** Deletes the route to exactly @a net/@a mask (any of eth0's); ENOENT,
 *  EPERM for the loopback network's. */
errno_t ip_route_del(uint32_t net, uint32_t mask);
/** Whether @a mask is ones followed by zeros (0 included). */
bool ip_mask_valid(uint32_t mask);
/** The routing table into @a out (at most @a max); the count. */
size_t ip_routes_list(net_route_info_t *out, size_t max);
void ip_timer(uint64_t now_ms);
/* Starts the loopback interface's fibril. */
errno_t loopback_start(void);

/* sock.c: the socket table. Caller holds stack_lock. */
errno_t sock_create(int type, sock_t **sock);
void sock_release(sock_t *sock);
errno_t sock_bind(sock_t *sock, uint32_t addr, uint16_t port, bool reuse);
errno_t sock_listen(sock_t *sock, size_t backlog);
/** Makes @a sock the next connection of listener @a id (waits). */
errno_t sock_accept(sock_t *sock, uint32_t id, uint64_t timeout_us);
errno_t sock_connect(sock_t *sock, uint32_t addr, uint16_t port, uint64_t timeout_us);
errno_t sock_send(sock_t *sock, const void *data, size_t len, uint32_t addr,
    uint16_t port, uint64_t timeout_us, size_t *done);
errno_t sock_recv(sock_t *sock, void *buf, size_t len, unsigned flags,
    uint64_t timeout_us, size_t *done, uint32_t *src, uint16_t *port);
/** Waits until stream socket @a sock has bytes to read or none will come
 *  (its peer closed, or it failed); ENOTCONN without a connection, the
 *  wait's error (ETIMEOUT) otherwise. Caller holds stack_lock. */
errno_t sock_stream_wait(sock_t *sock, uint64_t timeout_us);
errno_t sock_shutdown(sock_t *sock);
unsigned sock_poll_events(sock_t *sock);
errno_t sock_poll(sock_t *sock, unsigned events, uint64_t timeout_us, unsigned *revents);
/** Fills the revents of @a n entries, waiting until one is nonzero or the
 *  timeout passes (0: none); *@a ready counts the nonzero ones. */
void sock_poll_set(net_poll_entry_t *set, size_t n, uint64_t timeout_us, size_t *ready);
size_t sock_list(net_sock_info_t *out, size_t max);
/* Demultiplexing from ip.c. */
void udp_input(const ipv4_hdr_t *h, const uint8_t *hdr);
void tcp_input(uint32_t src, uint32_t dst, const uint8_t *data, size_t len);
/** An echo reply (identifier @a id, sequence @a seq) for an ICMP socket. */
void icmp_echo_reply(
    uint32_t src, uint16_t id, uint16_t seq, const uint8_t *data, size_t len);
/* Runs the TCP timers and frees connections that have closed. */
uint64_t sock_timer(uint64_t now_ms);

#endif
