/*
 * Tests of program pages shared between tasks (the loader maps read-only
 * segments with as_area_create_image), with textshare, a program of 512 KiB
 * of constants: a second instance costs far less than its read-only pages,
 * also beside an instance the kernel started from the module, each
 * instance's data stays its own, a write to the shared constants faults
 * and changes nothing for the others, and the system calls refuse what
 * would make shared pages writable (as_area_create_image, module_map); a
 * program's headers open its text segment, which starts a file page.
 */
#include "tasktest.h"
#include <as.h>
#include <common/arch/page.h>
#include <common/elf.h>
#include <fibril.h>
#include <fileload.h>
#include <module.h>
#include <string.h>
#include <syscall.h>
#include <stdlib.h>
#include <task.h>
#include <testsuite.h>

#define TEXTSHARE_PATH "/app/textshare"

/** Pages of textshare's read-only segments (text and constants). */
static size_t text_pages(void)
{
	return test_text_pages(TEXTSHARE_PATH);
}

/** Starts `textshare ready` and waits until it is running; the frames
 *  that cost in *@a cost. */
static errno_t start_ready(task_id_t *id, task_wait_t *wait, int64_t *cost)
{
	static const char *const argv[] = {"textshare", "ready", NULL};
	return test_spawn_ready(TEXTSHARE_PATH, argv, id, wait, cost);
}

static void kill_and_wait(task_id_t id, task_wait_t *wait)
{
	task_exit_t exit;
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_wait(wait, &exit, NULL), EOK);
}

/** A second instance of a running program costs far less than the
 *  program's read-only pages (less than half of them: what it costs is its
 *  own data, stacks and tables), the first instance's being mapped. */
void test_second_instance_shares_the_text(void)
{
	size_t text = text_pages();
	CHECK(text >= 128);
	task_id_t a, b;
	task_wait_t wa, wb;
	int64_t cost_a, cost_b;
	CHECK_RC(start_ready(&a, &wa, &cost_a), EOK);
	CHECK_RC(start_ready(&b, &wb, &cost_b), EOK);
	printf("tasktest: first instance %lld frames, second %lld, read-only %zu pages\n",
	    (long long) cost_a, (long long) cost_b, text);
	CHECK(cost_b < (int64_t) text / 2);
	kill_and_wait(a, &wa);
	kill_and_wait(b, &wb);
}

/** An instance writing its data while another runs the same text: the
 *  second still sees the data as the file has it. */
void test_shared_text_keeps_data_private(void)
{
	task_id_t a;
	task_wait_t wa;
	int64_t cost;
	/* A ready child has written its data_probe. */
	CHECK_RC(start_ready(&a, &wa, &cost), EOK);
	task_wait_t wb;
	task_exit_t exit;
	CHECK_RC(task_spawnl(NULL, &wb, TEXTSHARE_PATH, "textshare", "data", NULL), EOK);
	CHECK_RC(task_wait(&wb, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 0);
	kill_and_wait(a, &wa);
}

/** Bad requests: writable, content past the area, a bad source, no fixed
 *  address; an image area never becomes writable. */
void test_image_area_bad_input(void)
{
	static const char bytes[PAGE_SIZE] = "shared bytes";
	uintptr_t base = 0x50000000;
	unsigned rx = AS_AREA_READ | AS_AREA_EXEC | AS_AREA_CACHEABLE;
	unsigned rw = AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE;
	CHECK_RC(as_area_create_image(base, PAGE_SIZE, rw, bytes, 16), EINVAL);
	CHECK_RC(as_area_create_image(base, PAGE_SIZE, rx, bytes, PAGE_SIZE + 1), EINVAL);
	CHECK_RC(as_area_create_image(base, 0, rx, bytes, 0), EINVAL);
	CHECK_RC(as_area_create_image(AS_AREA_ANY, PAGE_SIZE, rx, bytes, 16), EINVAL);
	CHECK_RC(as_area_create_image(base, PAGE_SIZE, rx, (void *) 0x10, 16), EBADMEM);
	CHECK_RC(as_area_create_image(base, PAGE_SIZE, rx, bytes, PAGE_SIZE), EOK);
	CHECK(memcmp((const void *) base, bytes, PAGE_SIZE) == 0);
	CHECK_RC(as_area_create_image(base, PAGE_SIZE, rx, bytes, 16), EEXIST);
	CHECK(as_area_change_flags(base, rw) != EOK);
	/* The same bytes again elsewhere: the same content, zero after it. */
	uintptr_t again = base + 4 * PAGE_SIZE;
	CHECK_RC(as_area_create_image(again, 2 * PAGE_SIZE, rx, bytes, 16), EOK);
	CHECK(memcmp((const void *) again, bytes, 16) == 0);
	CHECK(((const char *) again)[16] == 0 && ((const char *) again)[PAGE_SIZE] == 0);
	CHECK_RC(as_area_destroy(base), EOK);
	CHECK_RC(as_area_destroy(again), EOK);
}

/** An instance the kernel started from the boot module (its read-only
 *  segments mapped from the module's frames) and one the loader started
 *  (which maps the module, module_map) share those pages: the second costs
 *  far less than them. */
void test_module_instance_shares_with_the_kernels(void)
{
	size_t text = text_pages();
	CHECK(text >= 128);
	task_id_t a, b;
	CHECK_RC(task_spawn_module("textshare ready", &a), EOK);
	task_wait_t wb;
	int64_t cost_b;
	CHECK_RC(start_ready(&b, &wb, &cost_b), EOK);
	printf(
	    "tasktest: beside the kernel's instance %lld frames, read-only %zu pages\n",
	    (long long) cost_b, text);
	CHECK(cost_b < (int64_t) text / 2);
	kill_and_wait(b, &wb);
	task_exit_t exit;
	CHECK_RC(task_kill(a), EOK);
	CHECK_RC(task_join(a, &exit, 0), EOK);
}

/** An instance writing to its shared constants is killed by the fault;
 *  a running instance and a new one still see them as the file has them. */
void test_write_to_shared_constants_faults(void)
{
	task_id_t a;
	task_wait_t wa;
	int64_t cost;
	CHECK_RC(start_ready(&a, &wa, &cost), EOK);
	task_wait_t w;
	task_exit_t exit;
	CHECK_RC(task_spawnl(NULL, &w, TEXTSHARE_PATH, "textshare", "write", NULL), EOK);
	CHECK_RC(task_wait(&w, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_FAULT);
	CHECK_RC(task_spawnl(NULL, &w, TEXTSHARE_PATH, "textshare", "data", NULL), EOK);
	CHECK_RC(task_wait(&w, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 0);
	kill_and_wait(a, &wa);
}

/** module_map: a program module read-only in its own frames (the bytes
 *  module_read gives, never writable); no such module, a module that is
 *  neither an ELF file nor a cpio archive (configuration: read, never
 *  kept) and bad outputs refused. */
void test_module_map(void)
{
	void *base;
	size_t size;
	CHECK_RC(module_map("nosuchmodule", &base, &size), ENOENT);
	CHECK_RC(module_map("init-test.conf", &base, &size), ENOEXEC);
	CHECK_RC(module_map("", &base, &size), ENOENT);
	uintptr_t at = 0;
	CHECK_RC((errno_t) syscall4(SYS_MODULE_MAP, (sysarg_t) "tasktest", 8,
		     (sysarg_t) 0x10, (sysarg_t) &size),
	    EBADMEM);
	CHECK_RC((errno_t) syscall4(SYS_MODULE_MAP, (sysarg_t) "tasktest", 8,
		     (sysarg_t) &at, (sysarg_t) 0x10),
	    EBADMEM);
	CHECK_RC(module_map("tasktest", &base, &size), EOK);
	uint64_t total = 0;
	CHECK_RC(module_size("tasktest", &total), EOK);
	CHECK(size == total);
	static char head[PAGE_SIZE];
	CHECK_RC(module_read("tasktest", 0, head, sizeof(head)), EOK);
	CHECK(memcmp(base, head, sizeof(head)) == 0);
	CHECK(((const char *) base)[size] == 0 || size % PAGE_SIZE == 0);
	unsigned rw = AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE;
	CHECK(as_area_change_flags((uintptr_t) base, rw) != EOK);
	CHECK_RC(as_area_destroy((uintptr_t) base), EOK);
}

/** module_map and the area's end leave nothing behind: after a first map
 *  (which keeps the module for good), maps that are read and destroyed
 *  again cost no frame, no kernel object and no capability. */
void test_module_map_leaves_nothing(void)
{
	void *base;
	size_t size;
	CHECK_RC(module_map("tasktest", &base, &size), EOK);
	CHECK_RC(as_area_destroy((uintptr_t) base), EOK);
	kernel_stats_t before, after;
	CHECK_RC(kernel_stats_get(&before), EOK);
	for (int i = 0; i < 16; i++) {
		CHECK_RC(module_map("tasktest", &base, &size), EOK);
		CHECK(memcmp(base, "\177ELF", 4) == 0);
		CHECK_RC(as_area_destroy((uintptr_t) base), EOK);
	}
	/* The counts are the whole system's: on several CPUs another task's
	 * end may free objects meanwhile, or a server hold one for a moment.
	 * A leak stays: fewer free frames, more objects or capabilities that
	 * do not go within 2 s (one map's leak is 16 of them here). */
	bool back = false;
	for (int i = 0; i < 2000 && !back; i++) {
		CHECK_RC(kernel_stats_get(&after), EOK);
		back = after.frames_free >= before.frames_free &&
		    after.slab_objects <= before.slab_objects &&
		    after.capabilities <= before.capabilities;
		if (!back)
			fibril_usleep(1000);
	}
	EXPECT(after.frames_free >= before.frames_free, "frames free %llu -> %llu",
	    (unsigned long long) before.frames_free,
	    (unsigned long long) after.frames_free);
	EXPECT(after.slab_objects <= before.slab_objects, "kernel objects %llu -> %llu",
	    (unsigned long long) before.slab_objects,
	    (unsigned long long) after.slab_objects);
	EXPECT(after.capabilities <= before.capabilities, "caps %llu -> %llu",
	    (unsigned long long) before.capabilities,
	    (unsigned long long) after.capabilities);
}

/** Spawns `tasktest --child exit 0` through the loader and waits until
 *  it has ended normally and is wholly gone. */
static errno_t exit_child_run(void)
{
	task_id_t id;
	task_wait_t wait;
	task_exit_t exit;
	errno_t rc = task_spawnl(
	    &id, &wait, TASKTEST_PATH, "tasktest", "--child", "exit", "0", NULL);
	if (rc == EOK)
		rc = task_wait(&wait, &exit, NULL);
	if (rc == EOK && (exit.how != TASK_EXIT_NORMAL || exit.status != 0))
		rc = EIO;
	return rc == EOK && !test_child_gone(id) ? ETIMEOUT : rc;
}

/** Children the loader starts from a mapped module (this boot has no file
 *  system) give back every task, thread and capability when they end. */
void test_mapped_spawns_leave_nothing(void)
{
	CHECK_RC(exit_child_run(), EOK);
	kernel_stats_t baseline;
	CHECK_RC(kernel_stats_get(&baseline), EOK);
	for (int i = 0; i < 8; i++)
		CHECK_RC(exit_child_run(), EOK);
	CHECK(test_counters_back(&baseline));
}

/** The loader destroys its own writable areas as it jumps to the program
 *  (uspace/srv/loader/leave.c): what a child finds after the loader's
 *  text and read-only data is nothing writable, so the pages the loader's
 *  start-up wrote (data and bss among them) do not stay under it. */
void test_loader_leaves_no_writable_area(void)
{
	task_wait_t wait;
	task_exit_t exit;
	CHECK_RC(task_spawnl(NULL, &wait, TASKTEST_PATH, "tasktest", "--child",
		     "loader-areas", NULL),
	    EOK);
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	EXPECT(exit.how == TASK_EXIT_NORMAL && exit.status == 0, "how %d, status %d",
	    (int) exit.how, exit.status);
}

/** A program's first loadable segment is its text, and it begins with the
 *  ELF header and the program headers at file offset 0 (link.ld): they
 *  take no file page of their own, and the segment still starts on a page
 *  of the file, so the kernel maps a module's text from its own frames. */
void test_headers_open_the_text_segment(void)
{
	static char head[PAGE_SIZE];
	CHECK_RC(module_read("tasktest", 0, head, sizeof(head)), EOK);
	const elf64_ehdr_t *eh = (const elf64_ehdr_t *) head;
	CHECK(eh->phoff + eh->phnum * sizeof(elf64_phdr_t) <= sizeof(head));
	const elf64_phdr_t *ph = (const elf64_phdr_t *) (head + eh->phoff);
	size_t i = 0;
	while (i < eh->phnum && ph[i].type != ELF_PT_LOAD)
		i++;
	CHECK(i < eh->phnum);
	EXPECT(ph[i].offset == 0 && ph[i].vaddr % PAGE_SIZE == 0 &&
		ph[i].flags == (ELF_PF_R | ELF_PF_X),
	    "offset %#llx, vaddr %#llx, flags %u", (unsigned long long) ph[i].offset,
	    (unsigned long long) ph[i].vaddr, (unsigned) ph[i].flags);
	CHECK(eh->entry > ph[i].vaddr + eh->phoff);
}
