/*
 * The socket table: binding and ports, UDP queues, TCP connections and
 * listeners, the waits of blocking calls, and the timer that runs TCP's
 * clocks and frees connections that have closed. The caller holds
 * stack_lock in every function here (netsrv.h); the waits release it.
 */
#include "netsrv.h"
#include <net/icmp.h>
#include <net/udp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static list_t sock_table = LIST_INITIALIZER(sock_table);
static uint32_t next_sock_id = 1;
static uint16_t next_ephemeral = EPHEMERAL_FIRST;

/* Waiting */

uint64_t stack_deadline(uint64_t timeout_us)
{
	return timeout_us == 0 ? 0 : clock_ns() + timeout_us * 1000;
}

errno_t stack_wait(uint64_t deadline)
{
	if (deadline == 0) {
		fibril_condvar_wait(&stack_cv, &stack_lock);
		return EOK;
	}
	uint64_t now = clock_ns();
	if (now >= deadline)
		return ETIMEOUT;
	uint64_t us = (deadline - now + 999) / 1000;
	errno_t rc = fibril_condvar_wait_timeout(&stack_cv, &stack_lock, us);
	return rc == ETIMEOUT && clock_ns() < deadline ? EOK : rc;
}

/* The table */

errno_t sock_create(int type, sock_t **out)
{
	if (type != NET_SOCK_STREAM && type != NET_SOCK_DGRAM && type != NET_SOCK_ICMP)
		return EINVAL;
	if (stack_stats.sockets >= SOCK_MAX)
		return ELIMIT;
	sock_t *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return ENOMEM;
	s->id = next_sock_id++;
	s->type = type;
	list_initialize(&s->pending);
	list_initialize(&s->dgrams);
	link_initialize(&s->accept_link);
	list_append(&s->link, &sock_table);
	stack_stats.sockets++;
	*out = s;
	return EOK;
}

static void sock_free(sock_t *s)
{
	list_remove(&s->link);
	if (s->tcp != NULL) {
		tcp_conn_fini(s->tcp);
		free(s->tcp);
	}
	while (!list_empty(&s->dgrams)) {
		link_t *l = list_first(&s->dgrams);
		list_remove(l);
		free(list_get_instance(l, udp_dgram_entry_t, link));
	}
	if (s->orphan)
		stack_stats.orphans--;
	stack_stats.sockets--;
	free(s);
}

static sock_t *sock_by_id(uint32_t id)
{
	list_foreach (sock_table, link, sock_t, s) {
		if (s->id == id && !s->orphan)
			return s;
	}
	return NULL;
}

/** Does a bound socket of @a type use @a port on an address overlapping
 *  @a addr? With @a reuse, closing connections (SO_REUSEADDR) do not count. */
static bool port_taken(int type, uint32_t addr, uint16_t port, bool reuse)
{
	list_foreach (sock_table, link, sock_t, s) {
		if (s->type != type || !s->bound || s->lport != port)
			continue;
		if (s->laddr != 0 && addr != 0 && s->laddr != addr)
			continue;
		if (reuse &&
		    (s->orphan || (s->tcp != NULL && s->tcp->state == TCP_TIME_WAIT)))
			continue;
		return true;
	}
	return false;
}

static errno_t ephemeral_port(int type, uint32_t addr, uint16_t *port)
{
	for (unsigned i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
		uint16_t p = next_ephemeral;
		next_ephemeral = p == EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
		if (!port_taken(type, addr, p, false)) {
			*port = p;
			return EOK;
		}
	}
	return EADDRINUSE;
}

errno_t sock_bind(sock_t *s, uint32_t addr, uint16_t port, bool reuse)
{
	if (s->bound || s->tcp != NULL || s->listening)
		return EINVAL;
	if (addr != 0 && !ip_is_local(addr))
		return EADDRNOTAVAIL;
	if (port == 0) {
		errno_t rc = ephemeral_port(s->type, addr, &port);
		if (rc != EOK)
			return rc;
	} else if (port_taken(s->type, addr, port, reuse)) {
		return EADDRINUSE;
	}
	s->laddr = addr;
	s->lport = port;
	s->reuse = reuse;
	s->bound = true;
	return EOK;
}

errno_t sock_listen(sock_t *s, size_t backlog)
{
	if (s->type != NET_SOCK_STREAM || s->tcp != NULL)
		return EINVAL;
	if (!s->bound)
		return EINVAL;
	s->listening = true;
	s->backlog = backlog == 0 ? 1 : backlog > BACKLOG_MAX ? BACKLOG_MAX : backlog;
	stack_changed();
	return EOK;
}

/* TCP */

static void tcp_output_segment(tcp_conn_t *c, const tcp_seg_t *seg)
{
	uint8_t buf[TCP_HDR_LEN + TCP_OPT_MAX + TCP_MSS_MAX];
	size_t len = tcp_build(buf, c->laddr, c->raddr, seg);
	DISCARD(best_effort, ip_output(c->laddr, c->raddr, IP_PROTO_TCP, buf, len));
}

static uint32_t new_iss(void)
{
	/* RFC 6528 asks for a keyed hash; a clock mix keeps numbers apart. */
	uint64_t t = clock_ns();
	return (uint32_t) (t / 4000) ^ (uint32_t) (t >> 32) * 2654435761u;
}

static errno_t tcp_new(
    sock_t *s, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	tcp_conn_t *c = malloc(sizeof(*c));
	if (c == NULL)
		return ENOMEM;
	errno_t rc = tcp_conn_init(
	    c, TCP_SOCK_SNDBUF, TCP_SOCK_RCVBUF, tcp_output_segment, s, &stack_drops);
	if (rc != EOK) {
		free(c);
		return rc;
	}
	c->laddr = laddr;
	c->lport = lport;
	c->raddr = raddr;
	c->rport = rport;
	/* Half the ACKs: each is a frame through the NIC driver. The timer
	 * fibril sends a delayed one (TCP_DELACK_MS, up to its period late). */
	c->delayed_ack = true;
	s->tcp = c;
	s->laddr = laddr;
	s->lport = lport;
	s->raddr = raddr;
	s->rport = rport;
	return EOK;
}

/** A connection is past its handshake (or failed). */
static bool tcp_settled(const tcp_conn_t *c)
{
	return c->state != TCP_SYN_SENT && c->state != TCP_SYN_RCVD;
}

/** A connect again after one that did not wait: EALREADY while the
 *  handshake goes on, then its outcome (EOK once, then EISCONN). */
static errno_t tcp_connect_status(sock_t *s)
{
	if (!s->connecting)
		return s->tcp->state == TCP_ESTABLISHED ? EISCONN : EINVAL;
	if (!tcp_settled(s->tcp))
		return EALREADY;
	s->connecting = false;
	return s->tcp->state == TCP_CLOSED ? s->tcp->error : EOK;
}

static errno_t tcp_connect(sock_t *s, uint32_t addr, uint16_t port, uint64_t timeout_us)
{
	if (s->listening)
		return EINVAL;
	uint32_t src;
	errno_t rc = ip_route(addr, &src);
	if (rc != EOK)
		return rc;
	if (!s->bound && (rc = sock_bind(s, src, 0, false)) != EOK)
		return rc;
	if ((rc = tcp_new(s, src, s->lport, addr, port)) != EOK)
		return rc;
	tcp_conn_connect(s->tcp, new_iss(), stack_now_ms());
	stack_changed();
	if (timeout_us == NET_CONNECT_NOWAIT) {
		s->connecting = true;
		return EINPROGRESS;
	}
	uint64_t deadline = stack_deadline(timeout_us);
	while (!tcp_settled(s->tcp)) {
		if (stack_wait(deadline) == ETIMEOUT) {
			tcp_conn_abort(s->tcp);
			return ETIMEOUT;
		}
	}
	return s->tcp->state == TCP_CLOSED ? s->tcp->error : EOK;
}

/** A SYN for listener @a l: a new pending connection, unless the backlog
 *  (which counts half-open ones, so a SYN flood fills only it) is full. */
static void tcp_listener_syn(sock_t *l, uint32_t src, uint32_t dst, const tcp_seg_t *seg)
{
	if (l->pending_count >= l->backlog) {
		net_stats_drop(&stack_drops, NET_DROP_TCP_BACKLOG);
		return;
	}
	sock_t *s;
	if (sock_create(NET_SOCK_STREAM, &s) != EOK)
		return;
	if (tcp_new(s, dst, seg->dst_port, src, seg->src_port) != EOK) {
		sock_free(s);
		return;
	}
	s->listener = l;
	list_append(&s->accept_link, &l->pending);
	l->pending_count++;
	tcp_conn_accept(s->tcp, seg, new_iss(), stack_now_ms());
}

static sock_t *tcp_find(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
	sock_t *listener = NULL;
	list_foreach (sock_table, link, sock_t, s) {
		if (s->type != NET_SOCK_STREAM || s->lport != dport)
			continue;
		if (s->tcp != NULL && s->tcp->state != TCP_CLOSED && s->rport == sport &&
		    s->raddr == src && s->laddr == dst)
			return s;
		if (s->listening && (s->laddr == 0 || s->laddr == dst))
			listener = s;
	}
	return listener;
}

/** Answers a segment for no connection with a RST. */
static void tcp_refuse(uint32_t src, uint32_t dst, const tcp_seg_t *seg)
{
	tcp_seg_t rst;
	if (!tcp_reset_for(seg, &rst))
		return;
	uint8_t buf[TCP_HDR_LEN + 4];
	size_t len = tcp_build(buf, dst, src, &rst);
	DISCARD(best_effort, ip_output(dst, src, IP_PROTO_TCP, buf, len));
}

void tcp_input(uint32_t src, uint32_t dst, const uint8_t *data, size_t len)
{
	tcp_seg_t seg;
	if (net_stats_drop(&stack_drops, tcp_parse(data, len, src, dst, &seg)) !=
	    NET_DROP_NONE)
		return;
	sock_t *s = tcp_find(src, seg.src_port, dst, seg.dst_port);
	if (s != NULL && s->listening) {
		if ((seg.flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN) {
			tcp_listener_syn(s, src, dst, &seg);
			return;
		}
		s = NULL;
	}
	if (s == NULL) {
		net_stats_drop(&stack_drops, NET_DROP_TCP_NO_SOCKET);
		tcp_refuse(src, dst, &seg);
		return;
	}
	net_stats_drop(&stack_drops, tcp_conn_input(s->tcp, &seg, stack_now_ms()));
}

/* Accept */

/** The first pending connection that finished its handshake, or NULL. */
static sock_t *accept_ready(sock_t *l)
{
	list_foreach (l->pending, accept_link, sock_t, s) {
		if (tcp_settled(s->tcp) && s->tcp->state != TCP_CLOSED)
			return s;
	}
	return NULL;
}

errno_t sock_accept(sock_t *s, uint32_t id, uint64_t timeout_us)
{
	if (s->type != NET_SOCK_STREAM || s->tcp != NULL || s->bound || s->listening)
		return EINVAL;
	uint64_t deadline = stack_deadline(timeout_us);
	for (;;) {
		sock_t *l = sock_by_id(id);
		if (l == NULL || !l->listening)
			return EINVAL; /* no such listener (or it closed meanwhile) */
		sock_t *c = accept_ready(l);
		if (c != NULL) {
			list_remove(&c->accept_link);
			l->pending_count--;
			/* The connection moves into this client's socket. */
			s->tcp = c->tcp;
			s->tcp->arg = s;
			c->tcp = NULL;
			s->laddr = c->laddr;
			s->lport = c->lport;
			s->raddr = c->raddr;
			s->rport = c->rport;
			sock_free(c);
			return EOK;
		}
		errno_t rc = stack_wait(deadline);
		if (rc != EOK)
			return rc;
	}
}

errno_t sock_connect(sock_t *s, uint32_t addr, uint16_t port, uint64_t timeout_us)
{
	if (s->type == NET_SOCK_STREAM && s->tcp != NULL)
		return tcp_connect_status(s);
	if (port == 0)
		return EINVAL;
	if (s->type == NET_SOCK_STREAM)
		return tcp_connect(s, addr, port, timeout_us);
	uint32_t src;
	errno_t rc = ip_route(addr, &src);
	if (rc == EOK && !s->bound)
		rc = sock_bind(s, src, 0, false);
	if (rc == EOK) {
		s->raddr = addr;
		s->rport = port;
	}
	return rc;
}

/* UDP */

/** Queues @a len bytes from (@a src, @a port) on datagram socket @a s. */
static void dgram_queue(
    sock_t *s, uint32_t src, uint16_t port, const uint8_t *data, size_t len)
{
	udp_dgram_entry_t *e = s->dgram_count < UDP_QUEUE_MAX ? malloc(sizeof(*e) + len)
							      : NULL;
	if (e == NULL) {
		net_stats_drop(&stack_drops, NET_DROP_UDP_QUEUE_FULL);
		return;
	}
	e->src = src;
	e->port = port;
	e->len = len;
	memcpy(e->data, data, len);
	list_append(&e->link, &s->dgrams);
	s->dgram_count++;
}

void icmp_echo_reply(
    uint32_t src, uint16_t id, uint16_t seq, const uint8_t *data, size_t len)
{
	list_foreach (sock_table, link, sock_t, s) {
		if (s->type == NET_SOCK_ICMP && (uint16_t) s->id == id) {
			dgram_queue(s, src, seq, data, len);
			return;
		}
	}
	net_stats_drop(&stack_drops, NET_DROP_ICMP_TYPE); /* a reply nobody asked for */
}

static errno_t icmp_send(
    sock_t *s, const void *data, size_t len, uint32_t addr, uint16_t seq)
{
	uint32_t src;
	errno_t rc = ip_route(addr, &src);
	if (rc != EOK)
		return rc;
	if (len > UDP_MAX_PAYLOAD)
		return ELIMIT;
	uint8_t *buf = malloc(ICMP_HDR_LEN + len);
	if (buf == NULL)
		return ENOMEM;
	size_t n = icmp_build_echo(
	    buf, ICMP_ECHO_REQUEST, (uint16_t) s->id, seq, data, len);
	rc = ip_output(src, addr, IP_PROTO_ICMP, buf, n);
	free(buf);
	return rc;
}

void udp_input(const ipv4_hdr_t *h, const uint8_t *hdr)
{
	udp_dgram_t d;
	if (net_stats_drop(&stack_drops,
		udp_parse(h->payload, h->payload_len, h->src, h->dst, &d)) !=
	    NET_DROP_NONE)
		return;
	sock_t *to = NULL;
	list_foreach (sock_table, link, sock_t, s) {
		if (s->type == NET_SOCK_DGRAM && s->bound && s->lport == d.dst_port &&
		    (s->laddr == 0 || s->laddr == h->dst) &&
		    (s->rport == 0 || (s->rport == d.src_port && s->raddr == h->src))) {
			to = s;
			break;
		}
	}
	if (to == NULL) {
		net_stats_drop(&stack_drops, NET_DROP_UDP_NO_PORT);
		ip_icmp_error(ICMP_DEST_UNREACH, ICMP_CODE_PORT_UNREACH, hdr, h);
		return;
	}
	dgram_queue(to, h->src, d.src_port, d.payload, d.payload_len);
}

static errno_t udp_send(
    sock_t *s, const void *data, size_t len, uint32_t addr, uint16_t port)
{
	if (port == 0) {
		if (s->rport == 0)
			return ENOTCONN;
		addr = s->raddr;
		port = s->rport;
	}
	if (len > UDP_MAX_PAYLOAD)
		return ELIMIT;
	uint32_t src;
	errno_t rc = ip_route(addr, &src);
	if (rc != EOK)
		return rc;
	if (!s->bound && (rc = sock_bind(s, 0, 0, false)) != EOK)
		return rc;
	if (s->laddr != 0)
		src = s->laddr;
	uint8_t *buf = malloc(UDP_HDR_LEN + len);
	if (buf == NULL)
		return ENOMEM;
	size_t n = udp_build(buf, src, addr, s->lport, port, data, len);
	rc = ip_output(src, addr, IP_PROTO_UDP, buf, n);
	free(buf);
	return rc;
}

/* Data */

errno_t sock_send(sock_t *s, const void *data, size_t len, uint32_t addr, uint16_t port,
    uint64_t timeout_us, size_t *done)
{
	*done = 0;
	if (s->type != NET_SOCK_STREAM) {
		errno_t rc = s->type == NET_SOCK_DGRAM
		    ? udp_send(s, data, len, addr, port)
		    : icmp_send(s, data, len, addr, port);
		if (rc == EOK)
			*done = len;
		return rc;
	}
	if (s->tcp == NULL)
		return ENOTCONN;
	uint64_t deadline = stack_deadline(timeout_us);
	while (tcp_conn_writable(s->tcp) == 0 && s->tcp->state != TCP_CLOSED &&
	    !s->tcp->fin_queued) {
		errno_t rc = stack_wait(deadline);
		if (rc != EOK)
			return rc;
	}
	errno_t rc = tcp_conn_send(s->tcp, data, len, done, stack_now_ms());
	if (rc == ENOTCONN && s->tcp->state == TCP_CLOSED && s->tcp->error != EOK)
		rc = s->tcp->error;
	return rc;
}

/** The first queued datagram into @a buf (cut to @a len); it stays queued
 *  when @a peek. */
static errno_t udp_recv(sock_t *s, void *buf, size_t len, bool peek, size_t *done,
    uint32_t *src, uint16_t *port)
{
	udp_dgram_entry_t *e = list_get_instance(
	    list_first(&s->dgrams), udp_dgram_entry_t, link);
	*done = e->len < len ? e->len : len;
	memcpy(buf, e->data, *done);
	*src = e->src;
	*port = e->port;
	if (!peek) {
		list_remove(&e->link);
		s->dgram_count--;
		free(e);
	}
	return EOK;
}

errno_t sock_recv(sock_t *s, void *buf, size_t len, unsigned flags, uint64_t timeout_us,
    size_t *done, uint32_t *src, uint16_t *port)
{
	bool peek = (flags & NET_RECV_PEEK) != 0;
	*done = 0;
	*src = s->raddr;
	*port = s->rport;
	uint64_t deadline = stack_deadline(timeout_us);
	if (s->type != NET_SOCK_STREAM) {
		while (list_empty(&s->dgrams)) {
			errno_t rc = stack_wait(deadline);
			if (rc != EOK)
				return rc;
		}
		return udp_recv(s, buf, len, peek, done, src, port);
	}
	errno_t rc = sock_stream_wait(s, timeout_us);
	if (rc != EOK)
		return rc;
	return peek ? tcp_conn_peek(s->tcp, buf, len, done)
		    : tcp_conn_recv(s->tcp, buf, len, done, stack_now_ms());
}

errno_t sock_stream_wait(sock_t *s, uint64_t timeout_us)
{
	uint64_t deadline = stack_deadline(timeout_us);
	if (s->tcp == NULL)
		return ENOTCONN;
	while (tcp_conn_readable(s->tcp) == 0 && !tcp_conn_eof(s->tcp)) {
		errno_t rc = stack_wait(deadline);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

errno_t sock_shutdown(sock_t *s)
{
	if (s->tcp == NULL)
		return ENOTCONN;
	tcp_conn_close(s->tcp, stack_now_ms());
	return EOK;
}

unsigned sock_poll_events(sock_t *s)
{
	unsigned ev = 0;
	if (s->type != NET_SOCK_STREAM)
		return NET_POLL_OUT | (list_empty(&s->dgrams) ? 0 : NET_POLL_IN);
	if (s->listening)
		return accept_ready(s) != NULL ? NET_POLL_IN : 0;
	if (s->tcp == NULL)
		return 0;
	if (tcp_conn_readable(s->tcp) > 0 || tcp_conn_eof(s->tcp))
		ev |= NET_POLL_IN;
	if (tcp_conn_writable(s->tcp) > 0 && s->tcp->state >= TCP_ESTABLISHED)
		ev |= NET_POLL_OUT;
	if (tcp_conn_eof(s->tcp))
		ev |= NET_POLL_HUP;
	if (s->tcp->error != EOK)
		ev |= NET_POLL_ERR;
	return ev;
}

errno_t sock_poll(sock_t *s, unsigned events, uint64_t timeout_us, unsigned *revents)
{
	uint64_t deadline = stack_deadline(timeout_us);
	for (;;) {
		*revents = sock_poll_events(s) & (events | NET_POLL_HUP | NET_POLL_ERR);
		if (*revents != 0)
			return EOK;
		errno_t rc = stack_wait(deadline);
		if (rc == ETIMEOUT)
			return EOK; /* nothing happened: revents 0 */
	}
}

/** Fills the revents of every entry of @a set; the number nonzero. */
static size_t poll_set_scan(net_poll_entry_t *set, size_t n)
{
	size_t ready = 0;
	for (size_t i = 0; i < n; i++) {
		sock_t *s = sock_by_id(set[i].id);
		set[i].revents = s == NULL
		    ? NET_POLL_NVAL
		    : sock_poll_events(s) & (set[i].events | NET_POLL_HUP | NET_POLL_ERR);
		if (set[i].revents != 0)
			ready++;
	}
	return ready;
}

void sock_poll_set(net_poll_entry_t *set, size_t n, uint64_t timeout_us, size_t *ready)
{
	uint64_t deadline = stack_deadline(timeout_us);
	while ((*ready = poll_set_scan(set, n)) == 0) {
		if (stack_wait(deadline) == ETIMEOUT)
			return;
	}
}

/* Closing */

/** A listener closes: its connections not yet accepted are reset. */
static void listener_close(sock_t *l)
{
	while (!list_empty(&l->pending)) {
		sock_t *c = list_get_instance(
		    list_first(&l->pending), sock_t, accept_link);
		list_remove(&c->accept_link);
		tcp_conn_abort(c->tcp);
		sock_free(c);
	}
}

void sock_release(sock_t *s)
{
	if (s->listening)
		listener_close(s);
	if (s->tcp == NULL || s->tcp->state == TCP_CLOSED) {
		sock_free(s);
		stack_changed();
		return;
	}
	/* Unread data would be lost: tell the peer so (RFC 9293 3.10.4). */
	if (tcp_conn_readable(s->tcp) > 0)
		tcp_conn_abort(s->tcp);
	else
		tcp_conn_close(s->tcp, stack_now_ms());
	s->orphan = true;
	stack_stats.orphans++;
	stack_changed();
}

/** Frees @a s if it is done; true then. */
static bool sock_reap(sock_t *s)
{
	if (s->tcp == NULL || !(s->orphan || s->listener != NULL))
		return false;
	if (s->tcp->state == TCP_TIME_WAIT)
		DISCARD(best_effort, tcp_conn_drop_buffers(s->tcp));
	if (s->tcp->state != TCP_CLOSED)
		return false;
	if (s->listener != NULL) {
		list_remove(&s->accept_link);
		s->listener->pending_count--;
	}
	sock_free(s);
	return true;
}

uint64_t sock_timer(uint64_t now_ms)
{
	uint64_t next = 0;
	ip_timer(now_ms);
	link_t *l = sock_table.head.next;
	while (l != &sock_table.head) {
		sock_t *s = list_get_instance(l, sock_t, link);
		l = l->next;
		if (s->tcp == NULL)
			continue;
		uint64_t d = tcp_conn_deadline(s->tcp);
		if (d != 0 && d <= now_ms)
			tcp_conn_tick(s->tcp, now_ms);
		if (sock_reap(s))
			continue;
		d = tcp_conn_deadline(s->tcp);
		if (d != 0 && (next == 0 || d < next))
			next = d;
	}
	return next;
}

size_t sock_list(net_sock_info_t *out, size_t max)
{
	size_t n = 0;
	list_foreach (sock_table, link, sock_t, s) {
		if (n == max)
			break;
		net_sock_info_t *i = &out[n++];
		memset(i, 0, sizeof(*i));
		i->id = s->id;
		i->type = (uint8_t) s->type;
		i->state = s->listening ? TCP_LISTEN
		    : s->tcp != NULL	? (uint8_t) s->tcp->state
					: TCP_CLOSED;
		i->laddr = s->laddr;
		i->lport = s->lport;
		i->raddr = s->raddr;
		i->rport = s->rport;
		i->recv_queued = s->tcp != NULL ? (uint32_t) tcp_conn_readable(s->tcp)
						: (uint32_t) s->dgram_count;
		i->send_queued = s->tcp != NULL ? (uint32_t) s->tcp->sndbuf.len : 0;
	}
	return n;
}
