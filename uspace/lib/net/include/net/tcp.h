/*
 * TCP (RFC 793/9293) as a pure state machine: segment parsing and building,
 * and one connection's control block (tcp_conn_t) driven by three inputs,
 * a segment (tcp_conn_input), a user call (open, send, recv, close, abort)
 * and the clock (tcp_conn_tick). Segments go out through the connection's
 * output function. No I/O, no locks, no clock of its own: the owner (the
 * TCP server) serialises every call on one connection and passes the time
 * in milliseconds.
 *
 * What it implements: the handshake (active, passive, simultaneous), data
 * in both directions with a sliding window (send limited by the peer's
 * window and cwnd, receive window = free receive buffer), delayed ACKs
 * when the owner sets delayed_ack (RFC 1122 4.2.3.2, RFC 5681 4.2: every
 * second in-order segment, else after TCP_DELACK_MS; at once out of order,
 * filling a hole, a FIN), retransmission
 * with an RTO measured as RFC 6298 says (Karn's rule, exponential back-off,
 * give-up after TCP_MAX_RETRIES with ETIMEOUT), congestion control as RFC
 * 5681 (slow start, congestion avoidance, fast retransmit after three
 * duplicate ACKs, fast recovery with NewReno's partial ACKs, RFC 6582),
 * zero-window probes, an out-of-order queue, FIN and RST (RFC 5961 challenge
 * ACKs against blind resets and SYNs), TIME_WAIT of 2 MSL, and a limit on
 * FIN_WAIT_2 so a vanished peer cannot pin a connection, and window
 * scaling (RFC 7323 2): each side names its shift in its SYN, and both
 * shifts apply only when both SYNs carried one; the windows of SYN
 * segments themselves are never scaled. No keep-alive, no timestamps, no
 * urgent data (the URG flag is ignored).
 *
 * Ownership: a tcp_conn_t owns its send and receive buffers and the
 * out-of-order segments (all malloc'd); tcp_conn_fini frees them.
 */
#ifndef NET_TCP_H
#define NET_TCP_H

#include <abi/errno.h>
#include <net/stats.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_HDR_LEN 20
#define TCP_FIN	    0x01
#define TCP_SYN	    0x02
#define TCP_RST	    0x04
#define TCP_PSH	    0x08
#define TCP_ACK	    0x10
#define TCP_URG	    0x20

#define TCP_MSS_MAX	   1460 /* Ethernet's MTU less the IP and TCP headers */
#define TCP_MSS_DEFAULT	   536	/* when the peer names none (RFC 9293 3.7.1) */
#define TCP_RTO_INITIAL_MS 1000
#define TCP_RTO_MIN_MS	   200
#define TCP_RTO_MAX_MS	   60000
#define TCP_MAX_RETRIES	   8 /* then the connection fails with ETIMEOUT */
#define TCP_SYN_RETRIES	   5
#define TCP_MSL_MS	   30000
#define TCP_TIME_WAIT_MS   (2 * TCP_MSL_MS)
#define TCP_FIN_WAIT2_MS   60000
#define TCP_OOO_MAX	   32 /* out-of-order segments kept */
#define TCP_DELACK_MS	   40 /* an in-order segment alone waits this for its ACK */
#define TCP_BUF_DEFAULT	   65535
#define TCP_WSCALE_MAX	   14 /* RFC 7323 2.3: a larger shift is refused */
#define TCP_WND_MAX	   (0xffffu << TCP_WSCALE_MAX) /* the largest scaled window */
#define TCP_OPT_MAX	   8 /* the options tcp_build writes: MSS, NOP, window scale */

typedef enum {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RCVD,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
} tcp_state_t;

/** A segment, parsed or to be built (ports and numbers in host order). */
typedef struct {
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t mss;	/* the MSS option (SYN only), 0 for none */
	bool wscale_ok; /* a window-scale option (SYN only) ... */
	uint8_t wscale; /* ... and its shift, at most TCP_WSCALE_MAX */
	const uint8_t *payload;
	size_t payload_len;
} tcp_seg_t;

/** Checks and splits the @a len bytes of an IP payload from @a src to @a dst.
 *  A window-scale option that is malformed, has a shift above
 *  TCP_WSCALE_MAX or comes on a segment without SYN is NET_DROP_TCP_WSCALE:
 *  no conforming peer sends one, and guessing what it meant would set a
 *  window the peer never offered. */
net_drop_t tcp_parse(
    const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, tcp_seg_t *seg);
/** The header length tcp_build writes for @a seg (an MSS option adds 4, a
 *  window-scale option 4 with its NOP); at most TCP_HDR_LEN + TCP_OPT_MAX. */
size_t tcp_hdr_len(const tcp_seg_t *seg);
/** Writes @a seg with its payload and checksum into @a buf; its length. */
size_t tcp_build(uint8_t *buf, uint32_t src, uint32_t dst, const tcp_seg_t *seg);
/** The RST answering @a seg that reached no connection (RFC 9293 3.10.7.1);
 *  false when @a seg is itself a RST (never answered). */
bool tcp_reset_for(const tcp_seg_t *seg, tcp_seg_t *rst);
/** The shift that lets a 16-bit window field cover @a rcvbuf bytes. */
uint8_t tcp_wscale_for(size_t rcvbuf);
/** A state's name ("ESTABLISHED"). */
const char *tcp_state_name(tcp_state_t state);

/* Sequence-number arithmetic modulo 2^32. */
#define TCP_SEQ_LT(a, b)  ((int32_t) ((uint32_t) (a) - (uint32_t) (b)) < 0)
#define TCP_SEQ_LEQ(a, b) ((int32_t) ((uint32_t) (a) - (uint32_t) (b)) <= 0)
#define TCP_SEQ_GT(a, b)  TCP_SEQ_LT(b, a)
#define TCP_SEQ_GEQ(a, b) TCP_SEQ_LEQ(b, a)

typedef struct {
	uint8_t *data;
	size_t cap, head, len;
} tcp_ring_t;

typedef struct {
	uint32_t seq;
	size_t len;
	bool fin;
	uint8_t *data;
} tcp_ooo_t;

struct tcp_conn;
/** Sends @a seg of @a conn (addresses in the connection); its payload is
 *  valid only during the call. */
typedef void (*tcp_output_t)(struct tcp_conn *conn, const tcp_seg_t *seg);

typedef struct tcp_conn {
	tcp_state_t state;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	tcp_output_t output;
	void *arg; /* the owner's */
	net_stats_t *stats;
	errno_t error; /* why it closed: ECONNRESET, EREFUSED, ETIMEOUT; EOK */

	/* Send side: sndbuf holds the bytes from snd_una on (once the SYN is
	 * acknowledged), unacknowledged and unsent. */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
	tcp_ring_t sndbuf;
	bool fin_queued; /* closed by the user: a FIN follows the data */
	bool fin_sent;
	uint32_t fin_seq;
	uint16_t mss;
	/* RFC 7323: snd_wscale scales the peer's windows, rcv_wscale ours;
	 * both 0 unless both SYNs carried the option (wscale_ok). */
	bool wscale_ok;
	uint8_t snd_wscale, rcv_wscale;

	/* Receive side: rcvbuf holds in-order bytes the user has not read. */
	uint32_t irs, rcv_nxt;
	tcp_ring_t rcvbuf;
	bool fin_received;
	tcp_ooo_t ooo[TCP_OOO_MAX];
	size_t ooo_count;
	bool ack_now;
	bool delayed_ack;	 /* the owner's choice (off after init): delay ACKs */
	unsigned ack_pending;	 /* in-order segments not acknowledged yet */
	uint64_t ack_deadline;	 /* the delayed ACK is due; 0: none owed */
	uint32_t wnd_advertised; /* in bytes, scaled */

	/* RFC 6298, in microseconds. */
	bool rtt_measured, timing;
	uint32_t srtt_us, rttvar_us, rto_ms;
	uint32_t rtt_seq;
	uint64_t rtt_start_ms;

	/* RFC 5681 and 6582. */
	uint32_t cwnd, ssthresh, bytes_acked, recover;
	unsigned dupacks;
	bool in_recovery;

	/* Timers, absolute ms; 0 is off. */
	uint64_t rtx_deadline, wait_deadline;
	unsigned retries;
	uint64_t retransmits; /* segments sent again, for netstat */
} tcp_conn_t;

/** Sets up a closed connection with buffers of @a sndbuf and @a rcvbuf
 *  bytes (rcvbuf at most TCP_WND_MAX; above 65535 it is offered only to a
 *  peer that scales windows, else 65535 of it). EINVAL, ENOMEM. */
errno_t tcp_conn_init(tcp_conn_t *c, size_t sndbuf, size_t rcvbuf, tcp_output_t output,
    void *arg, net_stats_t *stats);
/** Frees what the connection owns; it must not be used after. */
void tcp_conn_fini(tcp_conn_t *c);
/** Active open: sends a SYN with initial sequence number @a iss. */
void tcp_conn_connect(tcp_conn_t *c, uint32_t iss, uint64_t now_ms);
/** Passive open: @a syn reached a listener; @a c (its addresses and ports
 *  set) enters SYN_RCVD and answers with a SYN-ACK. */
void tcp_conn_accept(tcp_conn_t *c, const tcp_seg_t *syn, uint32_t iss, uint64_t now_ms);
/** Takes in a segment for this connection; the reason if it was dropped. */
net_drop_t tcp_conn_input(tcp_conn_t *c, const tcp_seg_t *seg, uint64_t now_ms);
/** Queues up to @a len bytes for sending: *@a done of them fit. ENOTCONN
 *  after close or before a connect, the connection's error once it failed. */
errno_t tcp_conn_send(
    tcp_conn_t *c, const void *data, size_t len, size_t *done, uint64_t now_ms);
/** Copies up to @a len received bytes (*@a done) and leaves them there
 *  (MSG_PEEK); 0 with tcp_conn_eof, or the connection's error. */
errno_t tcp_conn_peek(const tcp_conn_t *c, void *buf, size_t len, size_t *done);
/** Takes up to @a len received bytes: *@a done; 0 with tcp_conn_eof. */
errno_t tcp_conn_recv(
    tcp_conn_t *c, void *buf, size_t len, size_t *done, uint64_t now_ms);
/** The received bytes at the stream's front that lie in one piece of the
 *  buffer: *@a len of them at *@a data (fewer than readable when the
 *  buffer wraps, 0 when none). Valid until the next call on @a c, so the
 *  owner may hand them on without a copy of its own. */
void tcp_conn_recv_span(const tcp_conn_t *c, const uint8_t **data, size_t *len);
/** Takes @a len bytes (at most readable) the user has read from the front,
 *  telling the peer of a window that opened. */
void tcp_conn_consume(tcp_conn_t *c, size_t len, uint64_t now_ms);
/** No more data will come (the peer's FIN was read past, or it failed). */
bool tcp_conn_eof(const tcp_conn_t *c);
/** Bytes the user may read now. */
size_t tcp_conn_readable(const tcp_conn_t *c);
/** Bytes the user may queue now. */
size_t tcp_conn_writable(const tcp_conn_t *c);
/** The user closes its sending side: a FIN follows the queued data. */
void tcp_conn_close(tcp_conn_t *c, uint64_t now_ms);
/** Drops the connection, telling the peer with a RST if it was synchronised. */
void tcp_conn_abort(tcp_conn_t *c);
/** Frees the buffers of a connection that will neither send nor receive
 *  data again (TIME_WAIT or CLOSED), so a closed connection waiting out
 *  2 MSL costs little; false (nothing freed) in any other state. */
bool tcp_conn_drop_buffers(tcp_conn_t *c);
/** Runs the timers due at @a now_ms. */
void tcp_conn_tick(tcp_conn_t *c, uint64_t now_ms);
/** The earliest timer, 0 for none. */
uint64_t tcp_conn_deadline(const tcp_conn_t *c);

#endif
