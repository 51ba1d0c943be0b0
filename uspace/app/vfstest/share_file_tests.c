/*
 * vfstest: programs' pages shared straight from the boot archive
 * (VFS_SHARE_FILE, abi/vfs.h). tmpfs maps the archive read-only for good,
 * its ELF files' data page-aligned (tools/mkcpio.py), and answers a share
 * of a file still in it with those pages; the loader maps programs so, and
 * the kernel then knows their read-only segments by the archive's frames
 * (proc/image.h): even a program's first instance costs none of its text.
 * A file changed since boot is no longer in the archive: it is read, and
 * what runs already keeps the archive's bytes.
 */
#include "vfstest.h"
#include <as.h>
#include <common/arch/page.h>
#include <fileload.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A writable mount of the boot archive of its own (/arch is read-only). */
#define ARCHW	       "/archw"
#define TEXTSHARE      ARCHW "/app/textshare"
#define TEXTSHARE_RO   "/arch/app/textshare"
#define SHARE_OUT_PATH "/share-out.txt"

/* `textshare ready`: reports ready, then sleeps until killed. */
static const char *const ready_argv[] = {"textshare", "ready", NULL};

static void kill_and_wait(task_id_t id, task_wait_t *wait)
{
	task_exit_t exit;
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_wait(wait, &exit, NULL), EOK);
}

/** A file of the archive shared: the bytes a read gives, read-only. */
static void test_archive_file_shares_its_pages(void)
{
	CHECK_RC(vfs_mkdir(ARCHW), EOK);
	CHECK_RC(vfs_mount(ARCHW, "tmpfs", "archive=rootfs", 0), EOK);
	char *image;
	size_t size;
	CHECK_RC(file_load(TEXTSHARE, &image, &size), EOK);
	int fd = open(TEXTSHARE, O_RDONLY);
	CHECK(fd >= 0);
	void *base = NULL;
	uint64_t file_size = 0;
	CHECK_RC(vfs_share_file(fd, size, &base, &file_size), EOK);
	CHECK(file_size == size && base != NULL);
	if (base != NULL) {
		CHECK(memcmp(base, image, size) == 0);
		unsigned rw = AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE;
		CHECK(as_area_change_flags((uintptr_t) base, rw) != EOK);
		CHECK_RC(as_area_destroy((uintptr_t) base), EOK);
	}
	CHECK(close(fd) == 0);
	free(image);
}

/** The first instance of a program from the archive costs far less than
 *  its read-only pages: they are the archive's frames, shared, not copied
 *  into new ones; a second instance shares them too. */
static void test_archive_program_costs_none_of_its_text(void)
{
	size_t text = test_text_pages(TEXTSHARE);
	CHECK(text >= 128);
	task_id_t a, b;
	task_wait_t wa, wb;
	int64_t cost_a, cost_b;
	CHECK_RC(test_spawn_ready(TEXTSHARE, ready_argv, &a, &wa, &cost_a), EOK);
	CHECK_RC(test_spawn_ready(TEXTSHARE_RO, ready_argv, &b, &wb, &cost_b), EOK);
	printf("vfstest: from the archive: first instance %lld frames, second %lld, "
	       "read-only %zu pages\n",
	    (long long) cost_a, (long long) cost_b, text);
	CHECK(cost_a < (int64_t) text / 2);
	CHECK(cost_b < (int64_t) text / 2);
	kill_and_wait(a, &wa);
	kill_and_wait(b, &wb);
}

/** The refusals: a file not in the archive (written after boot), sizes
 *  past its pages or zero, a directory, a descriptor opened write-only. */
static void test_share_refusals(void)
{
	void *base;
	uint64_t file_size;
	int fd = open("/hello-copy", O_RDONLY); /* a copy: not in the archive */
	CHECK(fd >= 0);
	CHECK_RC(vfs_share_file(fd, 4096, &base, &file_size), ENOTSUP);
	CHECK(close(fd) == 0);
	fd = open(TEXTSHARE_RO, O_RDONLY);
	CHECK(fd >= 0);
	struct stat st;
	CHECK(fstat(fd, &st) == 0);
	size_t pages = ((size_t) st.st_size + PAGE_SIZE - 1) & ~(size_t) (PAGE_SIZE - 1);
	CHECK_RC(vfs_share_file(fd, pages + 1, &base, &file_size), EINVAL);
	CHECK_RC(vfs_share_file(fd, 0, &base, &file_size), EINVAL);
	CHECK(close(fd) == 0);
	int dir = open(ARCHW "/app", O_RDONLY | O_DIRECTORY);
	CHECK(dir >= 0);
	CHECK_RC(vfs_share_file(dir, 4096, &base, &file_size), EISDIR);
	CHECK(close(dir) == 0);
	int wr = open(ARCHW "/cfg/init.conf", O_WRONLY);
	CHECK(wr >= 0);
	CHECK_RC(vfs_share_file(wr, 4096, &base, &file_size), EBADF);
	CHECK(close(wr) == 0);
}

/** Whether file @a path holds @a text. */
static bool file_contains(const char *path, const char *text)
{
	char *data;
	size_t size;
	if (file_load(path, &data, &size) != EOK)
		return false;
	bool found = strstr(data, text) != NULL;
	free(data);
	return found;
}

/** A program file of the archive rewritten after boot: a spawn runs the
 *  new bytes (read: the file is no longer the archive's), while an
 *  instance started before keeps running the archive's, which nothing
 *  changed (a new instance from the read-only mount finds its table
 *  intact). */
static void test_rewritten_program_runs_new_bytes_old_instance_keeps_old(void)
{
	task_id_t a;
	task_wait_t wa;
	int64_t cost;
	CHECK_RC(test_spawn_ready(TEXTSHARE, ready_argv, &a, &wa, &cost), EOK);
	CHECK_RC(copy_file(ARCHW "/app/hello", TEXTSHARE), EOK);
	int fd = open(TEXTSHARE, O_RDONLY);
	void *base;
	uint64_t file_size;
	CHECK_RC(vfs_share_file(fd, 4096, &base, &file_size), ENOTSUP);
	CHECK(close(fd) == 0);
	int out = open(SHARE_OUT_PATH, O_WRONLY | O_CREAT | O_TRUNC);
	CHECK(out >= 0);
	const char *const args[] = {"textshare", "data", NULL};
	task_wait_t w;
	task_exit_t exit;
	CHECK_RC(task_spawnvf(NULL, &w, TEXTSHARE, args, -1, out, out), EOK);
	close(out);
	CHECK_RC(task_wait(&w, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 0);
	CHECK(file_contains(SHARE_OUT_PATH, "malloc/realloc/free OK"));
	CHECK_RC(task_spawnl(NULL, &w, TEXTSHARE_RO, "textshare", "data", NULL), EOK);
	CHECK_RC(task_wait(&w, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 0);
	kill_and_wait(a, &wa);
}

/** A share of a file whose server died fails at once, as a read does. */
static void test_share_from_a_dead_server_fails(void)
{
	task_id_t server;
	CHECK_RC(task_spawn_module("tmpfs", &server), EOK);
	CHECK(mkdir("/svictim", 0) == 0);
	CHECK_RC(mount_served_by("/svictim", server), EOK);
	CHECK_RC(pattern_file("/svictim/f", 8192), EOK);
	int fd = open("/svictim/f", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_RC(task_kill(server), EOK);
	task_exit_t texit;
	CHECK_RC(task_join(server, &texit, 0), EOK);
	void *base;
	uint64_t file_size;
	CHECK(vfs_share_file(fd, 4096, &base, &file_size) == EIO);
	CHECK_RC(task_spawnl(NULL, NULL, "/svictim/f", "f", NULL), EIO);
	CHECK(close(fd) == 0);
	CHECK_RC(vfs_unmount("/svictim"), EOK);
}

void share_file_tests(void)
{
	RUN(test_archive_file_shares_its_pages);
	RUN(test_archive_program_costs_none_of_its_text);
	RUN(test_share_refusals);
	RUN(test_rewritten_program_runs_new_bytes_old_instance_keeps_old);
	RUN(test_share_from_a_dead_server_fails);
}
