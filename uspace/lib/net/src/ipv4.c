/*
 * IPv4 headers and fragment reassembly (ipv4.h).
 */
#include <net/bytes.h>
#include <net/cksum.h>
#include <net/ipv4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

net_drop_t ipv4_parse(const uint8_t *buf, size_t len, ipv4_hdr_t *hdr)
{
	if (len < IPV4_HDR_LEN)
		return NET_DROP_IP_SHORT;
	if ((buf[0] >> 4) != 4)
		return NET_DROP_IP_VERSION;
	size_t hlen = (size_t) (buf[0] & 0xf) * 4;
	if (hlen < IPV4_HDR_LEN || hlen > len)
		return NET_DROP_IP_HLEN;
	size_t total = net_get16(buf + 2);
	if (total < hlen || total > len)
		return NET_DROP_IP_LEN;
	if (net_cksum_fold(net_cksum_add(0, buf, hlen)) != 0)
		return NET_DROP_IP_CKSUM;
	uint16_t frag = net_get16(buf + 6);
	if (frag & 0x8000)
		return NET_DROP_IP_HLEN; /* the reserved flag must be zero */
	hdr->tos = buf[1];
	hdr->id = net_get16(buf + 4);
	hdr->dont_frag = (frag & 0x4000) != 0;
	hdr->more_frags = (frag & 0x2000) != 0;
	hdr->frag_off = (uint16_t) ((frag & 0x1fff) * 8);
	hdr->ttl = buf[8];
	hdr->proto = buf[9];
	hdr->src = net_get32(buf + 12);
	hdr->dst = net_get32(buf + 16);
	hdr->hdr_len = hlen;
	hdr->payload = buf + hlen;
	hdr->payload_len = total - hlen;
	if ((size_t) hdr->frag_off + hdr->payload_len > IPV4_MAX_LEN)
		return NET_DROP_FRAG_BAD;
	if (ipv4_bad_source(hdr->src))
		return NET_DROP_IP_ADDR;
	return NET_DROP_NONE;
}

void ipv4_build(uint8_t *buf, const ipv4_hdr_t *hdr, size_t payload_len)
{
	buf[0] = 0x45;
	buf[1] = hdr->tos;
	net_put16(buf + 2, (uint16_t) (IPV4_HDR_LEN + payload_len));
	net_put16(buf + 4, hdr->id);
	uint16_t frag = (uint16_t) (hdr->frag_off / 8);
	if (hdr->dont_frag)
		frag |= 0x4000;
	if (hdr->more_frags)
		frag |= 0x2000;
	net_put16(buf + 6, frag);
	buf[8] = hdr->ttl;
	buf[9] = hdr->proto;
	net_put16(buf + 10, 0);
	net_put32(buf + 12, hdr->src);
	net_put32(buf + 16, hdr->dst);
	net_put16(buf + 10, net_cksum_fold(net_cksum_add(0, buf, IPV4_HDR_LEN)));
}

bool ipv4_is_fragment(const ipv4_hdr_t *hdr)
{
	return hdr->more_frags || hdr->frag_off != 0;
}

bool ipv4_bad_source(uint32_t addr)
{
	return addr == IPV4_BROADCAST || (addr >> 28) == 0xe;
}

void ipv4_format(uint32_t addr, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", (unsigned) (addr >> 24),
	    (unsigned) (addr >> 16) & 0xff, (unsigned) (addr >> 8) & 0xff,
	    (unsigned) addr & 0xff);
}

bool ipv4_parse_addr(const char *text, uint32_t *addr)
{
	uint32_t a = 0;
	for (int part = 0; part < 4; part++) {
		if (*text < '0' || *text > '9')
			return false;
		unsigned v = 0;
		int digits = 0;
		while (*text >= '0' && *text <= '9' && digits < 4) {
			v = v * 10 + (unsigned) (*text++ - '0');
			digits++;
		}
		if (v > 255 || digits > 3)
			return false;
		a = (a << 8) | v;
		if (part < 3 && *text++ != '.')
			return false;
	}
	if (*text != '\0')
		return false;
	*addr = a;
	return true;
}

void ipv4_reasm_init(ipv4_reasm_t *r)
{
	memset(r, 0, sizeof(*r));
}

static void reasm_free(ipv4_reasm_slot_t *s)
{
	free(s->data);
	memset(s, 0, sizeof(*s));
}

void ipv4_reasm_fini(ipv4_reasm_t *r)
{
	for (size_t i = 0; i < IPV4_REASM_SLOTS; i++)
		reasm_free(&r->slots[i]);
}

static bool reasm_matches(const ipv4_reasm_slot_t *s, const ipv4_hdr_t *h)
{
	return s->used && s->src == h->src && s->dst == h->dst && s->id == h->id &&
	    s->proto == h->proto;
}

/** The slot of @a h's datagram, a new one, or NULL when all are busy. */
static ipv4_reasm_slot_t *reasm_slot(
    ipv4_reasm_t *r, const ipv4_hdr_t *h, uint64_t now_ms)
{
	ipv4_reasm_slot_t *free_slot = NULL;
	for (size_t i = 0; i < IPV4_REASM_SLOTS; i++) {
		if (reasm_matches(&r->slots[i], h))
			return &r->slots[i];
		if (!r->slots[i].used && free_slot == NULL)
			free_slot = &r->slots[i];
	}
	if (free_slot == NULL)
		return NULL;
	free_slot->data = malloc(IPV4_MAX_LEN);
	if (free_slot->data == NULL)
		return NULL;
	free_slot->used = true;
	free_slot->src = h->src;
	free_slot->dst = h->dst;
	free_slot->id = h->id;
	free_slot->proto = h->proto;
	free_slot->deadline_ms = now_ms + IPV4_REASM_TIMEOUT_MS;
	return free_slot;
}

typedef enum { FRAG_NEW, FRAG_DUPLICATE, FRAG_OVERLAP } frag_fit_t;

/** How [@a off, @a off + @a len) fits among the fragments held; *@a at is
 *  where a new one goes in the sorted list. */
static frag_fit_t reasm_fit(
    const ipv4_reasm_slot_t *s, size_t off, size_t len, const uint8_t *data, size_t *at)
{
	size_t i = 0;
	while (i < s->frag_count && s->frags[i].off + s->frags[i].len <= off)
		i++;
	*at = i;
	if (i == s->frag_count || s->frags[i].off >= off + len)
		return FRAG_NEW;
	const ipv4_frag_t *f = &s->frags[i];
	if (f->off == off && f->len == len && memcmp(s->data + off, data, len) == 0)
		return FRAG_DUPLICATE;
	return FRAG_OVERLAP;
}

static bool reasm_complete(const ipv4_reasm_slot_t *s)
{
	if (s->total == 0 || !s->have_first)
		return false;
	size_t next = 0;
	for (size_t i = 0; i < s->frag_count; i++) {
		if (s->frags[i].off != next)
			return false;
		next += s->frags[i].len;
	}
	return next == s->total;
}

/** Checks a fragment against its datagram's known end: a last fragment
 *  sets it, and nothing may lie beyond it. */
static bool reasm_end_ok(ipv4_reasm_slot_t *s, const ipv4_hdr_t *h)
{
	size_t end = (size_t) h->frag_off + h->payload_len;
	if (!h->more_frags) {
		if (s->total != 0 && s->total != end)
			return false;
		if (s->frag_count > 0 &&
		    s->frags[s->frag_count - 1].off + s->frags[s->frag_count - 1].len >
			end)
			return false;
		s->total = end;
		return true;
	}
	/* Every fragment but the last carries a multiple of 8 bytes. */
	if (h->payload_len == 0 || h->payload_len % 8 != 0)
		return false;
	return s->total == 0 || end <= s->total;
}

ipv4_reasm_result_t ipv4_reasm_add(ipv4_reasm_t *r, const ipv4_hdr_t *h, uint64_t now_ms,
    net_stats_t *stats, uint8_t **out, ipv4_hdr_t *whole)
{
	ipv4_reasm_slot_t *s = reasm_slot(r, h, now_ms);
	if (s == NULL) {
		net_stats_drop(stats, NET_DROP_FRAG_NO_SLOT);
		return IPV4_REASM_DROPPED;
	}
	size_t at;
	frag_fit_t fit = reasm_fit(s, h->frag_off, h->payload_len, h->payload, &at);
	if (fit == FRAG_DUPLICATE)
		return IPV4_REASM_PENDING;
	if (fit == FRAG_OVERLAP || !reasm_end_ok(s, h) ||
	    s->frag_count == IPV4_REASM_FRAGS) {
		net_stats_drop(stats,
		    fit == FRAG_OVERLAP ? NET_DROP_FRAG_OVERLAP : NET_DROP_FRAG_BAD);
		reasm_free(s);
		return IPV4_REASM_DROPPED;
	}
	memmove(
	    &s->frags[at + 1], &s->frags[at], (s->frag_count - at) * sizeof(s->frags[0]));
	s->frags[at] = (ipv4_frag_t){h->frag_off, (uint16_t) h->payload_len};
	s->frag_count++;
	memcpy(s->data + h->frag_off, h->payload, h->payload_len);
	if (h->frag_off == 0) {
		s->first = *h;
		s->have_first = true;
	}
	if (!reasm_complete(s))
		return IPV4_REASM_PENDING;
	*whole = s->first;
	whole->frag_off = 0;
	whole->more_frags = false;
	whole->payload_len = s->total;
	*out = s->data;
	whole->payload = s->data;
	s->data = NULL;
	reasm_free(s);
	return IPV4_REASM_COMPLETE;
}

void ipv4_reasm_expire(ipv4_reasm_t *r, uint64_t now_ms, net_stats_t *stats)
{
	for (size_t i = 0; i < IPV4_REASM_SLOTS; i++) {
		ipv4_reasm_slot_t *s = &r->slots[i];
		if (s->used && now_ms >= s->deadline_ms) {
			net_stats_drop(stats, NET_DROP_FRAG_TIMEOUT);
			reasm_free(s);
		}
	}
}

size_t ipv4_reasm_pending(const ipv4_reasm_t *r)
{
	size_t n = 0;
	for (size_t i = 0; i < IPV4_REASM_SLOTS; i++)
		n += r->slots[i].used;
	return n;
}
