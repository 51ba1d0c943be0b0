/*
 * Kernel command-line parsing.
 */
#include "host_test.h"
#include <cmdline.h>
#include <string.h>

HOST_TEST(options_with_and_without_values)
{
	const char *cl = "kconsole  test=frame ipclog=on,tasks=1 x";
	char buf[32];
	CHECK(cmdline_has(cl, "kconsole"));
	CHECK(cmdline_has(cl, "test"));
	CHECK(cmdline_has(cl, "x"));
	CHECK(!cmdline_has(cl, "tes"));
	CHECK(!cmdline_has(cl, "kcon"));
	CHECK(!cmdline_has(cl, "frame"));
	CHECK_EQ(cmdline_get(cl, "test", buf, sizeof(buf)), EOK);
	CHECK(strcmp(buf, "frame") == 0);
	CHECK_EQ(cmdline_get(cl, "ipclog", buf, sizeof(buf)), EOK);
	CHECK(strcmp(buf, "on,tasks=1") == 0);
	CHECK_EQ(cmdline_get(cl, "kconsole", buf, sizeof(buf)), ENOENT);
	CHECK_EQ(cmdline_get(cl, "missing", buf, sizeof(buf)), ENOENT);
	CHECK_EQ(cmdline_get(cl, "ipclog", buf, 4), ELIMIT);
	CHECK(!cmdline_has("", "test"));
	/* A later option overrides an earlier one (fw_cfg options come last). */
	CHECK_EQ(cmdline_get("init=a,b x init=c", "init", buf, sizeof(buf)), EOK);
	CHECK(strcmp(buf, "c") == 0);
}

HOST_TEST(numeric_options_are_decimal_and_fit_64_bits)
{
	uint64_t v = 7;
	CHECK_EQ(cmdline_get_uint("a deadcpu=3 b", "deadcpu", &v), EOK);
	CHECK_EQ(v, 3);
	CHECK_EQ(cmdline_get_uint("n=18446744073709551615", "n", &v), EOK);
	CHECK(v == UINT64_MAX);
	v = 7;
	CHECK_EQ(cmdline_get_uint("n=18446744073709551616", "n", &v), EINVAL);
	CHECK_EQ(cmdline_get_uint("n=123456789012345678901234", "n", &v), EINVAL);
	CHECK_EQ(cmdline_get_uint("n=3x", "n", &v), EINVAL);
	CHECK_EQ(cmdline_get_uint("n=-1", "n", &v), EINVAL);
	CHECK_EQ(cmdline_get_uint("n= m", "n", &v), EINVAL);
	CHECK_EQ(v, 7);
	CHECK_EQ(cmdline_get_uint("n m", "n", &v), ENOENT);
	CHECK_EQ(cmdline_get_uint("m=1", "n", &v), ENOENT);
}
