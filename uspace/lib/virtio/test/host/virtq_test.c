/*
 * libvirtio's split virtqueue (virtq.c) against a simulated device that
 * takes chains from the available ring in order and returns them in the
 * used ring in any order: layouts, chains, recycling, a full queue, a
 * device naming a descriptor that is not in flight.
 */
#if __STDC_HOSTED__ /* not built into the library: see host.mk */
#include "host_test.h"
#include <stdlib.h>
#include <string.h>
#include <virtio/virtq.h>

typedef struct {
	virtq_t q;
	void *mem;
	uint16_t avail_seen; /* the device's position in the available ring */
} sim_t;

static void sim_init(sim_t *s, uint16_t size)
{
	virtq_layout_t l;
	if (virtq_layout(size, &l) != EOK)
		abort();
	s->mem = calloc(1, l.total);
	virtq_init(&s->q, s->mem, size);
	s->avail_seen = 0;
}

/** The device takes the next available chain: its head, length and the
 *  sum of its buffers' lengths; false when none is available. */
static bool sim_take(sim_t *s, uint16_t *head, unsigned *n, uint32_t *bytes)
{
	if (s->avail_seen == s->q.avail->idx)
		return false;
	uint16_t h = s->q.avail->ring[s->avail_seen++ & (s->q.size - 1)];
	*head = h;
	*n = 0;
	*bytes = 0;
	for (uint16_t d = h;; d = s->q.desc[d].next) {
		(*n)++;
		*bytes += s->q.desc[d].len;
		if (!(s->q.desc[d].flags & VIRTQ_DESC_F_NEXT))
			break;
	}
	return true;
}

static void sim_use(sim_t *s, uint32_t id, uint32_t len)
{
	volatile virtq_used_elem_t *e =
	    &s->q.used->ring[s->q.used->idx & (s->q.size - 1)];
	e->id = id;
	e->len = len;
	s->q.used->idx++;
}

HOST_TEST(layouts_are_aligned_and_sizes_checked)
{
	virtq_layout_t l;
	CHECK_EQ(virtq_layout(0, &l), EINVAL);
	CHECK_EQ(virtq_layout(3, &l), EINVAL);
	CHECK_EQ(virtq_layout(VIRTQ_SIZE_MAX * 2, &l), EINVAL);
	CHECK_EQ(virtq_layout(128, &l), EOK);
	CHECK_EQ(l.desc, 0);
	CHECK_EQ(l.avail, 128 * 16);
	CHECK_EQ(l.used % 4, 0);
	CHECK(l.used >= l.avail + 4 + 2 * 128 + 2);
	CHECK(l.total >= l.used + 4 + 8 * 128 + 2);
	CHECK_EQ(virtq_layout(1, &l), EOK);
}

HOST_TEST(a_chain_reaches_the_device_whole_and_comes_back)
{
	sim_t s;
	sim_init(&s, 8);
	virtq_buf_t bufs[3] = {
	    {0x1000, 16, false}, {0x2000, 512, true}, {0x3000, 1, true}};
	uint16_t head;
	CHECK_EQ(virtq_add(&s.q, bufs, 3, &head), EOK);
	CHECK_EQ(s.q.num_free, 5);
	CHECK(!virtq_has_used(&s.q));
	uint16_t h;
	unsigned n;
	uint32_t bytes;
	CHECK(sim_take(&s, &h, &n, &bytes));
	CHECK_EQ(h, head);
	CHECK_EQ(n, 3);
	CHECK_EQ(bytes, 529);
	CHECK_EQ(s.q.desc[h].addr, 0x1000);
	CHECK_EQ(s.q.desc[h].flags, VIRTQ_DESC_F_NEXT); /* read by the device */
	uint16_t last = s.q.desc[s.q.desc[h].next].next;
	CHECK_EQ(s.q.desc[last].flags, VIRTQ_DESC_F_WRITE); /* no NEXT */
	sim_use(&s, h, 513);
	CHECK(virtq_has_used(&s.q));
	uint32_t len;
	CHECK_EQ(virtq_get_used(&s.q, &h, &len), EOK);
	CHECK_EQ(h, head);
	CHECK_EQ(len, 513);
	CHECK_EQ(s.q.num_free, 8);
	CHECK_EQ(virtq_get_used(&s.q, &h, &len), EAGAIN);
	free(s.mem);
}

HOST_TEST(a_full_queue_is_enospc_and_bad_chains_einval)
{
	sim_t s;
	sim_init(&s, 4);
	virtq_buf_t bufs[5] = {{0x1000, 8, false}, {0x2000, 8, false}, {0x3000, 8, false},
	    {0x4000, 8, false}, {0x5000, 8, false}};
	uint16_t head;
	CHECK_EQ(virtq_add(&s.q, bufs, 5, &head), ENOSPC);
	CHECK_EQ(virtq_add(&s.q, bufs, 0, &head), EINVAL);
	virtq_buf_t empty = {0x1000, 0, false};
	CHECK_EQ(virtq_add(&s.q, &empty, 1, &head), EINVAL);
	CHECK_EQ(s.q.num_free, 4); /* nothing taken by the refusals */
	CHECK_EQ(virtq_add(&s.q, bufs, 3, &head), EOK);
	CHECK_EQ(virtq_add(&s.q, bufs, 2, &head), ENOSPC);
	CHECK_EQ(virtq_add(&s.q, bufs, 1, &head), EOK);
	free(s.mem);
}

HOST_TEST(chains_used_out_of_order_are_recycled)
{
	sim_t s;
	sim_init(&s, 16);
	virtq_buf_t bufs[3] = {
	    {0x1000, 16, false}, {0x2000, 4096, true}, {0x3000, 1, true}};
	for (int round = 0; round < 1000; round++) {
		uint16_t heads[5], taken[5];
		for (int i = 0; i < 5; i++)
			CHECK_EQ(virtq_add(&s.q, bufs, 3, &heads[i]), EOK);
		for (int i = 0; i < 5; i++) {
			unsigned n;
			uint32_t bytes;
			CHECK(sim_take(&s, &taken[i], &n, &bytes));
			CHECK_EQ(taken[i], heads[i]);
			CHECK_EQ(n, 3);
		}
		for (int i = 4; i >= 0; i--) /* the device finishes the last first */
			sim_use(&s, taken[i], 1);
		for (int i = 4; i >= 0; i--) {
			uint16_t h;
			uint32_t len;
			CHECK_EQ(virtq_get_used(&s.q, &h, &len), EOK);
			CHECK_EQ(h, heads[i]);
		}
		CHECK_EQ(s.q.num_free, 16);
	}
	free(s.mem);
}

HOST_TEST(a_used_element_naming_no_chain_in_flight_is_eio)
{
	sim_t s;
	sim_init(&s, 8);
	virtq_buf_t buf = {0x1000, 16, true};
	uint16_t head;
	CHECK_EQ(virtq_add(&s.q, &buf, 1, &head), EOK);
	sim_use(&s, 7, 0); /* never given to the device */
	uint16_t h;
	uint32_t len;
	CHECK_EQ(virtq_get_used(&s.q, &h, &len), EIO);
	CHECK_EQ(s.q.num_free, 7); /* nothing freed */
	free(s.mem);
	sim_init(&s, 8);
	CHECK_EQ(virtq_add(&s.q, &buf, 1, &head), EOK);
	sim_use(&s, 4000, 0); /* out of the table */
	CHECK_EQ(virtq_get_used(&s.q, &h, &len), EIO);
	free(s.mem);
}
#endif
