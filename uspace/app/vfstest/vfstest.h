/*
 * vfstest: tests of the VFS with tmpfs (boot options
 * testinit=ns,vfs,tmpfs testtask=vfstest).
 */
#ifndef VFSTEST_H
#define VFSTEST_H

#include <async.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <task.h>
#include <testsuite.h>
#include <unistd.h>
#include <vfs.h>

/** Runs the test program as a child `vfstest --child @a args`; its id. */
errno_t child_spawn(const char *args, task_id_t *id);
/** Waits for child @a id; EOK if it exited 0. */
errno_t child_wait(task_id_t id);
/** The entry of a child: `--child write PATH N`, `--child pass`,
 *  `--child pipe-write` or `--child pipe-drain N`. */
int child_main(int argc, char *argv[]);

/** Mounts a tmpfs at @a point served by task @a server (started lately). */
errno_t mount_served_by(const char *point, task_id_t server);

/** The byte at @a i of the test pattern. */
char pattern_byte(size_t i);
/** Makes @a path with @a size bytes of the test pattern. */
errno_t pattern_file(const char *path, size_t size);

/** Shares a read buffer (VFS_READ_SHARED_MAX bytes) on @a exch after
 *  checking the refusals of a wrong size, of read-only and of a second
 *  one; its address in *@a bufp (as_area_destroy() it; AS_AREA_ANY if a
 *  check failed first). */
void read_buffer_share(async_exch_t *exch, uintptr_t *bufp);

/** Copies file @a from to @a to with stdio. */
errno_t copy_file(const char *from, const char *to);

/** Writes @a size bytes of @a byte to @a fd. */
errno_t fill_write(int fd, char byte, size_t size);

void basic_tests(void);
void limit_tests(void);
void task_tests(void);
void program_tests(void);
void pipe_tests(void);
void shared_read_tests(void);
void direct_read_tests(void);
void share_file_tests(void);

#endif
