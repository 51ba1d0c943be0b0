/*
 * Call statistics of the IPC log (ipclog --stats): per method (named as the
 * decoder names it, so per interface and method), the calls sent, the
 * answers, the errors by code and the call-to-answer latency percentiles in
 * TSC ticks and nanoseconds. Fed the records in log order; pure (no system
 * calls), so the host tests run it. tools/ipctrace.py computes the same
 * table from an export.
 */
#ifndef IPCLOG_STATS_H
#define IPCLOG_STATS_H

#include <abi/ipclog.h>
#include <stddef.h>
#include <stdint.h>

#define STATS_METHODS	64   /* methods kept apart; the rest count as "other" */
#define STATS_ERRORS	4    /* error codes kept per method */
#define STATS_PENDING	1024 /* unanswered calls remembered (by call id) */
#define STATS_NAME_SIZE 48

typedef struct {
	char name[STATS_NAME_SIZE];
	uint64_t calls, answers;
	struct {
		int64_t code;
		uint64_t count;
	} errors[STATS_ERRORS];
	uint64_t other_errors; /* errors of codes beyond STATS_ERRORS */
	uint64_t *ticks, *ns;  /* latencies, one per answer whose call was seen */
	size_t lat_count, lat_size;
} stats_method_t;

typedef struct {
	stats_method_t methods[STATS_METHODS + 1]; /* the last: "other" */
	size_t count;
	struct {
		uint64_t id, tsc, ns;
		size_t method; /* index into methods */
	} pending[STATS_PENDING];
} stats_t;

void stats_init(stats_t *s);
void stats_free(stats_t *s);
/** Counts record @a r whose method the decoder formatted as @a name;
 *  ENOMEM when a latency could not be kept (the counts still are). */
int stats_feed(stats_t *s, const ipclog_record_t *r, const char *name);

typedef struct {
	uint64_t p50, p90, p99, max;
} stats_pct_t;

/** Sorts @a m's latencies and computes the percentiles (nearest rank). */
void stats_percentiles(stats_method_t *m, stats_pct_t *ticks, stats_pct_t *ns);

/** Writes the table, one line per method, through @a out. */
void stats_print(stats_t *s, void (*out)(void *ctx, const char *line), void *ctx);

#endif
