/*
 * ipclog --stats (stats.h): counts and latency percentiles per method.
 */
#include "stats.h"
#include <abi/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* common/src/strerror.c's, declared here rather than by including
 * common/strerror.h, whose strerror() clashes with a host's <string.h>
 * (the host tests build this file too). */
const char *str_error(errno_t rc);

void stats_init(stats_t *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->methods[STATS_METHODS].name, STATS_NAME_SIZE, "(other methods)");
}

void stats_free(stats_t *s)
{
	for (size_t i = 0; i <= STATS_METHODS; i++) {
		free(s->methods[i].ticks);
		free(s->methods[i].ns);
	}
}

/** The index of method @a name, added if new ("other" when full). */
static size_t method_index(stats_t *s, const char *name)
{
	for (size_t i = 0; i < s->count; i++) {
		if (strcmp(s->methods[i].name, name) == 0)
			return i;
	}
	if (s->count == STATS_METHODS)
		return STATS_METHODS;
	snprintf(s->methods[s->count].name, STATS_NAME_SIZE, "%s", name);
	return s->count++;
}

static void count_error(stats_method_t *m, int64_t code)
{
	for (size_t i = 0; i < STATS_ERRORS; i++) {
		if (m->errors[i].count != 0 && m->errors[i].code == code) {
			m->errors[i].count++;
			return;
		}
		if (m->errors[i].count == 0) {
			m->errors[i].code = code;
			m->errors[i].count = 1;
			return;
		}
	}
	m->other_errors++;
}

/** Keeps one latency; ENOMEM if the arrays cannot grow. */
static int keep_latency(stats_method_t *m, uint64_t ticks, uint64_t ns)
{
	if (m->lat_count == m->lat_size) {
		size_t size = m->lat_size == 0 ? 16 : m->lat_size * 2;
		uint64_t *t = realloc(m->ticks, size * sizeof(*t));
		if (t == NULL)
			return ENOMEM;
		m->ticks = t;
		uint64_t *n = realloc(m->ns, size * sizeof(*n));
		if (n == NULL)
			return ENOMEM;
		m->ns = n;
		m->lat_size = size;
	}
	m->ticks[m->lat_count] = ticks;
	m->ns[m->lat_count++] = ns;
	return EOK;
}

static int answered(stats_t *s, const ipclog_record_t *r)
{
	typeof(s->pending[0]) *p = &s->pending[r->call_id % STATS_PENDING];
	if (p->id != r->call_id || r->call_id == 0)
		return EOK; /* its call was not seen: counted under the answer's name */
	stats_method_t *m = &s->methods[p->method];
	p->id = 0;
	m->answers++;
	if (r->retval != EOK)
		count_error(m, r->retval);
	return keep_latency(m, r->tsc - p->tsc, r->time_ns - p->ns);
}

int stats_feed(stats_t *s, const ipclog_record_t *r, const char *name)
{
	if (r->type == IPCLOG_CALL) {
		size_t i = method_index(s, name);
		s->methods[i].calls++;
		typeof(s->pending[0]) *p = &s->pending[r->call_id % STATS_PENDING];
		p->id = r->call_id;
		p->tsc = r->tsc;
		p->ns = r->time_ns;
		p->method = i;
		return EOK;
	}
	if (r->type == IPCLOG_ANSWER)
		return answered(s, r);
	return EOK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
	return x < y ? -1 : x > y;
}

/** Nearest-rank percentile @a p of the sorted @a v (n > 0). */
static uint64_t rank(const uint64_t *v, size_t n, unsigned p)
{
	size_t k = (n * p + 99) / 100;
	return v[k == 0 ? 0 : k - 1];
}

static void pct(uint64_t *v, size_t n, stats_pct_t *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), cmp_u64);
	*out = (stats_pct_t){rank(v, n, 50), rank(v, n, 90), rank(v, n, 99), v[n - 1]};
}

void stats_percentiles(stats_method_t *m, stats_pct_t *ticks, stats_pct_t *ns)
{
	pct(m->ticks, m->lat_count, ticks);
	pct(m->ns, m->lat_count, ns);
}

/** "ENOENT:2 ELIMIT:1" or "-". */
static void format_errors(const stats_method_t *m, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < STATS_ERRORS && m->errors[i].count != 0; i++)
		len += (size_t) snprintf(buf + len, len < size ? size - len : 0,
		    "%s%s:%llu", len ? "," : "", str_error((errno_t) m->errors[i].code),
		    (unsigned long long) m->errors[i].count);
	if (m->other_errors != 0 && len < size)
		snprintf(buf + len, size - len, "%sother:%llu", len ? "," : "",
		    (unsigned long long) m->other_errors);
	if (buf[0] == '\0')
		snprintf(buf, size, "-");
}

static void print_method(stats_method_t *m, void (*out)(void *, const char *), void *ctx)
{
	stats_pct_t t, n;
	char errors[96], line[320];
	stats_percentiles(m, &t, &n);
	format_errors(m, errors, sizeof(errors));
	snprintf(line, sizeof(line),
	    "%-24s %6llu %6llu %-14s %10llu %10llu %10llu %10llu ticks\n"
	    "%-24s %6s %6s %-14s %10llu %10llu %10llu %10llu ns\n",
	    m->name, (unsigned long long) m->calls, (unsigned long long) m->answers,
	    errors, (unsigned long long) t.p50, (unsigned long long) t.p90,
	    (unsigned long long) t.p99, (unsigned long long) t.max, "", "", "", "",
	    (unsigned long long) n.p50, (unsigned long long) n.p90,
	    (unsigned long long) n.p99, (unsigned long long) n.max);
	out(ctx, line);
}

void stats_print(stats_t *s, void (*out)(void *ctx, const char *line), void *ctx)
{
	char head[160];
	snprintf(head, sizeof(head), "%-24s %6s %6s %-14s %10s %10s %10s %10s\n",
	    "method", "calls", "answrs", "errors", "p50", "p90", "p99", "max");
	out(ctx, head);
	for (size_t i = 0; i <= STATS_METHODS; i++) {
		stats_method_t *m = &s->methods[i];
		if (i < s->count || (i == STATS_METHODS && m->calls != 0))
			print_method(m, out, ctx);
	}
}
