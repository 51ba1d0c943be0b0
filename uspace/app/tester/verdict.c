/*
 * Reading a test program's verdict lines (tester.h).
 */
#include "tester.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void verdict_init(tester_verdict_t *v, const char *tag)
{
	v->tag = tag;
	v->lines.passed = v->lines.failed = 0;
	v->summary.passed = v->summary.failed = 0;
	v->have_summary = false;
}

/** The rest of @a line after "TAG: ", or NULL if it does not start so. */
static const char *after_tag(const char *tag, const char *line)
{
	size_t n = strlen(tag);
	if (strncmp(line, tag, n) != 0 || strncmp(line + n, ": ", 2) != 0)
		return NULL;
	return line + n + 2;
}

/** Parses a decimal number at *@a s followed by @a word; advances *@a s. */
static bool parse_count(const char **s, const char *word, unsigned *out)
{
	if (**s < '0' || **s > '9')
		return false;
	char *end;
	unsigned long n = strtoul(*s, &end, 10);
	size_t len = strlen(word);
	if (n > UINT32_MAX || strncmp(end, word, len) != 0)
		return false;
	*out = (unsigned) n;
	*s = end + len;
	return true;
}

/** Parses "N passed, N failed" (the whole of @a s) into @a c. */
static bool parse_summary(const char *s, tester_count_t *c)
{
	tester_count_t t;
	if (!parse_count(&s, " passed, ", &t.passed) ||
	    !parse_count(&s, " failed", &t.failed) || *s != '\0')
		return false;
	*c = t;
	return true;
}

void verdict_line(tester_verdict_t *v, const char *line)
{
	const char *rest = after_tag(v->tag, line);
	if (rest == NULL)
		return;
	if (strncmp(rest, "PASS ", 5) == 0)
		v->lines.passed++;
	else if (strncmp(rest, "FAIL ", 5) == 0)
		v->lines.failed++;
	else if (parse_summary(rest, &v->summary))
		v->have_summary = true;
}

tester_count_t verdict_result(const tester_verdict_t *v, bool exited_ok)
{
	tester_count_t c = v->lines;
	bool agrees = v->have_summary && v->summary.passed == v->lines.passed &&
	    v->summary.failed == v->lines.failed;
	if (!agrees || exited_ok != (v->lines.failed == 0))
		c.failed++;
	return c;
}
