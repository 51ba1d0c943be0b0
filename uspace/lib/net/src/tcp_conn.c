/*
 * One TCP connection's state machine (tcp.h). The file follows a segment's
 * way in: ring buffers, then the send path (output, RTO, congestion
 * window), then input (SYN_SENT, the acceptability test, RST and SYN, ACK,
 * data and the out-of-order queue, FIN), then user calls and timers.
 *
 * Invariants: snd_una <= snd_nxt <= snd_max; once the SYN is acknowledged
 * sndbuf's first byte has sequence number snd_una; rcv_nxt + free receive
 * space (the window's right edge) never moves left.
 */
#include <net/tcp.h>
#include <stdlib.h>
#include <string.h>

/* Ring buffers */

static errno_t ring_init(tcp_ring_t *r, size_t cap)
{
	r->data = malloc(cap);
	r->cap = cap;
	r->head = r->len = 0;
	return r->data == NULL ? ENOMEM : EOK;
}

static size_t ring_free(const tcp_ring_t *r)
{
	return r->cap - r->len;
}

/** Appends up to @a len bytes; how many fit. Two copies at most: up to the
 *  end of the storage, then from its start (a per-byte loop with a modulo
 *  cost a division per byte, most of the stack's time per segment). */
static size_t ring_put(tcp_ring_t *r, const uint8_t *src, size_t len)
{
	if (len > ring_free(r))
		len = ring_free(r);
	if (len == 0)
		return 0; /* also a freed ring (cap 0) */
	size_t tail = (r->head + r->len) % r->cap;
	size_t first = r->cap - tail < len ? r->cap - tail : len;
	memcpy(r->data + tail, src, first);
	memcpy(r->data, src + first, len - first);
	r->len += len;
	return len;
}

/** Copies @a len bytes from offset @a off without taking them. */
static void ring_peek(const tcp_ring_t *r, size_t off, uint8_t *dst, size_t len)
{
	if (len == 0)
		return;
	size_t start = (r->head + off) % r->cap;
	size_t first = r->cap - start < len ? r->cap - start : len;
	memcpy(dst, r->data + start, first);
	memcpy(dst + first, r->data, len - first);
}

static void ring_drop(tcp_ring_t *r, size_t len)
{
	if (r->cap == 0)
		return; /* freed by tcp_conn_drop_buffers */
	if (len > r->len)
		len = r->len;
	r->head = (r->head + len) % r->cap;
	r->len -= len;
}

/* Sending */

static bool can_send_data(const tcp_conn_t *c)
{
	return c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT ||
	    c->state == TCP_FIN_WAIT_1 || c->state == TCP_CLOSING ||
	    c->state == TCP_LAST_ACK;
}

/** The receive window in bytes: the free receive space, as much of it as
 *  a window field with our shift can name. */
static uint32_t rcv_window(const tcp_conn_t *c)
{
	size_t w = ring_free(&c->rcvbuf);
	size_t max = (size_t) 0xffff << c->rcv_wscale;
	return (uint32_t) (w > max ? max : w);
}

/** The window field of a segment we send: a SYN's is never scaled (RFC
 *  7323 2.2); the others are rounded down to a multiple of the scale, so
 *  the peer is never offered more than the free space. */
static uint16_t rcv_window_field(const tcp_conn_t *c, uint8_t flags)
{
	uint32_t w = rcv_window(c);
	if (flags & TCP_SYN)
		return (uint16_t) (w > 0xffff ? 0xffff : w);
	return (uint16_t) (w >> c->rcv_wscale);
}

/** The peer's window in bytes from the field of @a seg. */
static uint32_t peer_window(const tcp_conn_t *c, const tcp_seg_t *seg)
{
	if (seg->flags & TCP_SYN)
		return seg->wnd;
	return (uint32_t) seg->wnd << c->snd_wscale;
}

/** Hands one segment to the output function, stamped with our ports, the
 *  acknowledgement and the window. */
static void emit(
    tcp_conn_t *c, uint32_t seq, uint8_t flags, const uint8_t *data, size_t len)
{
	tcp_seg_t seg = {.src_port = c->lport,
	    .dst_port = c->rport,
	    .seq = seq,
	    .flags = flags,
	    .payload = data,
	    .payload_len = len};
	if ((c->state != TCP_SYN_SENT && !(flags & TCP_RST)) || (flags & TCP_ACK)) {
		seg.flags |= TCP_ACK;
		seg.ack = c->rcv_nxt;
	}
	if (flags & TCP_SYN) {
		seg.mss = TCP_MSS_MAX;
		/* Offered in every SYN of an active open; in a SYN-ACK only
		 * when the peer's SYN offered it (RFC 7323 2.2). */
		seg.wscale_ok = c->state == TCP_SYN_SENT || c->wscale_ok;
		seg.wscale = c->rcv_wscale;
	}
	seg.wnd = rcv_window_field(c, flags);
	c->wnd_advertised = (flags & TCP_SYN) ? seg.wnd
					      : (uint32_t) seg.wnd << c->rcv_wscale;
	c->ack_now = false;
	if (seg.flags & TCP_ACK) {
		c->ack_pending = 0; /* this one acknowledges them */
		c->ack_deadline = 0;
	}
	c->output(c, &seg);
}

static void send_syn(tcp_conn_t *c)
{
	emit(c, c->iss, c->state == TCP_SYN_RCVD ? TCP_SYN | TCP_ACK : TCP_SYN, NULL, 0);
}

static void timer_arm(tcp_conn_t *c, uint64_t now_ms)
{
	c->rtx_deadline = now_ms + c->rto_ms;
}

static uint32_t flight(const tcp_conn_t *c)
{
	return c->snd_nxt - c->snd_una;
}

/** Sends the segment at snd_nxt of at most @a room bytes (FIN included
 *  when it ends the data); the bytes sent. */
static size_t send_one(tcp_conn_t *c, size_t room, uint64_t now_ms)
{
	uint8_t buf[TCP_MSS_MAX];
	size_t off = c->snd_nxt - c->snd_una;
	size_t len = c->sndbuf.len - off;
	if (len > room)
		len = room;
	if (len > c->mss)
		len = c->mss;
	ring_peek(&c->sndbuf, off, buf, len);
	uint8_t flags = TCP_ACK;
	bool fin = c->fin_queued && off + len == c->sndbuf.len;
	if (fin) {
		flags |= TCP_FIN;
		c->fin_sent = true;
		c->fin_seq = c->snd_nxt + (uint32_t) len;
	} else if (len > 0 && off + len == c->sndbuf.len) {
		flags |= TCP_PSH;
	}
	if (!c->timing && TCP_SEQ_GEQ(c->snd_nxt, c->snd_max)) {
		/* Karn: time only segments sent for the first time. */
		c->timing = true;
		c->rtt_seq = c->snd_nxt;
		c->rtt_start_ms = now_ms;
	}
	if (TCP_SEQ_LT(c->snd_nxt, c->snd_max))
		c->retransmits++;
	emit(c, c->snd_nxt, flags, buf, len);
	c->snd_nxt += (uint32_t) len + (fin ? 1 : 0);
	if (TCP_SEQ_GT(c->snd_nxt, c->snd_max))
		c->snd_max = c->snd_nxt;
	if (c->rtx_deadline == 0)
		timer_arm(c, now_ms);
	return len + (fin ? 1 : 0);
}

/** Does the FIN (or data) at snd_nxt still wait to be sent? */
static bool unsent(const tcp_conn_t *c)
{
	size_t off = c->snd_nxt - c->snd_una;
	if (off < c->sndbuf.len)
		return true;
	return c->fin_queued && !(c->fin_sent && TCP_SEQ_GT(c->snd_nxt, c->fin_seq));
}

/** Sends what the windows allow, then a bare ACK if one is owed. */
static void output(tcp_conn_t *c, uint64_t now_ms)
{
	if (can_send_data(c)) {
		uint32_t wnd = c->snd_wnd < c->cwnd ? c->snd_wnd : c->cwnd;
		while (unsent(c)) {
			size_t off = c->snd_nxt - c->snd_una;
			size_t room = flight(c) < wnd ? wnd - flight(c) : 0;
			bool fin_only = off == c->sndbuf.len;
			if (room == 0 && !fin_only) {
				/* The persist timer probes a closed window. */
				if (flight(c) == 0 && c->rtx_deadline == 0)
					timer_arm(c, now_ms);
				break;
			}
			send_one(c, room, now_ms);
		}
	}
	if (c->ack_now)
		emit(c, c->snd_nxt, TCP_ACK, NULL, 0);
}

/** RFC 6298 2.2 and 2.3: takes an RTT sample of @a rtt_ms. */
static void rtt_sample(tcp_conn_t *c, uint64_t rtt_ms)
{
	uint32_t r = (uint32_t) (rtt_ms > 60000 ? 60000000 : rtt_ms * 1000);
	if (!c->rtt_measured) {
		c->srtt_us = r;
		c->rttvar_us = r / 2;
		c->rtt_measured = true;
	} else {
		uint32_t diff = c->srtt_us > r ? c->srtt_us - r : r - c->srtt_us;
		c->rttvar_us = (3 * c->rttvar_us + diff) / 4;
		c->srtt_us = (7 * c->srtt_us + r) / 8;
	}
	uint32_t var4 = 4 * c->rttvar_us < 1000 ? 1000 : 4 * c->rttvar_us;
	uint32_t rto = (c->srtt_us + var4 + 999) / 1000;
	c->rto_ms = rto < TCP_RTO_MIN_MS ? TCP_RTO_MIN_MS
	    : rto > TCP_RTO_MAX_MS	 ? TCP_RTO_MAX_MS
					 : rto;
}

/** RFC 5681 (4) and (7): the window after a loss, from the data in flight. */
static void halve_window(tcp_conn_t *c)
{
	uint32_t half = flight(c) / 2;
	c->ssthresh = half > 2u * c->mss ? half : 2u * c->mss;
}

/** Sends the first unacknowledged segment again. After a timeout the rest
 *  follows it (@a go_back: snd_nxt stays behind it); a fast retransmit
 *  keeps sending new data (snd_nxt is restored). Data keeps its sequence
 *  numbers, so a FIN sent before is sent again with the same one. */
static void retransmit_first(tcp_conn_t *c, bool go_back, uint64_t now_ms)
{
	uint32_t nxt = c->snd_nxt;
	c->snd_nxt = c->snd_una;
	c->timing = false;
	send_one(c, c->mss, now_ms);
	if (!go_back && TCP_SEQ_GT(nxt, c->snd_nxt))
		c->snd_nxt = nxt;
}

/* Input */

static void set_closed(tcp_conn_t *c, errno_t error)
{
	c->state = TCP_CLOSED;
	if (c->error == EOK)
		c->error = error;
	c->rtx_deadline = 0;
	c->wait_deadline = 0;
}

static void enter_time_wait(tcp_conn_t *c, uint64_t now_ms)
{
	c->state = TCP_TIME_WAIT;
	c->rtx_deadline = 0;
	c->wait_deadline = now_ms + TCP_TIME_WAIT_MS;
}

/** The peer's MSS option, bounded by ours. */
static void take_mss(tcp_conn_t *c, const tcp_seg_t *seg)
{
	uint16_t mss = seg->mss != 0 ? seg->mss : TCP_MSS_DEFAULT;
	if (mss > TCP_MSS_MAX)
		mss = TCP_MSS_MAX;
	if (mss < 64)
		mss = 64;
	c->mss = mss;
	/* RFC 5681 3.1: the initial window. */
	c->cwnd = mss > 2190 ? 2u * mss : mss > 1095 ? 3u * mss : 4u * mss;
}

/** The peer's SYN says whether windows are scaled: only when it carries
 *  the option (ours went, or goes, in our SYN); otherwise neither side's is. */
static void take_wscale(tcp_conn_t *c, const tcp_seg_t *syn)
{
	c->wscale_ok = syn->wscale_ok;
	c->snd_wscale = syn->wscale_ok ? syn->wscale : 0;
	if (!syn->wscale_ok)
		c->rcv_wscale = 0;
}

static void synchronised(tcp_conn_t *c, const tcp_seg_t *seg, uint64_t now_ms)
{
	c->snd_una = seg->ack;
	c->snd_wnd = peer_window(c, seg);
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = seg->ack;
	c->retries = 0;
	c->rtx_deadline = 0;
	if (c->timing && c->retransmits == 0)
		rtt_sample(c, now_ms - c->rtt_start_ms);
	c->timing = false;
}

static net_drop_t input_syn_sent(tcp_conn_t *c, const tcp_seg_t *seg, uint64_t now_ms)
{
	bool ack_ok = (seg->flags & TCP_ACK) && TCP_SEQ_GT(seg->ack, c->iss) &&
	    TCP_SEQ_LEQ(seg->ack, c->snd_nxt);
	if ((seg->flags & TCP_ACK) && !ack_ok) {
		if (!(seg->flags & TCP_RST))
			emit(c, seg->ack, TCP_RST, NULL, 0);
		return NET_DROP_TCP_BAD_ACK;
	}
	if (seg->flags & TCP_RST) {
		if (!ack_ok)
			return NET_DROP_TCP_FLAGS;
		set_closed(c, EREFUSED);
		return NET_DROP_NONE;
	}
	if (!(seg->flags & TCP_SYN))
		return NET_DROP_TCP_FLAGS;
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	take_mss(c, seg);
	take_wscale(c, seg);
	if (ack_ok) {
		synchronised(c, seg, now_ms);
		c->state = TCP_ESTABLISHED;
		c->ack_now = true;
		output(c, now_ms);
	} else {
		/* Simultaneous open. */
		c->state = TCP_SYN_RCVD;
		send_syn(c);
	}
	return NET_DROP_NONE;
}

/** RFC 9293 3.10.7.4's acceptability test for @a len sequence numbers. */
static bool acceptable(const tcp_conn_t *c, uint32_t seq, uint32_t len)
{
	/* The window's right edge never moves left, so the free space now
	 * covers every window the peer was told of. */
	uint32_t wnd = rcv_window(c);
	uint32_t end = c->rcv_nxt + wnd;
	if (len == 0)
		return wnd == 0 ? seq == c->rcv_nxt
				: TCP_SEQ_GEQ(seq, c->rcv_nxt) && TCP_SEQ_LT(seq, end);
	if (wnd == 0)
		return false;
	return (TCP_SEQ_GEQ(seq, c->rcv_nxt) && TCP_SEQ_LT(seq, end)) ||
	    (TCP_SEQ_GEQ(seq + len - 1, c->rcv_nxt) && TCP_SEQ_LT(seq + len - 1, end));
}

/** A RST in a synchronised state (RFC 5961 3.2): exact, challenged or dropped. */
static net_drop_t input_rst(tcp_conn_t *c, const tcp_seg_t *seg)
{
	if (seg->seq != c->rcv_nxt) {
		c->ack_now = true; /* challenge ACK */
		return NET_DROP_TCP_OUT_OF_WINDOW;
	}
	if (c->state == TCP_SYN_RCVD && c->error == EOK)
		set_closed(c, EREFUSED);
	else
		set_closed(c,
		    c->state == TCP_TIME_WAIT || c->state == TCP_CLOSING ||
			    c->state == TCP_LAST_ACK
			? EOK
			: ECONNRESET);
	return NET_DROP_NONE;
}

/** Duplicate ACKs: fast retransmit at the third, window inflation after. */
static void dup_ack(tcp_conn_t *c, uint64_t now_ms)
{
	c->dupacks++;
	if (c->dupacks == 3 && !c->in_recovery) {
		halve_window(c);
		c->recover = c->snd_max;
		c->in_recovery = true;
		retransmit_first(c, false, now_ms);
		c->cwnd = c->ssthresh + 3u * c->mss;
	} else if (c->dupacks > 3 && c->in_recovery) {
		c->cwnd += c->mss;
	}
}

/** Grows or deflates the congestion window for @a acked new bytes. */
static void cwnd_on_ack(tcp_conn_t *c, uint32_t acked, uint32_t ack, uint64_t now_ms)
{
	if (c->in_recovery) {
		if (TCP_SEQ_GEQ(ack, c->recover)) {
			/* RFC 6582 3.2 (3), second choice: deflate to ssthresh. */
			c->in_recovery = false;
			c->cwnd = c->ssthresh;
		} else {
			/* NewReno partial ACK: the next hole is lost too. */
			retransmit_first(c, false, now_ms);
			c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
			c->cwnd += c->mss;
		}
		return;
	}
	if (c->cwnd < c->ssthresh) {
		/* RFC 3465 (L = 2 MSS): an ACK of two segments, as a delayed
		 * one is, grows the window by both. */
		uint32_t limit = 2u * c->mss;
		c->cwnd += acked < limit ? acked : limit;
		return;
	}
	c->bytes_acked += acked;
	if (c->bytes_acked >= c->cwnd) {
		c->bytes_acked -= c->cwnd;
		c->cwnd += c->mss;
	}
}

/** Removes @a acked sequence numbers from the send side (data, then FIN). */
static void take_ack(tcp_conn_t *c, uint32_t ack, uint64_t now_ms)
{
	uint32_t acked = ack - c->snd_una;
	ring_drop(&c->sndbuf, acked);
	c->snd_una = ack;
	if (TCP_SEQ_LT(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	if (c->timing && TCP_SEQ_GT(ack, c->rtt_seq)) {
		rtt_sample(c, now_ms - c->rtt_start_ms);
		c->timing = false;
	}
	c->retries = 0;
	cwnd_on_ack(c, acked, ack, now_ms);
	if (!c->in_recovery)
		c->dupacks = 0;
	c->rtx_deadline = flight(c) > 0 ? now_ms + c->rto_ms : 0;
}

static bool fin_acked(const tcp_conn_t *c)
{
	return c->fin_sent && TCP_SEQ_GT(c->snd_una, c->fin_seq);
}

/** The ACK field in a synchronised state. */
static net_drop_t input_ack(tcp_conn_t *c, const tcp_seg_t *seg, uint64_t now_ms)
{
	if (c->state == TCP_SYN_RCVD) {
		if (TCP_SEQ_LEQ(seg->ack, c->iss) || TCP_SEQ_GT(seg->ack, c->snd_nxt)) {
			emit(c, seg->ack, TCP_RST, NULL, 0);
			return NET_DROP_TCP_BAD_ACK;
		}
		synchronised(c, seg, now_ms);
		c->state = c->fin_queued ? TCP_FIN_WAIT_1 : TCP_ESTABLISHED;
		return NET_DROP_NONE;
	}
	if (TCP_SEQ_GT(seg->ack, c->snd_max)) {
		c->ack_now = true;
		return NET_DROP_TCP_BAD_ACK;
	}
	bool window_update = TCP_SEQ_LT(c->snd_wl1, seg->seq) ||
	    (c->snd_wl1 == seg->seq && TCP_SEQ_LEQ(c->snd_wl2, seg->ack));
	if (seg->wnd == 0)
		c->retries = 0; /* a peer that answers probes is alive */
	if (TCP_SEQ_GT(seg->ack, c->snd_una))
		take_ack(c, seg->ack, now_ms);
	else if (seg->ack == c->snd_una && seg->payload_len == 0 && flight(c) > 0 &&
	    peer_window(c, seg) == c->snd_wnd && !(seg->flags & (TCP_SYN | TCP_FIN)))
		dup_ack(c, now_ms);
	if (window_update) {
		c->snd_wnd = peer_window(c, seg);
		c->snd_wl1 = seg->seq;
		c->snd_wl2 = seg->ack;
	}
	return NET_DROP_NONE;
}

/** State changes an ACK of our FIN brings. */
static void fin_ack_states(tcp_conn_t *c, uint64_t now_ms)
{
	if (!fin_acked(c))
		return;
	if (c->state == TCP_FIN_WAIT_1) {
		c->state = TCP_FIN_WAIT_2;
		c->wait_deadline = now_ms + TCP_FIN_WAIT2_MS;
	} else if (c->state == TCP_CLOSING) {
		enter_time_wait(c, now_ms);
	} else if (c->state == TCP_LAST_ACK) {
		set_closed(c, EOK);
	}
}

static void ooo_remove(tcp_conn_t *c, size_t i)
{
	free(c->ooo[i].data);
	memmove(&c->ooo[i], &c->ooo[i + 1], (c->ooo_count - i - 1) * sizeof(c->ooo[0]));
	c->ooo_count--;
}

/** Keeps a segment beyond rcv_nxt, sorted by sequence number. */
static net_drop_t ooo_insert(
    tcp_conn_t *c, uint32_t seq, const uint8_t *data, size_t len, bool fin)
{
	size_t i = 0;
	while (i < c->ooo_count && TCP_SEQ_LT(c->ooo[i].seq, seq))
		i++;
	if (i < c->ooo_count && c->ooo[i].seq == seq && c->ooo[i].len >= len &&
	    c->ooo[i].fin == fin)
		return NET_DROP_NONE; /* a duplicate */
	if (c->ooo_count == TCP_OOO_MAX)
		return NET_DROP_TCP_OOO_FULL;
	uint8_t *copy = malloc(len > 0 ? len : 1);
	if (copy == NULL)
		return NET_DROP_TCP_OOO_FULL;
	if (len > 0)
		memcpy(copy, data, len);
	memmove(&c->ooo[i + 1], &c->ooo[i], (c->ooo_count - i) * sizeof(c->ooo[0]));
	c->ooo[i] = (tcp_ooo_t){seq, len, fin, copy};
	c->ooo_count++;
	return NET_DROP_NONE;
}

static void take_fin(tcp_conn_t *c, uint64_t now_ms);

/** Appends in-order data; then whatever the out-of-order queue now joins. */
static void deliver(
    tcp_conn_t *c, const uint8_t *data, size_t len, bool fin, uint64_t now_ms)
{
	c->rcv_nxt += (uint32_t) ring_put(&c->rcvbuf, data, len);
	if (fin)
		take_fin(c, now_ms);
	while (c->ooo_count > 0 && TCP_SEQ_LEQ(c->ooo[0].seq, c->rcv_nxt) &&
	    !c->fin_received) {
		tcp_ooo_t *o = &c->ooo[0];
		uint32_t end = o->seq + (uint32_t) o->len;
		if (TCP_SEQ_GT(end, c->rcv_nxt) || (o->fin && end == c->rcv_nxt)) {
			size_t skip = c->rcv_nxt - o->seq;
			c->rcv_nxt += (uint32_t) ring_put(
			    &c->rcvbuf, o->data + skip, o->len - skip);
			if (o->fin && c->rcv_nxt == end)
				take_fin(c, now_ms);
		}
		ooo_remove(c, 0);
	}
}

/** The peer's FIN at rcv_nxt. */
static void take_fin(tcp_conn_t *c, uint64_t now_ms)
{
	c->rcv_nxt++;
	c->fin_received = true;
	c->ack_now = true;
	if (c->state == TCP_ESTABLISHED || c->state == TCP_SYN_RCVD)
		c->state = TCP_CLOSE_WAIT;
	else if (c->state == TCP_FIN_WAIT_1)
		c->state = fin_acked(c) ? TCP_TIME_WAIT : TCP_CLOSING;
	else if (c->state == TCP_FIN_WAIT_2)
		c->state = TCP_TIME_WAIT;
	if (c->state == TCP_TIME_WAIT)
		enter_time_wait(c, now_ms);
}

/** An in-order segment: the second one not yet acknowledged is answered
 *  at once, a first one within TCP_DELACK_MS (the ACK of the data we send
 *  meanwhile carries it). */
static void delay_ack(tcp_conn_t *c, uint64_t now_ms)
{
	if (++c->ack_pending >= 2)
		c->ack_now = true;
	else if (c->ack_deadline == 0)
		c->ack_deadline = now_ms + TCP_DELACK_MS;
}

/** Payload and FIN of an acceptable segment, trimmed to the window. */
static net_drop_t input_text(tcp_conn_t *c, const tcp_seg_t *seg, uint64_t now_ms)
{
	const uint8_t *data = seg->payload;
	size_t len = seg->payload_len;
	uint32_t seq = seg->seq;
	bool fin = (seg->flags & TCP_FIN) != 0;
	if (c->fin_received) {
		/* A retransmitted FIN (or data after it): acknowledge again. */
		c->ack_now = len > 0 || fin;
		if (c->state == TCP_TIME_WAIT && fin)
			c->wait_deadline = now_ms + TCP_TIME_WAIT_MS;
		return NET_DROP_NONE;
	}
	if (TCP_SEQ_LT(seq, c->rcv_nxt)) {
		size_t skip = c->rcv_nxt - seq;
		if (skip > len) {
			skip = len; /* only a retransmitted FIN remains */
		}
		data += skip;
		len -= skip;
		seq += (uint32_t) skip;
	}
	size_t space = ring_free(&c->rcvbuf);
	size_t ahead = seq - c->rcv_nxt;
	size_t room = ahead < space ? space - ahead : 0;
	if (len > room) {
		len = room;
		fin = false; /* cut off with the tail */
	}
	if (len == 0 && !fin)
		return NET_DROP_NONE;
	if (c->delayed_ack && seq == c->rcv_nxt && c->ooo_count == 0 && !fin) {
		delay_ack(c, now_ms);
		deliver(c, data, len, fin, now_ms);
		return NET_DROP_NONE;
	}
	c->ack_now = true; /* out of order, filling a hole, or a FIN: at once */
	if (seq == c->rcv_nxt) {
		deliver(c, data, len, fin, now_ms);
		return NET_DROP_NONE;
	}
	return ooo_insert(c, seq, data, len, fin);
}

static bool synchronised_state(const tcp_conn_t *c)
{
	return c->state >= TCP_SYN_RCVD;
}

net_drop_t tcp_conn_input(tcp_conn_t *c, const tcp_seg_t *seg, uint64_t now_ms)
{
	if (c->state == TCP_CLOSED || c->state == TCP_LISTEN)
		return NET_DROP_TCP_NO_SOCKET;
	if (c->state == TCP_SYN_SENT)
		return input_syn_sent(c, seg, now_ms);
	if (c->state == TCP_TIME_WAIT && (seg->flags & TCP_FIN) &&
	    !(seg->flags & TCP_RST)) {
		/* Our last ACK was lost: the FIN comes again (its buffers may be
		 * gone, so no window test). Acknowledge and wait 2 MSL anew. */
		c->ack_now = true;
		c->wait_deadline = now_ms + TCP_TIME_WAIT_MS;
		output(c, now_ms);
		return NET_DROP_NONE;
	}
	uint32_t len = (uint32_t) seg->payload_len + !!(seg->flags & TCP_SYN) +
	    !!(seg->flags & TCP_FIN);
	net_drop_t drop = NET_DROP_NONE;
	if (!acceptable(c, seg->seq, len)) {
		if (!(seg->flags & TCP_RST))
			c->ack_now = true;
		drop = NET_DROP_TCP_OUT_OF_WINDOW;
	} else if (seg->flags & TCP_RST) {
		drop = input_rst(c, seg);
		if (c->state == TCP_CLOSED)
			return drop;
	} else if (seg->flags & TCP_SYN) {
		/* RFC 5961 4.2: a SYN in a synchronised state gets a challenge ACK. */
		c->ack_now = true;
		drop = NET_DROP_TCP_FLAGS;
	} else if (!(seg->flags & TCP_ACK)) {
		drop = NET_DROP_TCP_FLAGS;
	} else {
		drop = input_ack(c, seg, now_ms);
		if (drop == NET_DROP_NONE && synchronised_state(c) &&
		    c->state != TCP_SYN_RCVD) {
			fin_ack_states(c, now_ms);
			if (c->state != TCP_CLOSED)
				drop = input_text(c, seg, now_ms);
		}
	}
	if (c->state != TCP_CLOSED)
		output(c, now_ms);
	return drop;
}

/* User calls */

errno_t tcp_conn_init(tcp_conn_t *c, size_t sndbuf, size_t rcvbuf, tcp_output_t out,
    void *arg, net_stats_t *stats)
{
	memset(c, 0, sizeof(*c));
	if (rcvbuf == 0 || rcvbuf > TCP_WND_MAX || sndbuf == 0)
		return EINVAL;
	if (ring_init(&c->sndbuf, sndbuf) != EOK)
		return ENOMEM;
	if (ring_init(&c->rcvbuf, rcvbuf) != EOK) {
		free(c->sndbuf.data);
		return ENOMEM;
	}
	c->output = out;
	c->arg = arg;
	c->stats = stats;
	c->rto_ms = TCP_RTO_INITIAL_MS;
	c->mss = TCP_MSS_DEFAULT;
	c->cwnd = 4u * TCP_MSS_DEFAULT;
	c->ssthresh = 0xffffffffu;
	c->rcv_wscale = tcp_wscale_for(rcvbuf);
	return EOK;
}

void tcp_conn_fini(tcp_conn_t *c)
{
	while (c->ooo_count > 0)
		ooo_remove(c, c->ooo_count - 1);
	free(c->sndbuf.data);
	free(c->rcvbuf.data);
	c->sndbuf.data = c->rcvbuf.data = NULL;
}

static void start_handshake(tcp_conn_t *c, uint32_t iss, uint64_t now_ms)
{
	c->iss = iss;
	c->snd_una = iss;
	c->snd_nxt = iss + 1;
	c->snd_max = iss + 1;
	c->timing = true;
	c->rtt_seq = iss;
	c->rtt_start_ms = now_ms;
	send_syn(c);
	timer_arm(c, now_ms);
}

void tcp_conn_connect(tcp_conn_t *c, uint32_t iss, uint64_t now_ms)
{
	c->state = TCP_SYN_SENT;
	start_handshake(c, iss, now_ms);
}

void tcp_conn_accept(tcp_conn_t *c, const tcp_seg_t *syn, uint32_t iss, uint64_t now_ms)
{
	c->state = TCP_SYN_RCVD;
	c->irs = syn->seq;
	c->rcv_nxt = syn->seq + 1;
	c->snd_wnd = syn->wnd; /* a SYN's window is never scaled */
	take_mss(c, syn);
	take_wscale(c, syn);
	start_handshake(c, iss, now_ms);
}

errno_t tcp_conn_send(
    tcp_conn_t *c, const void *data, size_t len, size_t *done, uint64_t now_ms)
{
	*done = 0;
	if (c->error != EOK)
		return c->error;
	if (c->fin_queued || c->state == TCP_CLOSED || c->state == TCP_LISTEN)
		return ENOTCONN;
	*done = ring_put(&c->sndbuf, data, len);
	output(c, now_ms);
	return EOK;
}

errno_t tcp_conn_peek(const tcp_conn_t *c, void *buf, size_t len, size_t *done)
{
	if (len > c->rcvbuf.len)
		len = c->rcvbuf.len;
	*done = len;
	if (len == 0)
		return c->error == ECONNRESET || c->error == ETIMEOUT ? c->error : EOK;
	ring_peek(&c->rcvbuf, 0, buf, len);
	return EOK;
}

void tcp_conn_recv_span(const tcp_conn_t *c, const uint8_t **data, size_t *len)
{
	const tcp_ring_t *r = &c->rcvbuf;
	size_t to_end = r->cap - r->head;
	*data = r->len > 0 ? r->data + r->head : NULL;
	*len = r->len < to_end ? r->len : to_end;
}

errno_t tcp_conn_recv(tcp_conn_t *c, void *buf, size_t len, size_t *done, uint64_t now_ms)
{
	errno_t rc = tcp_conn_peek(c, buf, len, done);
	if (rc == EOK && *done > 0)
		tcp_conn_consume(c, *done, now_ms);
	return rc;
}

void tcp_conn_consume(tcp_conn_t *c, size_t len, uint64_t now_ms)
{
	if (len == 0)
		return;
	uint32_t before = rcv_window(c);
	ring_drop(&c->rcvbuf, len);
	/* Tell the peer of a window that opened from below one segment, or by
	 * half the buffer (RFC 9293 3.8.6.2.2, receiver's SWS avoidance). */
	uint32_t after = rcv_window(c);
	bool opened = before < c->mss ||
	    (after > c->wnd_advertised &&
		(size_t) (after - c->wnd_advertised) >= c->rcvbuf.cap / 2);
	if (synchronised_state(c) && c->state != TCP_TIME_WAIT && opened &&
	    after >= c->mss)
		emit(c, c->snd_nxt, TCP_ACK, NULL, 0);
	(void) now_ms;
}

bool tcp_conn_eof(const tcp_conn_t *c)
{
	return c->rcvbuf.len == 0 && (c->fin_received || c->state == TCP_CLOSED);
}

size_t tcp_conn_readable(const tcp_conn_t *c)
{
	return c->rcvbuf.len;
}

size_t tcp_conn_writable(const tcp_conn_t *c)
{
	return c->fin_queued ? 0 : ring_free(&c->sndbuf);
}

void tcp_conn_close(tcp_conn_t *c, uint64_t now_ms)
{
	switch (c->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		set_closed(c, EOK);
		return;
	case TCP_SYN_RCVD:
		c->fin_queued = true; /* FIN_WAIT_1 once the handshake completes */
		return;
	case TCP_ESTABLISHED:
		c->state = TCP_FIN_WAIT_1;
		break;
	case TCP_CLOSE_WAIT:
		c->state = TCP_LAST_ACK;
		break;
	default:
		return; /* closed already */
	}
	c->fin_queued = true;
	output(c, now_ms);
}

void tcp_conn_abort(tcp_conn_t *c)
{
	if (synchronised_state(c) && c->state != TCP_TIME_WAIT)
		emit(c, c->snd_nxt, TCP_RST, NULL, 0);
	set_closed(c, ECONNRESET);
}

bool tcp_conn_drop_buffers(tcp_conn_t *c)
{
	if (c->state != TCP_TIME_WAIT && c->state != TCP_CLOSED)
		return false;
	while (c->ooo_count > 0)
		ooo_remove(c, c->ooo_count - 1);
	free(c->sndbuf.data);
	free(c->rcvbuf.data);
	c->sndbuf = (tcp_ring_t){0};
	c->rcvbuf = (tcp_ring_t){0};
	return true;
}

/* Timers */

/** The retransmission timer went off: back off, shrink cwnd, resend. */
static void rtx_timeout(tcp_conn_t *c, uint64_t now_ms)
{
	bool handshake = c->state == TCP_SYN_SENT || c->state == TCP_SYN_RCVD;
	bool probe = !handshake && flight(c) == 0;
	if (!probe && ++c->retries > (handshake ? TCP_SYN_RETRIES : TCP_MAX_RETRIES)) {
		tcp_conn_abort(c);
		c->error = ETIMEOUT;
		return;
	}
	c->rto_ms = c->rto_ms * 2 > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : c->rto_ms * 2;
	c->timing = false;
	timer_arm(c, now_ms);
	if (handshake) {
		c->retransmits++;
		send_syn(c);
		return;
	}
	if (probe) {
		/* The peer's window is closed: one byte beyond it asks again. */
		if (unsent(c))
			send_one(c, 1, now_ms);
		else
			c->rtx_deadline = 0;
		return;
	}
	halve_window(c);
	c->cwnd = c->mss;
	c->bytes_acked = 0;
	c->in_recovery = false;
	c->dupacks = 0;
	retransmit_first(c, true, now_ms);
}

void tcp_conn_tick(tcp_conn_t *c, uint64_t now_ms)
{
	if (c->ack_deadline != 0 && now_ms >= c->ack_deadline) {
		c->ack_deadline = 0;
		if (synchronised_state(c) && c->state != TCP_TIME_WAIT)
			emit(c, c->snd_nxt, TCP_ACK, NULL, 0); /* the delayed ACK */
	}
	if (c->wait_deadline != 0 && now_ms >= c->wait_deadline) {
		/* TIME_WAIT's 2 MSL, or FIN_WAIT_2's limit, are over. */
		set_closed(c, EOK);
		return;
	}
	if (c->rtx_deadline != 0 && now_ms >= c->rtx_deadline)
		rtx_timeout(c, now_ms);
	else if (c->rtx_deadline == 0 && can_send_data(c) && c->snd_wnd == 0 && unsent(c))
		timer_arm(c, now_ms); /* the persist timer */
}

/** The earlier of two deadlines, 0 meaning none. */
static uint64_t deadline_min(uint64_t a, uint64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

uint64_t tcp_conn_deadline(const tcp_conn_t *c)
{
	return deadline_min(
	    deadline_min(c->rtx_deadline, c->wait_deadline), c->ack_deadline);
}
