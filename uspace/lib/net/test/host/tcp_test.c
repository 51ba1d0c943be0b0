/*
 * The TCP state machine (uspace/lib/net/src/tcp_conn.c, tcp_seg.c): two
 * connections joined by a simulated link that can lose, hold back and
 * reorder segments, on a simulated clock. Every segment goes through
 * tcp_build and tcp_parse, so the wire format is exercised too.
 */
#if __STDC_HOSTED__ /* not built into the library: see host.mk */
#include "host_test.h"
#include <net/cksum.h>
#include <net/ipv4.h>
#include <net/tcp.h>
#include <stdlib.h>
#include <string.h>

#define A_IP IPV4_ADDR(10, 0, 2, 15)
#define B_IP IPV4_ADDR(10, 0, 2, 2)
#define QMAX 512

typedef struct {
	uint8_t bytes[TCP_HDR_LEN + TCP_OPT_MAX + TCP_MSS_MAX];
	size_t len;
} wire_seg_t;

/** The segments one side sent that the other has not taken yet. */
typedef struct {
	wire_seg_t q[QMAX];
	size_t n;
	uint32_t src, dst;
	size_t sent; /* all segments ever sent */
} link_t;

typedef struct {
	tcp_conn_t a, b;
	link_t to_b, to_a; /* a's output, b's output */
	net_stats_t stats;
	uint64_t now;
} pair_t;

static void link_output(tcp_conn_t *c, const tcp_seg_t *seg)
{
	link_t *l = c->arg;
	l->sent++;
	if (l->n == QMAX)
		return; /* the link is full: lost */
	l->q[l->n].len = tcp_build(l->q[l->n].bytes, l->src, l->dst, seg);
	l->n++;
}

static void link_remove(link_t *l, size_t i)
{
	memmove(&l->q[i], &l->q[i + 1], (l->n - i - 1) * sizeof(l->q[0]));
	l->n--;
}

/** Parses segment @a i of @a l (it must be well-formed). */
static tcp_seg_t link_peek(const link_t *l, size_t i)
{
	tcp_seg_t seg;
	net_drop_t d = tcp_parse(l->q[i].bytes, l->q[i].len, l->src, l->dst, &seg);
	if (d != NET_DROP_NONE)
		abort();
	return seg;
}

/** Delivers segment @a i of @a l to @a to; the drop reason. */
static net_drop_t link_deliver(pair_t *p, link_t *l, size_t i, tcp_conn_t *to)
{
	wire_seg_t w = l->q[i];
	link_remove(l, i);
	tcp_seg_t seg;
	net_drop_t d = tcp_parse(w.bytes, w.len, l->src, l->dst, &seg);
	if (d != NET_DROP_NONE)
		return d;
	return net_stats_drop(&p->stats, tcp_conn_input(to, &seg, p->now));
}

static void pair_init(pair_t *p, size_t bufsize)
{
	memset(p, 0, sizeof(*p));
	p->to_b = (link_t){.src = A_IP, .dst = B_IP};
	p->to_a = (link_t){.src = B_IP, .dst = A_IP};
	p->now = 1000;
	if (tcp_conn_init(&p->a, bufsize, bufsize, link_output, &p->to_b, &p->stats) !=
		EOK ||
	    tcp_conn_init(&p->b, bufsize, bufsize, link_output, &p->to_a, &p->stats) !=
		EOK)
		abort();
	p->a.laddr = p->b.raddr = A_IP;
	p->a.raddr = p->b.laddr = B_IP;
	p->a.lport = p->b.rport = 40000;
	p->a.rport = p->b.lport = 80;
}

static void pair_fini(pair_t *p)
{
	tcp_conn_fini(&p->a);
	tcp_conn_fini(&p->b);
}

/** Delivers everything in flight, both ways, until the links are quiet. */
static void pump(pair_t *p)
{
	for (int round = 0; round < 10000 && (p->to_a.n || p->to_b.n); round++) {
		while (p->to_b.n)
			link_deliver(p, &p->to_b, 0, &p->b);
		while (p->to_a.n)
			link_deliver(p, &p->to_a, 0, &p->a);
	}
}

/** a connects with @a iss; its SYN, taken off the link to b. */
static tcp_seg_t take_syn(pair_t *p, uint32_t iss)
{
	tcp_conn_connect(&p->a, iss, p->now);
	tcp_seg_t syn = link_peek(&p->to_b, 0);
	link_remove(&p->to_b, 0);
	return syn;
}

/** a connects to b (b as a listener would: from a's SYN). */
static void handshake(pair_t *p)
{
	tcp_seg_t syn = take_syn(p, 1000000);
	tcp_conn_accept(&p->b, &syn, 0xfffffff0u, p->now); /* wraps around 2^32 */
	pump(p);
}

/** a is in state @a sa and b in @a sb. */
#define CHECK_STATES(p, sa, sb) \
	do { \
		CHECK_EQ((p)->a.state, (sa)); \
		CHECK_EQ((p)->b.state, (sb)); \
	} while (0)

/** A pair with buffers of @a bufsize bytes, connected. */
static void established(pair_t *p, size_t bufsize)
{
	pair_init(p, bufsize);
	handshake(p);
}

static void fill(uint8_t *d, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		d[i] = (uint8_t) ((i * 131 + seed) >> 3);
}

/** Reads all b has into @a out at *@a got. */
static void drain(tcp_conn_t *c, uint8_t *out, size_t *got, size_t cap, uint64_t now)
{
	size_t n;
	do {
		if (tcp_conn_recv(c, out + *got, cap - *got, &n, now) != EOK)
			return;
		*got += n;
	} while (n > 0);
}

HOST_TEST(handshake_establishes_both_sides_with_the_mss)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	CHECK_STATES(&p, TCP_ESTABLISHED, TCP_ESTABLISHED);
	CHECK_EQ(p.a.mss, TCP_MSS_MAX);
	CHECK_EQ(p.b.mss, TCP_MSS_MAX);
	CHECK_EQ(p.a.snd_nxt, p.b.rcv_nxt);
	CHECK_EQ(p.b.snd_nxt, p.a.rcv_nxt);
	CHECK_EQ(p.b.snd_una, 0xfffffff1u);
	CHECK_EQ(net_stats_total(&p.stats), 0);
	pair_fini(&p);
}

HOST_TEST(a_megabyte_flows_both_ways_within_the_windows)
{
	pair_t p;
	established(&p, 8192);
	size_t total = 1 << 20, sent_a = 0, sent_b = 0, got_a = 0, got_b = 0;
	uint8_t *src = malloc(total), *at_b = malloc(total), *at_a = malloc(total);
	fill(src, total, 1);
	for (int i = 0; i < 100000 && (got_a < total || got_b < total); i++) {
		size_t n;
		CHECK_EQ(
		    tcp_conn_send(&p.a, src + sent_a, total - sent_a, &n, p.now), EOK);
		sent_a += n;
		CHECK_EQ(
		    tcp_conn_send(&p.b, src + sent_b, total - sent_b, &n, p.now), EOK);
		sent_b += n;
		/* No segment goes beyond the window its receiver advertised. */
		for (size_t k = 0; k < p.to_b.n; k++) {
			tcp_seg_t s = link_peek(&p.to_b, k);
			CHECK(TCP_SEQ_LEQ(s.seq + s.payload_len, p.b.rcv_nxt + 8192));
		}
		pump(&p);
		drain(&p.b, at_b, &got_b, total, p.now);
		drain(&p.a, at_a, &got_a, total, p.now);
		pump(&p);
		p.now++;
	}
	CHECK_EQ(got_b, total);
	CHECK_EQ(got_a, total);
	CHECK(memcmp(src, at_b, total) == 0 && memcmp(src, at_a, total) == 0);
	CHECK_EQ(p.a.retransmits + p.b.retransmits, 0);
	free(src);
	free(at_a);
	free(at_b);
	pair_fini(&p);
}

HOST_TEST(rto_is_measured_from_round_trips)
{
	pair_t p;
	pair_init(&p, TCP_BUF_DEFAULT);
	tcp_seg_t syn = take_syn(&p, 1);
	tcp_conn_accept(&p.b, &syn, 1, p.now);
	CHECK(!tcp_conn_drop_buffers(&p.a)); /* still in use */
	/* Every segment takes 400 ms each way. */
	for (int i = 0; i < 20; i++) {
		size_t n;
		if (i > 0)
			CHECK_EQ(tcp_conn_send(&p.a, "x", 1, &n, p.now), EOK);
		p.now += 400;
		while (p.to_b.n)
			link_deliver(&p, &p.to_b, 0, &p.b);
		p.now += 400;
		while (p.to_a.n)
			link_deliver(&p, &p.to_a, 0, &p.a);
	}
	/* srtt 800 ms, the variance decayed: RTO between 800 and 1600 ms. */
	CHECK(p.a.srtt_us >= 790000 && p.a.srtt_us <= 810000);
	CHECK(p.a.rto_ms > 800 && p.a.rto_ms < 1600);
	CHECK_EQ(p.a.retransmits, 0);
	pair_fini(&p);
}

HOST_TEST(a_lost_segment_is_sent_again_after_the_rto_which_backs_off)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	size_t n;
	CHECK_EQ(tcp_conn_send(&p.a, "hello", 5, &n, p.now), EOK);
	CHECK_EQ(p.to_b.n, 1);
	link_remove(&p.to_b, 0); /* lost */
	uint32_t rto = p.a.rto_ms;
	CHECK_EQ(tcp_conn_deadline(&p.a), p.now + rto);
	p.now += rto - 1;
	tcp_conn_tick(&p.a, p.now);
	CHECK_EQ(p.to_b.n, 0);
	p.now += 1;
	tcp_conn_tick(&p.a, p.now);
	CHECK_EQ(p.to_b.n, 1);
	CHECK_EQ(p.a.rto_ms, 2 * rto);
	CHECK_EQ(p.a.cwnd, p.a.mss); /* RFC 5681 (5): loss window */
	pump(&p);
	char buf[8];
	CHECK_EQ(tcp_conn_recv(&p.b, buf, sizeof(buf), &n, p.now), EOK);
	CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(p.a.retransmits, 1);
	CHECK_EQ(tcp_conn_deadline(&p.a), 0);
	pair_fini(&p);
}

HOST_TEST(delayed_acks_answer_every_second_segment_or_after_40_ms)
{
	pair_t p;
	established(&p, 65535);
	p.b.delayed_ack = true;
	uint8_t d[3 * TCP_MSS_MAX];
	fill(d, sizeof(d), 7);
	size_t done;
	/* One segment alone: no ACK yet, one after TCP_DELACK_MS. */
	CHECK_EQ(tcp_conn_send(&p.a, d, TCP_MSS_MAX, &done, p.now), EOK);
	CHECK_EQ(link_deliver(&p, &p.to_b, 0, &p.b), NET_DROP_NONE);
	CHECK_EQ(p.to_a.n, 0);
	CHECK_EQ(tcp_conn_deadline(&p.b), p.now + TCP_DELACK_MS);
	tcp_conn_tick(&p.b, p.now + TCP_DELACK_MS - 1);
	CHECK_EQ(p.to_a.n, 0);
	tcp_conn_tick(&p.b, p.now + TCP_DELACK_MS);
	CHECK_EQ(p.to_a.n, 1);
	CHECK_EQ(link_peek(&p.to_a, 0).ack, p.a.snd_nxt);
	CHECK_EQ(tcp_conn_deadline(&p.b), 0);
	pump(&p);
	/* Two in a row: one ACK for both, at once. */
	CHECK_EQ(tcp_conn_send(&p.a, d, 2 * TCP_MSS_MAX, &done, p.now), EOK);
	CHECK_EQ(p.to_b.n, 2);
	CHECK_EQ(link_deliver(&p, &p.to_b, 0, &p.b), NET_DROP_NONE);
	CHECK_EQ(p.to_a.n, 0);
	CHECK_EQ(link_deliver(&p, &p.to_b, 0, &p.b), NET_DROP_NONE);
	CHECK_EQ(p.to_a.n, 1);
	CHECK_EQ(link_peek(&p.to_a, 0).ack, p.a.snd_nxt);
	pump(&p);
	/* Out of order: acknowledged at once (a duplicate ACK for fast
	 * retransmit), and so is the segment that fills the hole. */
	CHECK_EQ(tcp_conn_send(&p.a, d, 2 * TCP_MSS_MAX, &done, p.now), EOK);
	CHECK_EQ(link_deliver(&p, &p.to_b, 1, &p.b), NET_DROP_NONE);
	CHECK_EQ(p.to_a.n, 1);
	CHECK_EQ(link_deliver(&p, &p.to_b, 0, &p.b), NET_DROP_NONE);
	CHECK_EQ(p.to_a.n, 2);
	CHECK_EQ(link_peek(&p.to_a, 1).ack, p.a.snd_nxt);
	CHECK_EQ(tcp_conn_readable(&p.b), 5 * (size_t) TCP_MSS_MAX);
	pair_fini(&p);
}

HOST_TEST(a_peek_copies_the_stream_s_front_and_leaves_it)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	size_t n;
	CHECK_EQ(tcp_conn_send(&p.a, "hello", 5, &n, p.now), EOK);
	pump(&p);
	char buf[8];
	CHECK_EQ(tcp_conn_peek(&p.b, buf, 3, &n), EOK);
	CHECK(n == 3 && memcmp(buf, "hel", 3) == 0);
	CHECK_EQ(tcp_conn_readable(&p.b), 5);
	CHECK_EQ(tcp_conn_peek(&p.b, buf, sizeof(buf), &n), EOK);
	CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(tcp_conn_recv(&p.b, buf, sizeof(buf), &n, p.now), EOK);
	CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(tcp_conn_peek(&p.b, buf, sizeof(buf), &n), EOK);
	CHECK_EQ(n, 0);
	pair_fini(&p);
}

/** Sends @a segs full segments from a to b, delivers them all but the
 *  first, then lets b's duplicate ACKs reach a. */
static void lose_first_of(pair_t *p, int segs, uint8_t *data)
{
	size_t n;
	CHECK(tcp_conn_send(&p->a, data, (size_t) segs * TCP_MSS_MAX, &n, p->now) == EOK);
	link_remove(&p->to_b, 0);
	while (p->to_b.n)
		link_deliver(p, &p->to_b, 0, &p->b);
}

HOST_TEST(three_duplicate_acks_retransmit_fast_and_halve_the_window)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	p.a.cwnd = 10 * TCP_MSS_MAX; /* as if slow start had run */
	uint8_t data[10 * TCP_MSS_MAX];
	fill(data, sizeof(data), 3);
	lose_first_of(&p, 10, data);
	CHECK_EQ(p.b.ooo_count, 9);
	CHECK_EQ(p.to_a.n, 9); /* an immediate duplicate ACK for each */
	while (p.to_a.n)
		link_deliver(&p, &p.to_a, 0, &p.a);
	CHECK(p.a.in_recovery);
	CHECK_EQ(p.a.ssthresh, 5 * TCP_MSS_MAX);
	CHECK_EQ(p.a.retransmits, 1); /* before any timer went off */
	pump(&p);
	CHECK(!p.a.in_recovery);
	CHECK_EQ(p.a.cwnd, 5 * TCP_MSS_MAX); /* deflated to ssthresh */
	uint8_t got[sizeof(data)];
	size_t n = 0;
	drain(&p.b, got, &n, sizeof(got), p.now);
	CHECK_EQ(n, sizeof(data));
	CHECK(memcmp(got, data, sizeof(data)) == 0);
	CHECK_EQ(p.b.ooo_count, 0);
	pair_fini(&p);
}

HOST_TEST(slow_start_grows_per_ack_then_congestion_avoidance_per_window)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	uint32_t mss = p.a.mss;
	CHECK_EQ(p.a.cwnd, 3 * mss); /* RFC 5681's initial window for 1460 */
	uint8_t data[3 * TCP_MSS_MAX];
	fill(data, sizeof(data), 0);
	size_t n, got = 0;
	CHECK_EQ(tcp_conn_send(&p.a, data, sizeof(data), &n, p.now), EOK);
	CHECK_EQ(p.to_b.n, 3);
	pump(&p);
	CHECK_EQ(p.a.cwnd, 6 * mss); /* one MSS per ACK */
	uint8_t sink[sizeof(data)];
	drain(&p.b, sink, &got, sizeof(sink), p.now);
	p.a.ssthresh = p.a.cwnd;
	got = 0;
	CHECK_EQ(tcp_conn_send(&p.a, data, sizeof(data), &n, p.now), EOK);
	pump(&p);
	CHECK_EQ(p.a.cwnd, 6 * mss); /* half a window acknowledged: no growth yet */
	drain(&p.b, sink, &got, sizeof(sink), p.now);
	got = 0;
	CHECK_EQ(tcp_conn_send(&p.a, data, sizeof(data), &n, p.now), EOK);
	pump(&p);
	CHECK_EQ(p.a.cwnd, 7 * mss); /* a whole window: one MSS more */
	pair_fini(&p);
}

HOST_TEST(segments_in_reverse_order_are_put_back_together)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	p.a.cwnd = 20 * TCP_MSS_MAX;
	uint8_t data[8 * TCP_MSS_MAX + 100];
	fill(data, sizeof(data), 9);
	size_t n;
	CHECK_EQ(tcp_conn_send(&p.a, data, sizeof(data), &n, p.now), EOK);
	CHECK_EQ(p.to_b.n, 9);
	while (p.to_b.n)
		link_deliver(&p, &p.to_b, p.to_b.n - 1, &p.b);
	uint8_t got[sizeof(data)];
	size_t len = 0;
	drain(&p.b, got, &len, sizeof(got), p.now);
	CHECK_EQ(len, sizeof(data));
	CHECK(memcmp(got, data, sizeof(data)) == 0);
	CHECK_EQ(p.b.ooo_count, 0);
	pump(&p);
	CHECK_EQ(p.a.snd_una, p.a.snd_nxt);
	pair_fini(&p);
}

HOST_TEST(a_full_receiver_closes_the_window_and_probes_reopen_it)
{
	pair_t p;
	established(&p, 4096);
	uint8_t data[20000];
	fill(data, sizeof(data), 5);
	size_t n, sent = 0;
	CHECK_EQ(tcp_conn_send(&p.a, data, sizeof(data), &n, p.now), EOK);
	sent += n;
	pump(&p);
	CHECK_EQ(p.a.snd_wnd, 0);
	CHECK_EQ(tcp_conn_readable(&p.b), 4096);
	CHECK_EQ(tcp_conn_send(&p.a, data + sent, sizeof(data) - sent, &n, p.now), EOK);
	sent += n;
	CHECK_EQ(p.to_b.n, 0);
	/* The probe timer runs while the window is shut, and the link is quiet. */
	uint64_t deadline = tcp_conn_deadline(&p.a);
	CHECK(deadline != 0);
	p.now = deadline;
	tcp_conn_tick(&p.a, p.now);
	CHECK_EQ(p.to_b.n, 1);
	pump(&p);
	CHECK_EQ(p.a.state, TCP_ESTABLISHED);
	uint8_t got[sizeof(data)];
	size_t len = 0;
	for (int i = 0; i < 1000 && len < sizeof(data); i++) {
		drain(&p.b, got, &len, sizeof(got), p.now);
		pump(&p);
		CHECK_EQ(tcp_conn_send(&p.a, data + sent, sizeof(data) - sent, &n, p.now),
		    EOK);
		sent += n;
		pump(&p);
		p.now += 10;
		tcp_conn_tick(&p.a, p.now);
	}
	CHECK_EQ(len, sizeof(data));
	CHECK(memcmp(got, data, sizeof(data)) == 0);
	pair_fini(&p);
}

HOST_TEST(close_goes_through_fin_wait_and_time_wait)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	size_t n;
	CHECK_EQ(tcp_conn_send(&p.a, "bye", 3, &n, p.now), EOK);
	tcp_conn_close(&p.a, p.now);
	CHECK_EQ(p.a.state, TCP_FIN_WAIT_1);
	CHECK_EQ(tcp_conn_send(&p.a, "x", 1, &n, p.now), ENOTCONN);
	pump(&p);
	CHECK_STATES(&p, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT);
	char buf[8];
	CHECK_EQ(tcp_conn_recv(&p.b, buf, sizeof(buf), &n, p.now), EOK);
	CHECK(n == 3 && tcp_conn_eof(&p.b));
	tcp_conn_close(&p.b, p.now);
	CHECK_EQ(p.b.state, TCP_LAST_ACK);
	pump(&p);
	CHECK_EQ(p.b.state, TCP_CLOSED);
	CHECK_EQ(p.b.error, EOK);
	CHECK_EQ(p.a.state, TCP_TIME_WAIT);
	CHECK(tcp_conn_eof(&p.a));
	CHECK_EQ(tcp_conn_deadline(&p.a), p.now + TCP_TIME_WAIT_MS);
	/* TIME_WAIT needs no buffers; a FIN sent again is still acknowledged. */
	CHECK(!tcp_conn_drop_buffers(&p.b) || p.b.state == TCP_CLOSED);
	CHECK(tcp_conn_drop_buffers(&p.a));
	tcp_seg_t fin = {.src_port = 80,
	    .dst_port = 40000,
	    .flags = TCP_FIN | TCP_ACK,
	    .seq = p.a.rcv_nxt - 1,
	    .ack = p.a.snd_nxt};
	p.now += 1000;
	CHECK_EQ(tcp_conn_input(&p.a, &fin, p.now), NET_DROP_NONE);
	CHECK_EQ(p.to_b.n, 1);
	CHECK_EQ(link_peek(&p.to_b, 0).ack, p.a.rcv_nxt);
	link_remove(&p.to_b, 0);
	tcp_conn_tick(&p.a, p.now + TCP_TIME_WAIT_MS - 1);
	CHECK_EQ(p.a.state, TCP_TIME_WAIT);
	tcp_conn_tick(&p.a, p.now + TCP_TIME_WAIT_MS);
	CHECK_EQ(p.a.state, TCP_CLOSED);
	CHECK_EQ(p.a.error, EOK);
	pair_fini(&p);
}

HOST_TEST(simultaneous_close_passes_through_closing)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	tcp_conn_close(&p.a, p.now);
	tcp_conn_close(&p.b, p.now);
	pump(&p);
	CHECK_STATES(&p, TCP_TIME_WAIT, TCP_TIME_WAIT);
	pair_fini(&p);
}

HOST_TEST(a_lost_fin_is_sent_again)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	tcp_conn_close(&p.a, p.now);
	CHECK_EQ(p.to_b.n, 1);
	link_remove(&p.to_b, 0);
	p.now = tcp_conn_deadline(&p.a);
	tcp_conn_tick(&p.a, p.now);
	CHECK_EQ(p.to_b.n, 1);
	CHECK(link_peek(&p.to_b, 0).flags & TCP_FIN);
	pump(&p);
	CHECK_STATES(&p, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT);
	pair_fini(&p);
}

HOST_TEST(only_an_exact_reset_resets_and_a_blind_one_is_challenged)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	tcp_seg_t rst = {.src_port = 80,
	    .dst_port = 40000,
	    .flags = TCP_RST,
	    .seq = p.a.rcv_nxt + 100};
	CHECK_EQ(tcp_conn_input(&p.a, &rst, p.now), NET_DROP_TCP_OUT_OF_WINDOW);
	CHECK_EQ(p.a.state, TCP_ESTABLISHED);
	CHECK_EQ(p.to_b.n, 1); /* the challenge ACK */
	CHECK_EQ(link_peek(&p.to_b, 0).flags, TCP_ACK);
	link_remove(&p.to_b, 0);
	rst.seq = p.a.rcv_nxt + 100000; /* outside the window: dropped silently */
	CHECK_EQ(tcp_conn_input(&p.a, &rst, p.now), NET_DROP_TCP_OUT_OF_WINDOW);
	CHECK_EQ(p.to_b.n, 0);
	rst.seq = p.a.rcv_nxt;
	CHECK_EQ(tcp_conn_input(&p.a, &rst, p.now), NET_DROP_NONE);
	CHECK_EQ(p.a.state, TCP_CLOSED);
	char buf[4];
	size_t n;
	CHECK_EQ(tcp_conn_recv(&p.a, buf, sizeof(buf), &n, p.now), ECONNRESET);
	CHECK_EQ(tcp_conn_send(&p.a, buf, 1, &n, p.now), ECONNRESET);
	CHECK(tcp_conn_eof(&p.a));
	pair_fini(&p);
}

HOST_TEST(segments_outside_the_window_and_stray_syns_are_dropped_and_acked)
{
	pair_t p;
	established(&p, 4096);
	uint8_t junk[100] = {0};
	tcp_seg_t seg = {.src_port = 80,
	    .dst_port = 40000,
	    .flags = TCP_ACK,
	    .seq = p.a.rcv_nxt + 5000,
	    .ack = p.a.snd_nxt,
	    .wnd = 1000,
	    .payload = junk,
	    .payload_len = sizeof(junk)};
	CHECK_EQ(tcp_conn_input(&p.a, &seg, p.now), NET_DROP_TCP_OUT_OF_WINDOW);
	CHECK_EQ(p.to_b.n, 1);
	CHECK_EQ(link_peek(&p.to_b, 0).ack, p.a.rcv_nxt);
	link_remove(&p.to_b, 0);
	CHECK_EQ(tcp_conn_readable(&p.a), 0);
	/* An old duplicate lies before the window. */
	seg.seq = p.a.rcv_nxt - 1000;
	CHECK_EQ(tcp_conn_input(&p.a, &seg, p.now), NET_DROP_TCP_OUT_OF_WINDOW);
	link_remove(&p.to_b, 0);
	/* An ACK for data never sent. */
	seg.seq = p.a.rcv_nxt;
	seg.payload_len = 0;
	seg.ack = p.a.snd_nxt + 10;
	CHECK_EQ(tcp_conn_input(&p.a, &seg, p.now), NET_DROP_TCP_BAD_ACK);
	link_remove(&p.to_b, 0);
	/* A SYN on an established connection (RFC 5961 4.2). */
	seg.flags = TCP_SYN;
	seg.ack = 0;
	CHECK_EQ(tcp_conn_input(&p.a, &seg, p.now), NET_DROP_TCP_FLAGS);
	CHECK_EQ(p.a.state, TCP_ESTABLISHED);
	CHECK_EQ(link_peek(&p.to_b, 0).flags, TCP_ACK);
	link_remove(&p.to_b, 0);
	/* None of it disturbed the connection. */
	size_t n;
	CHECK_EQ(tcp_conn_send(&p.b, "ok", 2, &n, p.now), EOK);
	pump(&p);
	CHECK_EQ(tcp_conn_readable(&p.a), 2);
	pair_fini(&p);
}

HOST_TEST(a_connection_to_a_closed_port_is_refused)
{
	pair_t p;
	pair_init(&p, TCP_BUF_DEFAULT);
	tcp_seg_t syn = take_syn(&p, 77), rst;
	CHECK(tcp_reset_for(&syn, &rst));
	CHECK_EQ(rst.flags, TCP_RST | TCP_ACK);
	CHECK_EQ(rst.ack, 78);
	CHECK_EQ(tcp_conn_input(&p.a, &rst, p.now), NET_DROP_NONE);
	CHECK_EQ(p.a.state, TCP_CLOSED);
	CHECK_EQ(p.a.error, EREFUSED);
	CHECK(!tcp_reset_for(&rst, &syn)); /* a reset is never answered */
	pair_fini(&p);
}

HOST_TEST(a_vanished_peer_times_out_in_bounded_time)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	size_t n;
	CHECK_EQ(tcp_conn_send(&p.a, "anyone?", 7, &n, p.now), EOK);
	uint64_t start = p.now;
	for (int i = 0; i < 100 && p.a.state != TCP_CLOSED; i++) {
		p.to_b.n = 0;
		p.now = tcp_conn_deadline(&p.a);
		tcp_conn_tick(&p.a, p.now);
	}
	CHECK_EQ(p.a.state, TCP_CLOSED);
	CHECK_EQ(p.a.error, ETIMEOUT);
	CHECK(p.now - start < 10 * 60 * 1000);
	char buf[8];
	CHECK_EQ(tcp_conn_recv(&p.a, buf, sizeof(buf), &n, p.now), ETIMEOUT);
	/* A SYN nobody answers gives up too. */
	tcp_conn_t c;
	link_t l = {.src = A_IP, .dst = B_IP};
	CHECK_EQ(tcp_conn_init(&c, 1024, 1024, link_output, &l, &p.stats), EOK);
	c.lport = 1;
	c.rport = 2;
	tcp_conn_connect(&c, 5, 0);
	for (int i = 0; i < 100 && c.state != TCP_CLOSED; i++) {
		l.n = 0;
		tcp_conn_tick(&c, tcp_conn_deadline(&c));
	}
	CHECK_EQ(c.error, ETIMEOUT);
	CHECK_EQ(l.sent, TCP_SYN_RETRIES + 1);
	tcp_conn_fini(&c);
	pair_fini(&p);
}

HOST_TEST(fin_wait_2_ends_when_the_peer_never_closes)
{
	pair_t p;
	established(&p, TCP_BUF_DEFAULT);
	tcp_conn_close(&p.a, p.now);
	pump(&p);
	CHECK_EQ(p.a.state, TCP_FIN_WAIT_2);
	tcp_conn_tick(&p.a, p.now + TCP_FIN_WAIT2_MS);
	CHECK_EQ(p.a.state, TCP_CLOSED);
	pair_fini(&p);
}

/** A little generator for the lossy-link test, the same run every time. */
static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

HOST_TEST(data_survives_a_link_that_loses_and_reorders_segments)
{
	pair_t p;
	established(&p, 16384);
	size_t total = 300000, sent = 0, got = 0;
	uint8_t *src = malloc(total), *dst = malloc(total);
	fill(src, total, 11);
	uint32_t seed = 42;
	bool closed = false;
	for (int step = 0; step < 200000 && !(closed && p.b.fin_received); step++) {
		size_t n;
		if (sent < total) {
			CHECK_EQ(tcp_conn_send(&p.a, src + sent, total - sent, &n, p.now),
			    EOK);
			sent += n;
		} else if (!closed) {
			tcp_conn_close(&p.a, p.now);
			closed = true;
		}
		/* One segment a step each way: 10% lost, else a random one of
		 * those waiting goes first. */
		link_t *links[2] = {&p.to_b, &p.to_a};
		tcp_conn_t *to[2] = {&p.b, &p.a};
		for (int k = 0; k < 2; k++) {
			if (links[k]->n == 0)
				continue;
			size_t i = lcg(&seed) % links[k]->n;
			if (lcg(&seed) % 10 == 0)
				link_remove(links[k], i);
			else
				link_deliver(&p, links[k], i, to[k]);
		}
		drain(&p.b, dst, &got, total, p.now);
		p.now += 5;
		tcp_conn_tick(&p.a, p.now);
		tcp_conn_tick(&p.b, p.now);
	}
	CHECK_EQ(got, total);
	CHECK(memcmp(src, dst, total) == 0);
	CHECK(tcp_conn_eof(&p.b));
	CHECK(p.a.retransmits > 0);
	CHECK_EQ(p.a.error, EOK);
	free(src);
	free(dst);
	pair_fini(&p);
}

HOST_TEST(malformed_segments_are_dropped_with_their_reason)
{
	uint8_t buf[100];
	tcp_seg_t seg = {.src_port = 1,
	    .dst_port = 2,
	    .seq = 5,
	    .flags = TCP_SYN,
	    .mss = 1000,
	    .payload = (const uint8_t *) "abc",
	    .payload_len = 3};
	size_t len = tcp_build(buf, A_IP, B_IP, &seg);
	tcp_seg_t out;
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_NONE);
	CHECK(out.mss == 1000 && out.payload_len == 3 && out.seq == 5);
	CHECK_EQ(tcp_parse(buf, 19, A_IP, B_IP, &out), NET_DROP_TCP_SHORT);
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP + 1, &out), NET_DROP_TCP_CKSUM);
	buf[12] = 0x40; /* 16-byte header */
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_TCP_HLEN);
	buf[12] = 0xf0; /* 60-byte header in 27 bytes */
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_TCP_HLEN);
	/* An option whose length runs past the header. */
	len = tcp_build(buf, A_IP, B_IP, &seg);
	buf[21] = 9;
	buf[16] = buf[17] = 0;
	CHECK(tcp_parse(buf, len, A_IP, B_IP, &out) != NET_DROP_NONE);
	seg.flags = TCP_SYN | TCP_FIN;
	len = tcp_build(buf, A_IP, B_IP, &seg);
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_TCP_FLAGS);
	seg.flags = TCP_ACK;
	seg.src_port = 0;
	len = tcp_build(buf, A_IP, B_IP, &seg);
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_TCP_FLAGS);
}
HOST_TEST(window_scale_options_are_parsed_and_bad_ones_dropped)
{
	uint8_t buf[64];
	tcp_seg_t seg = {.src_port = 1,
	    .dst_port = 2,
	    .flags = TCP_SYN,
	    .mss = 1460,
	    .wscale_ok = true,
	    .wscale = 7};
	size_t len = tcp_build(buf, A_IP, B_IP, &seg);
	CHECK_EQ(len, TCP_HDR_LEN + TCP_OPT_MAX);
	tcp_seg_t out;
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_NONE);
	CHECK(out.wscale_ok && out.wscale == 7 && out.mss == 1460);
	seg.wscale = TCP_WSCALE_MAX;
	len = tcp_build(buf, A_IP, B_IP, &seg);
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_NONE);
	CHECK_EQ(out.wscale, TCP_WSCALE_MAX);
	/* A shift past 14 would scale a window beyond 2^30. */
	seg.wscale = TCP_WSCALE_MAX + 1;
	len = tcp_build(buf, A_IP, B_IP, &seg);
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_TCP_WSCALE);
	/* The option belongs to a SYN only. */
	seg.wscale = 2;
	seg.flags = TCP_ACK;
	len = tcp_build(buf, A_IP, B_IP, &seg);
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_TCP_WSCALE);
	/* A length other than 3 (the checksum then made right again). */
	seg.flags = TCP_SYN;
	seg.mss = 0;
	len = tcp_build(buf, A_IP, B_IP, &seg);
	buf[22] = 2;
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_TCP_CKSUM);
	buf[16] = buf[17] = 0;
	uint32_t sum = net_cksum_pseudo(A_IP, B_IP, IP_PROTO_TCP, (uint16_t) len);
	uint16_t ck = net_cksum_fold(net_cksum_add(sum, buf, len));
	buf[16] = (uint8_t) (ck >> 8);
	buf[17] = (uint8_t) ck;
	CHECK_EQ(tcp_parse(buf, len, A_IP, B_IP, &out), NET_DROP_TCP_WSCALE);
}

HOST_TEST(the_window_shift_covers_the_receive_buffer)
{
	CHECK_EQ(tcp_wscale_for(1024), 0);
	CHECK_EQ(tcp_wscale_for(65535), 0);
	CHECK_EQ(tcp_wscale_for(65536), 1);
	CHECK_EQ(tcp_wscale_for(256 * 1024), 3);
	CHECK_EQ(tcp_wscale_for(TCP_WND_MAX), TCP_WSCALE_MAX);
	CHECK_EQ(tcp_wscale_for((size_t) 1 << 40), TCP_WSCALE_MAX);
	tcp_conn_t c;
	link_t l = {0};
	net_stats_t stats = {0};
	CHECK_EQ(
	    tcp_conn_init(&c, 1024, (size_t) TCP_WND_MAX + 1, link_output, &l, &stats),
	    EINVAL);
}

/** Sends @a len bytes from a while b reads nothing, one segment at a time
 *  each way; the most a ever had in flight (the peer's window bounds it
 *  once cwnd has grown past it). */
static uint32_t fill_receiver(pair_t *p, size_t len)
{
	uint8_t *src = malloc(len);
	fill(src, len, 5);
	size_t sent = 0;
	uint32_t most = 0;
	for (int i = 0; i < 100000 && (sent < len || p->to_a.n || p->to_b.n); i++) {
		size_t n;
		if (tcp_conn_send(&p->a, src + sent, len - sent, &n, p->now) != EOK)
			break;
		sent += n;
		if (p->to_b.n)
			link_deliver(p, &p->to_b, 0, &p->b);
		else if (p->to_a.n)
			link_deliver(p, &p->to_a, 0, &p->a);
		uint32_t flight = p->a.snd_nxt - p->a.snd_una;
		most = flight > most ? flight : most;
	}
	free(src);
	return most;
}

#define BIG_BUF (256 * 1024)

HOST_TEST(scaled_windows_let_a_peer_fill_a_buffer_beyond_64_kib)
{
	pair_t p;
	established(&p, BIG_BUF);
	CHECK(p.a.wscale_ok && p.b.wscale_ok);
	CHECK_EQ(p.a.rcv_wscale, 3);
	CHECK_EQ(p.a.snd_wscale, 3);
	CHECK_EQ(p.b.snd_wscale, 3);
	/* The SYN's window was not scaled; the first ACK's is. */
	CHECK_EQ(p.b.snd_wnd, BIG_BUF);
	uint32_t most = fill_receiver(&p, BIG_BUF);
	CHECK(most > 0xffff);
	CHECK_EQ(tcp_conn_readable(&p.b), BIG_BUF);
	CHECK_EQ(p.a.snd_wnd, 0);
	/* Reading half the buffer opens the window by as much, in units of
	 * 8 bytes on the wire (the field's shift), and the peer learns it. */
	static uint8_t sink[BIG_BUF / 2];
	size_t n;
	CHECK_EQ(tcp_conn_recv(&p.b, sink, sizeof(sink), &n, p.now), EOK);
	CHECK_EQ(n, sizeof(sink));
	CHECK_EQ(p.to_a.n, 1);
	tcp_seg_t upd = link_peek(&p.to_a, 0);
	CHECK_EQ(upd.wnd, (BIG_BUF / 2) >> 3);
	pump(&p);
	CHECK_EQ(p.a.snd_wnd, BIG_BUF / 2);
	CHECK_EQ(p.a.retransmits, 0);
	CHECK_EQ(net_stats_total(&p.stats), 0);
	pair_fini(&p);
}

HOST_TEST(a_peer_without_window_scaling_is_offered_64_kib_unscaled)
{
	pair_t p;
	pair_init(&p, BIG_BUF);
	tcp_seg_t syn = take_syn(&p, 7);
	CHECK(syn.wscale_ok && syn.wscale == 3);
	CHECK_EQ(syn.wnd, 0xffff);
	syn.wscale_ok = false; /* as from a peer that does not scale */
	tcp_conn_accept(&p.b, &syn, 9, p.now);
	tcp_seg_t synack = link_peek(&p.to_a, 0);
	CHECK(!synack.wscale_ok);
	pump(&p);
	CHECK_EQ(p.a.state, TCP_ESTABLISHED);
	CHECK(!p.a.wscale_ok && !p.b.wscale_ok);
	CHECK_EQ(p.a.rcv_wscale, 0);
	CHECK_EQ(p.b.rcv_wscale, 0);
	/* The window field names at most 65535 bytes, and never more are in
	 * flight, though the buffer beyond them takes what arrives. */
	CHECK(fill_receiver(&p, BIG_BUF) <= 0xffff);
	pair_fini(&p);
}
HOST_TEST(the_received_span_is_the_front_in_one_piece_until_consumed)
{
	pair_t p;
	established(&p, 4096);
	uint8_t d[5000], out[4096];
	fill(d, sizeof(d), 3);
	size_t n, len;
	const uint8_t *span;
	tcp_conn_recv_span(&p.b, &span, &len);
	CHECK_EQ(len, 0);
	/* 3000 bytes in, 2000 read: 1000 wait at offset 2000 of 4096. */
	CHECK_EQ(tcp_conn_send(&p.a, d, 3000, &n, p.now), EOK);
	pump(&p);
	CHECK_EQ(tcp_conn_recv(&p.b, out, 2000, &n, p.now), EOK);
	pump(&p);
	/* 2000 more wrap around the buffer's end: the span stops there. */
	CHECK_EQ(tcp_conn_send(&p.a, d + 3000, 2000, &n, p.now), EOK);
	pump(&p);
	CHECK_EQ(tcp_conn_readable(&p.b), 3000);
	tcp_conn_recv_span(&p.b, &span, &len);
	CHECK_EQ(len, 4096 - 2000);
	CHECK(memcmp(span, d + 2000, len) == 0);
	tcp_conn_consume(&p.b, len, p.now);
	tcp_conn_recv_span(&p.b, &span, &len);
	CHECK_EQ(len, 904);
	CHECK(memcmp(span, d + 4096, 904) == 0);
	tcp_conn_consume(&p.b, len, p.now);
	CHECK_EQ(tcp_conn_readable(&p.b), 0);
	/* The peer heard of the window the first take opened from below one
	 * segment (to 3192 bytes); the second opened it by less than half the
	 * buffer, which SWS avoidance does not announce. */
	pump(&p);
	CHECK_EQ(p.a.snd_wnd, 4096 - 904);
	pair_fini(&p);
}
#endif
