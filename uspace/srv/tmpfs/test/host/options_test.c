/*
 * tmpfs's mount options (options.c): sizes, archives, bad input.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "host_test.h"
#include "options.h"
#include "tmpfs.h"
#include <string.h>

HOST_TEST(empty_options_mean_no_limit_and_no_archive)
{
	tmpfs_options_t o;
	CHECK_EQ(tmpfs_options_parse("", &o), EOK);
	CHECK(o.size_limit == TMPFS_NO_LIMIT);
	CHECK_EQ(o.archive[0], '\0');
}

HOST_TEST(size_and_archive_are_read)
{
	tmpfs_options_t o;
	CHECK_EQ(tmpfs_options_parse("size=12345,archive=rootfs", &o), EOK);
	CHECK_EQ(o.size_limit, 12345);
	CHECK(strcmp(o.archive, "rootfs") == 0);
	CHECK(!o.take);
	CHECK_EQ(tmpfs_options_parse("archive=rootfs,take", &o), EOK);
	CHECK(o.take && strcmp(o.archive, "rootfs") == 0);
	CHECK_EQ(tmpfs_options_parse("size=4K", &o), EOK);
	CHECK_EQ(o.size_limit, 4096);
	CHECK_EQ(tmpfs_options_parse("size=2M", &o), EOK);
	CHECK_EQ(o.size_limit, 2 << 20);
	CHECK_EQ(tmpfs_options_parse("size=0", &o), EOK);
	CHECK_EQ(o.size_limit, 0);
}

HOST_TEST(bad_options_are_einval)
{
	static const char *const bad[] = {"size=", "size=x", "size=12q", "size=-1",
	    "size=99999999999999999999", "size=17179869184G", "archive=", "bogus",
	    "size=1,", ",size=1", "size=1,,archive=a", "SIZE=1", "take", "size=1,take",
	    "take=1", "takes",
	    "archive=0123456789012345678901234567890123456789012345678901234567890123"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmpfs_options_t o;
		if (tmpfs_options_parse(bad[i], &o) != EINVAL)
			printf("  accepted \"%s\"\n", bad[i]);
		CHECK_EQ(tmpfs_options_parse(bad[i], &o), EINVAL);
	}
}
#endif
