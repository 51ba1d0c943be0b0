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
