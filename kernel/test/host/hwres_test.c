/*
 * Granted hardware resources: validation, coverage, limits.
 */
#include "host_test.h"
#include <proc/hwres.h>
#include <string.h>

HOST_TEST(io_ranges_cover_only_what_was_granted)
{
	hwres_set_t s;
	memset(&s, 0, sizeof(s));
	CHECK(!hwres_set_covers(&s, HWRES_IO, 0x3f8, 1));
	CHECK_EQ(hwres_set_add(&s, HWRES_IO, 0x3f8, 8), EOK);
	CHECK(hwres_set_covers(&s, HWRES_IO, 0x3f8, 8));
	CHECK(hwres_set_covers(&s, HWRES_IO, 0x3fd, 3));
	CHECK(!hwres_set_covers(&s, HWRES_IO, 0x3fd, 4)); /* one past the end */
	CHECK(!hwres_set_covers(&s, HWRES_IO, 0x3f7, 2)); /* one before */
	CHECK(!hwres_set_covers(&s, HWRES_IO, 0x3f8, 0));
	CHECK(!hwres_set_covers(&s, HWRES_MEM, 0x3f8, 1)); /* kinds apart */
}

HOST_TEST(bad_ranges_are_refused)
{
	hwres_set_t s;
	memset(&s, 0, sizeof(s));
	CHECK_EQ(hwres_set_add(&s, HWRES_IO, 0xffff, 2), EINVAL);
	CHECK_EQ(hwres_set_add(&s, HWRES_IO, 0x10000, 1), EINVAL);
	CHECK_EQ(hwres_set_add(&s, HWRES_IO, 0, 0), EINVAL);
	CHECK_EQ(hwres_set_add(&s, HWRES_IO, 0xffff, 1), EOK);
	CHECK_EQ(hwres_set_add(&s, HWRES_MEM, 0xb8001, 0x1000), EINVAL);
	CHECK_EQ(hwres_set_add(&s, HWRES_MEM, 0xfffffffffffff000ull, 0x2000), EINVAL);
	CHECK_EQ(hwres_set_add(&s, HWRES_IRQ, 4, 2), EINVAL);
	CHECK_EQ(hwres_set_add(&s, HWRES_IRQ, HWRES_IRQ_MAX, 1), EINVAL);
	CHECK_EQ(hwres_set_add(&s, 0, 0, 1), EINVAL);
	CHECK_EQ(hwres_set_add(&s, 99, 0, 1), EINVAL);
	CHECK(!hwres_set_covers(&s, 99, 0, 1));
}

HOST_TEST(irqs_are_lines)
{
	hwres_set_t s;
	memset(&s, 0, sizeof(s));
	CHECK_EQ(hwres_set_add(&s, HWRES_IRQ, 4, 1), EOK);
	CHECK_EQ(hwres_set_add(&s, HWRES_IRQ, 255, 1), EOK);
	CHECK(hwres_set_covers(&s, HWRES_IRQ, 4, 1));
	CHECK(hwres_set_covers(&s, HWRES_IRQ, 255, 1));
	CHECK(!hwres_set_covers(&s, HWRES_IRQ, 3, 1));
	CHECK(!hwres_set_covers(&s, HWRES_IRQ, 5, 1));
	CHECK(!hwres_set_covers(&s, HWRES_IRQ, 4, 2));
}

HOST_TEST(slots_run_out_but_covered_ranges_take_none)
{
	hwres_set_t s;
	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < HWRES_MEM_MAX; i++)
		CHECK_EQ(
		    hwres_set_add(&s, HWRES_MEM, 0x100000ull * (i + 1), 0x1000), EOK);
	CHECK_EQ(hwres_set_add(&s, HWRES_MEM, 0xf0000000, 0x1000), ELIMIT);
	CHECK_EQ(hwres_set_add(&s, HWRES_MEM, 0x100000, 0x1000), EOK); /* held */
	CHECK(hwres_set_covers(&s, HWRES_MEM, 0x800000, 0x1000));
	CHECK(!hwres_set_covers(&s, HWRES_MEM, 0xf0000000, 0x1000));
	CHECK_EQ(s.mem_count, HWRES_MEM_MAX);
}

HOST_TEST(any_grant_of_any_kind_makes_a_driver)
{
	static const struct {
		uint32_t kind;
		uint64_t base, size;
	} grants[] = {{HWRES_IO, 0x3f8, 8}, {HWRES_MEM, 0xfebf0000, 0x1000},
	    {HWRES_IRQ, 0, 1}, {HWRES_IRQ, 200, 1}};
	hwres_set_t s;
	for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
		memset(&s, 0, sizeof(s));
		CHECK(!hwres_set_any(&s));
		CHECK(hwres_set_add(&s, grants[i].kind, grants[i].base, grants[i].size) ==
		    EOK);
		CHECK(hwres_set_any(&s));
	}
	memset(&s, 0, sizeof(s));
	CHECK(hwres_set_add(&s, HWRES_IO, 0xffff, 2) == EINVAL); /* refused: still none */
	CHECK(!hwres_set_any(&s));
}

HOST_TEST(claims_are_exclusive_until_released)
{
	static hwres_claims_t c;
	memset(&c, 0, sizeof(c));
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0x3f8, 8, 7), EOK);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0x3fa, 2, 7), EOK); /* held: no entry */
	CHECK_EQ(c.count, 1);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0x3ff, 1, 8), EBUSY);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0x3f0, 9, 8), EBUSY); /* last port */
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0x3f0, 8, 8), EOK);   /* adjacent */
	CHECK_EQ(
	    hwres_claims_add(&c, HWRES_IRQ, 0x3f8 & 0xff, 1, 8), EOK); /* kinds apart */
	CHECK_EQ(hwres_claims_other_owner(&c, HWRES_IO, 0x3f8, 1, 8), 7);
	CHECK_EQ(hwres_claims_other_owner(&c, HWRES_IO, 0x3f8, 1, 7), 0);
	CHECK_EQ(hwres_claims_add(&c, HWRES_MEM, 0xa0000, 0x20000, 7), EOK);
	CHECK_EQ(hwres_claims_add(&c, HWRES_MEM, 0xb8000, 0x1000, 8), EBUSY);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0xffff, 2, 8), EINVAL);
	hwres_claims_release(&c, 7);
	CHECK_EQ(c.count, 2);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0x3ff, 1, 8), EOK);
	CHECK_EQ(hwres_claims_add(&c, HWRES_MEM, 0xb8000, 0x1000, 8), EOK);
}

HOST_TEST(shared_irq_lines_allow_each_other_only)
{
	static hwres_claims_t c;
	memset(&c, 0, sizeof(c));
	hwres_set_t set;
	memset(&set, 0, sizeof(set));
	CHECK_EQ(hwres_set_add(&set, HWRES_IRQ_SHARED, 11, 1), EOK);
	CHECK(hwres_set_covers(&set, HWRES_IRQ, 11, 1)); /* subscribing checks IRQ */
	CHECK_EQ(hwres_claims_add(&c, HWRES_IRQ_SHARED, 11, 1, 7), EOK);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IRQ_SHARED, 11, 1, 8), EOK);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IRQ, 11, 1, 9), EBUSY); /* exclusive */
	CHECK_EQ(hwres_claims_other_owner(&c, HWRES_IRQ, 11, 1, 9), 7);
	CHECK_EQ(hwres_claims_other_owner(&c, HWRES_IRQ_SHARED, 11, 1, 9), 0);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IRQ_SHARED, 12, 2, 9), EINVAL);
	/* A line held exclusively is not shared with anyone. */
	CHECK_EQ(hwres_claims_add(&c, HWRES_IRQ, 10, 1, 7), EOK);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IRQ_SHARED, 10, 1, 8), EBUSY);
	hwres_claims_release(&c, 7);
	hwres_claims_release(&c, 8);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IRQ, 11, 1, 9), EOK); /* free again */
}

HOST_TEST(claim_table_runs_out_with_elimit)
{
	static hwres_claims_t c;
	memset(&c, 0, sizeof(c));
	for (uint64_t i = 0; i < HWRES_CLAIMS_MAX; i++)
		CHECK_EQ(hwres_claims_add(&c, HWRES_IO, i * 2, 1, 1), EOK);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0x1000, 1, 1), ELIMIT);
	CHECK_EQ(hwres_claims_add(&c, HWRES_IO, 0, 1, 2), EBUSY);
}

HOST_TEST(pci_configuration_ports_are_told_apart)
{
	CHECK(hwres_is_pci_config(HWRES_IO, 0xcf8, 8));
	CHECK(hwres_is_pci_config(HWRES_IO, 0xcfc, 1));
	CHECK(hwres_is_pci_config(HWRES_IO, 0xc00, 0x100));
	CHECK(!hwres_is_pci_config(HWRES_IO, 0xcf0, 8));
	CHECK(!hwres_is_pci_config(HWRES_IO, 0xd00, 8));
	CHECK(!hwres_is_pci_config(HWRES_IRQ, 0xcf8 & 0xff, 1));
}
