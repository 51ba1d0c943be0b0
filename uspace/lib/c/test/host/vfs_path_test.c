/*
 * Host tests of path normalisation (src/vfs_path.c): the forms abi/vfs.h
 * promises the VFS reduces paths to, and the limits it enforces; and
 * abi/vfs.h's naming-service names of file-system types.
 */
#include "host_test.h"
#include "vfs_path.h"
#include <abi/vfs.h>
#include <string.h>

static char out[VFS_PATH_MAX + 1];

static errno_t norm(const char *in)
{
	return vfs_path_normalize(in, strlen(in), out);
}

HOST_TEST(vfs_path_reduces_slashes_dots_and_dotdots)
{
	CHECK_EQ(norm("/"), EOK);
	CHECK(strcmp(out, "/") == 0);
	CHECK_EQ(norm("//a///b/"), EOK);
	CHECK(strcmp(out, "/a/b") == 0);
	CHECK_EQ(norm("/a/./b/../c"), EOK);
	CHECK(strcmp(out, "/a/c") == 0);
	CHECK_EQ(norm("/.."), EOK);
	CHECK(strcmp(out, "/") == 0);
	CHECK_EQ(norm("/a/../../b"), EOK);
	CHECK(strcmp(out, "/b") == 0);
	CHECK_EQ(norm("/..a/.b/..."), EOK);
	CHECK(strcmp(out, "/..a/.b/...") == 0);
}

HOST_TEST(vfs_path_rejects_relative_and_nul)
{
	CHECK_EQ(norm(""), EINVAL);
	CHECK_EQ(norm("a/b"), EINVAL);
	CHECK_EQ(vfs_path_normalize("/a\0b", 4, out), EINVAL);
}

HOST_TEST(vfs_path_limits_give_enametoolong)
{
	static char in[VFS_PATH_MAX + 2];
	memset(in, 'a', sizeof(in));
	in[0] = '/';
	CHECK_EQ(vfs_path_normalize(in, VFS_NAME_MAX + 1, out), EOK);
	CHECK_EQ(vfs_path_normalize(in, VFS_NAME_MAX + 2, out), ENAMETOOLONG);
	for (size_t i = 0; i < sizeof(in); i += 100)
		in[i] = '/';
	CHECK_EQ(vfs_path_normalize(in, VFS_PATH_MAX, out), EOK);
	CHECK_EQ(vfs_path_normalize(in, VFS_PATH_MAX + 1, out), ENAMETOOLONG);
}

HOST_TEST(vfs_path_prefixes_match_whole_components)
{
	CHECK(vfs_path_is_below("/a/b", "/"));
	CHECK(vfs_path_is_below("/a/b", "/a"));
	CHECK(vfs_path_is_below("/a", "/a"));
	CHECK(!vfs_path_is_below("/ab", "/a"));
	CHECK(strcmp(vfs_path_rest("/a/b", "/a"), "b") == 0);
	CHECK(strcmp(vfs_path_rest("/a", "/a"), "") == 0);
	CHECK(strcmp(vfs_path_rest("/a/b", "/"), "a/b") == 0);
}

HOST_TEST(vfs_path_next_splits_a_relative_path)
{
	const char *p = "a/bc/d";
	char name[VFS_NAME_MAX + 1];
	bool last;
	CHECK(vfs_path_next(&p, name, &last) == EOK && strcmp(name, "a") == 0 && !last);
	CHECK(vfs_path_next(&p, name, &last) == EOK && strcmp(name, "bc") == 0 && !last);
	CHECK(vfs_path_next(&p, name, &last) == EOK && strcmp(name, "d") == 0 && last);
	p = "a//b";
	CHECK(vfs_path_next(&p, name, &last) == EOK);
	CHECK(vfs_path_next(&p, name, &last) == EINVAL);
	char long_name[VFS_NAME_MAX + 2];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[VFS_NAME_MAX + 1] = '\0';
	p = long_name;
	CHECK(vfs_path_next(&p, name, &last) == ENAMETOOLONG);
	long_name[VFS_NAME_MAX] = '\0';
	p = long_name;
	CHECK(vfs_path_next(&p, name, &last) == EOK && last &&
	    strlen(name) == VFS_NAME_MAX);
}

HOST_TEST(vfs_fs_service_names_drop_a_last_fs)
{
	/* abi/vfs.h: "fs/" and the type without a last "fs", eight
	 * characters at most (pipefs's name fits only so). */
	CHECK_EQ(vfs_fs_service_id("fat"), service_id_from_name("fs/fat"));
	CHECK_EQ(vfs_fs_service_id("ext2"), service_id_from_name("fs/ext2"));
	CHECK_EQ(vfs_fs_service_id("pipefs"), service_id_from_name("fs/pipe"));
	CHECK_EQ(vfs_fs_service_id("locfs"), service_id_from_name("fs/loc"));
	CHECK_EQ(vfs_fs_service_id("abcdefs"), service_id_from_name("fs/abcde"));
	CHECK_EQ(vfs_fs_service_id("fs"), service_id_from_name("fs/fs"));
	CHECK_EQ(vfs_fs_service_id(""), 0);
	CHECK_EQ(vfs_fs_service_id("abcdef"), 0);
	CHECK_EQ(vfs_fs_service_id("abcdefgfs"), 0);
}
