/*
 * mkfat's layout (format.c): volumes of several sizes that fsck.fat calls
 * clean, mtools reads and writes, and fat's own code mounts; too small is
 * EINVAL.
 */
#if __STDC_HOSTED__ /* not built into the program: see host.mk */
#include "host_test.h"
#include "format.h"
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static errno_t file_write(void *dev, uint64_t ba, size_t count, const void *buf)
{
	ssize_t n = pwrite(*(int *) dev, buf, count * 512, (off_t) (ba * 512));
	return n == (ssize_t) (count * 512) ? EOK : EIO;
}

/** Formats a new image of @a mib MiB; its type, or 0 on a failure. */
static int format(const char *path, unsigned mib, errno_t *rc)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t) mib * 1024 * 1024) != 0)
		return 0;
	int type = 0;
	*rc = mkfat_format(
	    file_write, &fd, (uint64_t) mib * 2048, "test vol", 0x1234, &type);
	close(fd);
	return type;
}

static bool tools_accept(const char *path)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
	    "fsck.fat -n %s >/dev/null 2>&1 && echo hello > %s.src && "
	    "MTOOLS_SKIP_CHECK=1 mcopy -i %s %s.src ::/hello.txt && "
	    "fsck.fat -n %s >/dev/null 2>&1 && MTOOLS_SKIP_CHECK=1 mtype -i %s "
	    "::/hello.txt | grep -q hello",
	    path, path, path, path, path, path);
	bool ok = system(cmd) == 0;
	snprintf(cmd, sizeof(cmd), "%s.src", path);
	unlink(cmd);
	return ok;
}

static void check_size(unsigned mib, int want)
{
	char path[] = "/tmp/mkfat_test_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	errno_t rc = EIO;
	int type = format(path, mib, &rc);
	bool ok = rc == EOK && type == want && tools_accept(path);
	unlink(path);
	CHECK_EQ(rc, EOK);
	CHECK_EQ(type, want);
	CHECK(ok);
}

HOST_TEST(a_small_volume_is_a_clean_fat16)
{
	check_size(8, 16);
}

HOST_TEST(a_larger_volume_is_a_clean_fat16_with_larger_clusters)
{
	check_size(300, 16);
}

HOST_TEST(a_large_volume_is_a_clean_fat32)
{
	check_size(1100, 32);
}

HOST_TEST(a_volume_too_small_is_einval)
{
	char path[] = "/tmp/mkfat_test_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	errno_t rc = EOK;
	format(path, 4, &rc);
	unlink(path);
	CHECK_EQ(rc, EINVAL);
}
#endif
