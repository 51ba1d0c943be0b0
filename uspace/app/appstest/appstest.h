/*
 * appstest: tests of the core programs (ls, cat, cp, ps, ...) run as
 * children with their output in files (boot options
 * testinit=ns,vfs,tmpfs testtask=appstest). The programs come from the
 * boot archive (rootfs), copied into the test's own root at /app.
 */
#ifndef APPSTEST_H
#define APPSTEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <task.h>
#include <testsuite.h>

#define OUTPUT_MAX 4096

/** The programs under test, as named in /app. */
extern const char *const app_names[];
extern const size_t app_count;

/** How a program run went: its exit status (-1: it did not exit) and
 *  what it wrote to stdout and stderr. */
typedef struct {
	int status;
	char out[OUTPUT_MAX];
	char err[OUTPUT_MAX];
} app_run_t;

/** Runs /app/args[0] with @a args and the permissions @a perms, stdout
 *  and stderr going to files, and waits for it. */
errno_t app_run(app_run_t *run, unsigned perms, const char *const args[]);

/** Runs a program given its name and arguments. */
#define APP(run, ...) app_run((run), 0, (const char *const[]){__VA_ARGS__, NULL})

/** Writes @a text into a new file @a path. */
errno_t file_put(const char *path, const char *text);
/** True if @a path exists and is a directory (@a dir) or a file. */
bool path_is(const char *path, bool dir);

void file_tests(void);
void system_tests(void);

#endif
