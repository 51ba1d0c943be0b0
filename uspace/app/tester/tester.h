/*
 * tester's parts: the table entry of a test program, the parsing of its
 * verdict lines (verdict.c, pure: host-tested) and running it (run.c).
 */
#ifndef TESTER_H
#define TESTER_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
	const char *name; /* /app/NAME, whose lines start with "NAME: " */
	unsigned perms;	  /* PERM_* it runs with */
	unsigned limit_s; /* killed after this many seconds */
} tester_prog_t;

typedef struct {
	unsigned passed;
	unsigned failed;
} tester_count_t;

/** What the lines of one program said so far. */
typedef struct {
	const char *tag;	/* the program's name */
	tester_count_t lines;	/* PASS and FAIL lines seen */
	tester_count_t summary; /* its `TAG: N passed, N failed`, if seen */
	bool have_summary;
} tester_verdict_t;

void verdict_init(tester_verdict_t *v, const char *tag);
/** Takes one line of output (without its newline). */
void verdict_line(tester_verdict_t *v, const char *line);
/** The counts the program's run adds up to, given how it ended: its
 *  PASS/FAIL lines, plus one failure when the summary is missing or
 *  disagrees with them, or when @a exited_ok (ended with status 0) does
 *  not match "no failures". */
tester_count_t verdict_result(const tester_verdict_t *v, bool exited_ok);

/** Spawns /app/NAME with its output through a pipe, relays the output,
 *  kills it past its limit; its counts in *@a count. */
errno_t tester_run(const tester_prog_t *prog, tester_count_t *count);

#endif
