/*
 * ipclog: read and control the kernel IPC log (docs/ipclog.md).
 *
 *   ipclog [-n N] [-t TASK] [-f] [-a]   print records (only those of TASK, a
 *                                       task id; of them the last N; keep
 *                                       following new ones; -a: also
 *                                       ipclog's own)
 *   ipclog --stats [-n N] [-t TASK]     calls, answers, errors and latency
 *                                       percentiles per method
 *   ipclog --export [-n N] [-t TASK]    the records for tools/ipctrace.py
 *   ... -o FILE                         any of these into FILE instead
 *   ... --host                          into the export channel (COM2)
 *   ... --from SEQ --to SEQ             only records numbered from SEQ on and
 *                                       before the --to SEQ
 *   ipclog --run PROGRAM [ARG...]       run PROGRAM, then say which records
 *                                       it caused (from, to) and its status
 *   ipclog --on | --off | -c | --status enable, disable, clear, show the
 *                                       state (and the head: the next
 *                                       record's number)
 *   ipclog --demo                       enable, make a few calls to a server,
 *                                       then print them, ipclog's own
 *                                       included (used by make test)
 *
 * What is read is fixed when the program starts: the records up to the
 * log's head at that moment (with -f, also those after it), so its own
 * printing, which is IPC too, never keeps it reading. Records of ipclog
 * itself are left out unless -a is given. Methods are named by the
 * interface of their connection, learnt from the records (decode.h), so
 * every record still in the log is read, also those -n leaves out. Needs
 * PERM_IPCLOG.
 */
#include "decode.h"
#include "stats.h"
#include <abi/bench.h>
#include <abi/ipc.h>
#include <abi/ipclog.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <thread.h>

#define BATCH	      32
#define CALLS_TRACKED 256

typedef enum { MODE_TEXT, MODE_STATS, MODE_EXPORT } output_mode_t;

typedef struct {
	uint64_t last;	     /* how many of the newest records (0: all) */
	uint64_t task;	     /* only this task's (UINT64_MAX: all) */
	uint64_t self;	     /* ipclog's own task id (0 with -a: none left out) */
	uint64_t print_from; /* the first record number printed (from last) */
	uint64_t end;	     /* the log's head when the program started */
	uint64_t from;	     /* --from: the first record number to print */
	uint64_t to;	     /* --to: the first record number not printed */
	bool follow;
	output_mode_t mode;
	const char *file; /* -o */
	bool host;	  /* --host */
} options_t;

/* Where the output goes: stdout, a file or the export channel, buffered. */
typedef struct {
	FILE *file;
	bool host;
	char buf[4096];
	size_t len;
	errno_t rc; /* the first write error */
	uint64_t bytes;
} sink_t;

static ipclog_record_t batch[BATCH];
static sink_t sink;
static decoder_t decoder; /* every record read goes through it, in log order */
static stats_t stats;
static uint64_t exported; /* records (not names) the export carries */

/* Call times by call id (a small direct-mapped table) for answer latency. */
static struct {
	uint64_t id;
	uint64_t ns;
} call_times[CALLS_TRACKED];

static errno_t control(sysarg_t cmd, sysarg_t arg, sysarg_t arg2)
{
	return (errno_t) syscall3(SYS_IPCLOG_CONTROL, cmd, arg, arg2);
}

static void sink_flush(void)
{
	if (sink.len == 0)
		return;
	errno_t rc = EOK;
	if (sink.host)
		rc = control(IPCLOG_CMD_EXPORT, (sysarg_t) sink.buf, sink.len);
	else if (fwrite(sink.buf, 1, sink.len, sink.file) != sink.len)
		rc = EIO;
	if (sink.rc == EOK)
		sink.rc = rc;
	sink.bytes += sink.len;
	sink.len = 0;
}

static void sink_printf(const char *fmt, ...)
{
	if (sink.len > sizeof(sink.buf) - 512)
		sink_flush();
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sink.buf + sink.len, sizeof(sink.buf) - sink.len, fmt, ap);
	va_end(ap);
	if (n > 0)
		sink.len += (size_t) n < sizeof(sink.buf) - sink.len
		    ? (size_t) n
		    : sizeof(sink.buf) - sink.len - 1;
}

static void sink_line(void *unused, const char *line)
{
	(void) unused;
	sink_printf("%s", line);
}

/** Opens the sink @a o asks for; false with a message if it cannot. */
static bool sink_open(const options_t *o)
{
	sink.file = stdout;
	sink.host = o->host;
	if (o->file != NULL && (sink.file = fopen(o->file, "w")) == NULL) {
		fprintf(stderr, "ipclog: %s: cannot create the file\n", o->file);
		return false;
	}
	return true;
}

static const char *sink_name(const options_t *o)
{
	if (o->host)
		return "the export channel";
	return o->file != NULL ? o->file : "output";
}

/** Flushes and closes the sink; false with a message on a write error. */
static bool sink_close(const options_t *o)
{
	sink_flush();
	if (sink.file != stdout && fclose(sink.file) != 0 && sink.rc == EOK)
		sink.rc = EIO;
	if (sink.rc != EOK) {
		fprintf(stderr, "ipclog: %s: %s\n", sink_name(o),
		    sink.rc == ENOTSUP ? "the machine has no second serial port"
				       : strerror(sink.rc));
		return false;
	}
	return true;
}

/** "ID:NAME" of task @a id: its name now, else the one the log last
 *  recorded for it (it has ended), else "ID:(gone)". */
static void task_name(uint64_t id, char *buf, size_t size)
{
	task_info_t info;
	if (id == 0)
		snprintf(buf, size, "0:kernel");
	else if ((errno_t) syscall2(SYS_TASK_INFO, id, (sysarg_t) &info) == EOK)
		snprintf(buf, size, "%llu:%s", (unsigned long long) id, info.name);
	else if (decoder_task_name(&decoder, id) != NULL)
		snprintf(buf, size, "%llu:%s", (unsigned long long) id,
		    decoder_task_name(&decoder, id));
	else
		snprintf(buf, size, "%llu:(gone)", (unsigned long long) id);
}

/** Latency of the answer @a r (0 if its call was not seen). */
static uint64_t latency(const ipclog_record_t *r)
{
	size_t slot = r->call_id % CALLS_TRACKED;
	if (r->type == IPCLOG_CALL) {
		call_times[slot].id = r->call_id;
		call_times[slot].ns = r->time_ns;
		return 0;
	}
	if (r->type == IPCLOG_ANSWER && call_times[slot].id == r->call_id)
		return r->time_ns - call_times[slot].ns;
	return 0;
}

/** Writes @a r's method to @a buf: as the decoder named it (@a name), or
 *  "notif(N)" for a notification (its code is its subscriber's). */
static void method_text(
    const ipclog_record_t *r, const char *name, char *buf, size_t size)
{
	if (r->type == IPCLOG_NOTIF)
		snprintf(buf, size, "notif(%llu)", (unsigned long long) r->method);
	else
		decoder_format(name, r->method, buf, size);
}

static const char *type_names[IPCLOG_TYPE_COUNT] = {"?", "call", "forward", "answer",
    "hangup", "notif", "connect", "refused", "receive", "name"};

static void print_record(const ipclog_record_t *r, const char *name, uint64_t lat)
{
	char from[48], to[48], method[48];
	if (r->type == IPCLOG_RECEIVE || r->type == IPCLOG_NAME)
		return; /* the export carries them; the text leaves them out */
	task_name(r->sender, from, sizeof(from));
	task_name(r->receiver, to, sizeof(to));
	method_text(r, name, method, sizeof(method));
	sink_printf("%6llu.%06llu %-7s %-14s -> %-14s %-22s",
	    (unsigned long long) r->time_ns / 1000000000,
	    (unsigned long long) (r->time_ns / 1000) % 1000000,
	    r->type < IPCLOG_TYPE_COUNT ? type_names[r->type] : "?", from, to, method);
	if (r->type == IPCLOG_ANSWER)
		sink_printf(" = %s (%llu ns)", str_error((errno_t) r->retval),
		    (unsigned long long) lat);
	else if (r->type != IPCLOG_HANGUP)
		sink_printf(" (%llu, %llu, %llu, %llu, %llu)",
		    (unsigned long long) r->args[0], (unsigned long long) r->args[1],
		    (unsigned long long) r->args[2], (unsigned long long) r->args[3],
		    (unsigned long long) r->args[4]);
	sink_printf(" [call %llu%s]\n", (unsigned long long) r->call_id,
	    (r->flags & IPCLOG_F_KERNEL) ? ", by the kernel" : "");
}

/** A name for the export: no spaces, never empty. */
static void export_name(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s", name[0] != '\0' ? name : "?");
	for (char *p = buf; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\r')
			*p = '_';
	}
}

/** One line per record (the format: docs/ipclog.md, tools/ipctrace.py). */
static void export_record(const ipclog_record_t *r, const char *name)
{
	char method[48];
	if (r->type == IPCLOG_NAME) {
		char text[IPCLOG_NAME_MAX];
		memcpy(text, r->args, IPCLOG_NAME_MAX);
		text[IPCLOG_NAME_MAX - 1] = '\0';
		export_name(text, method, sizeof(method));
		sink_printf("N %llu %llu %llu %s\n", (unsigned long long) r->time_ns,
		    (unsigned long long) r->sender, (unsigned long long) r->receiver,
		    method);
		return;
	}
	method_text(r, name, method, sizeof(method));
	sink_printf("R %llu %u %llu %llu %u %u %llu %llu %llu %llu %llu %llx %llx %llx "
		    "%llx %llx %lld %u %s\n",
	    (unsigned long long) r->seq, r->type, (unsigned long long) r->time_ns,
	    (unsigned long long) r->tsc, r->cpu, r->thread,
	    (unsigned long long) r->sender, (unsigned long long) r->receiver,
	    (unsigned long long) r->phone, (unsigned long long) r->call_id,
	    (unsigned long long) r->method, (unsigned long long) r->args[0],
	    (unsigned long long) r->args[1], (unsigned long long) r->args[2],
	    (unsigned long long) r->args[3], (unsigned long long) r->args[4],
	    (long long) r->retval, r->flags, method);
}

/** The names of the tasks alive now (the log's name records cover those
 *  that started or were renamed while it was on). */
static void export_task_names(void)
{
	uint64_t ids[128];
	size_t n = 0;
	if (task_list(ids, 128, &n) != EOK)
		return;
	for (size_t i = 0; i < n && i < 128; i++) {
		task_info_t info;
		char name[48];
		if ((errno_t) syscall2(SYS_TASK_INFO, ids[i], (sysarg_t) &info) != EOK)
			continue;
		export_name(info.name, name, sizeof(name));
		sink_printf("N 0 %llu 0 %s\n", (unsigned long long) ids[i], name);
	}
}

/** Whether @a r is of the task -t names (of any without -t). */
static bool of_task(const options_t *o, const ipclog_record_t *r)
{
	return o->task == UINT64_MAX || r->sender == o->task || r->receiver == o->task;
}

/** Whether @a r is ipclog's own traffic (left out without -a). */
static bool own(const options_t *o, const ipclog_record_t *r)
{
	return o->self != 0 && r->type != IPCLOG_NAME &&
	    (r->sender == o->self || r->receiver == o->self);
}

static bool counted(const options_t *o, const ipclog_record_t *r)
{
	return of_task(o, r) && !own(o, r);
}

/** Whether @a r is printed (exported, counted). An export carries every
 *  name record it reads, whatever -n, -t and --from say: the tasks of the
 *  records it does carry may have started long before. */
static bool selected(const options_t *o, const ipclog_record_t *r)
{
	if (r->seq >= o->end && !o->follow)
		return false;
	if (r->type == IPCLOG_NAME && o->mode == MODE_EXPORT)
		return true;
	return r->seq >= o->print_from && counted(o, r);
}

/** Reads records from *@a cursor into batch, none from o->end on unless
 *  following; the count, or a negative errno. */
static int64_t read_batch(const options_t *o, uint64_t *cursor, uint64_t *missed)
{
	size_t max = BATCH;
	if (!o->follow) {
		if (*cursor >= o->end)
			return 0;
		if (o->end - *cursor < max)
			max = (size_t) (o->end - *cursor);
	}
	*missed = 0;
	return (int64_t) syscall4(
	    SYS_IPCLOG_READ, (sysarg_t) cursor, (sysarg_t) batch, max, (sysarg_t) missed);
}

/** Sets o->print_from to the number of the o->last-th newest record that
 *  would be printed (the task filter comes before the count), among those
 *  before o->end: a pass that keeps the numbers of the newest o->last such
 *  records in a ring of at most @a capacity (the log's) entries. */
static errno_t first_of_last(options_t *o, uint64_t capacity)
{
	size_t n = (size_t) (o->last < capacity ? o->last : capacity);
	if (n == 0)
		return EOK;
	uint64_t *ring = malloc(n * sizeof(*ring));
	if (ring == NULL)
		return ENOMEM;
	bool follow = o->follow;
	o->follow = false;
	uint64_t cursor = 0, seen = 0, missed;
	int64_t got;
	while ((got = read_batch(o, &cursor, &missed)) > 0) {
		for (int64_t i = 0; i < got; i++) {
			bool shown = o->mode != MODE_TEXT ||
			    (batch[i].type != IPCLOG_RECEIVE &&
				batch[i].type != IPCLOG_NAME);
			if (shown && counted(o, &batch[i]))
				ring[seen++ % n] = batch[i].seq;
		}
	}
	o->follow = follow;
	if (seen > n && ring[seen % n] > o->print_from)
		o->print_from = ring[seen % n];
	free(ring);
	return got < 0 ? (errno_t) got : EOK;
}

static void handle(const options_t *o, const ipclog_record_t *r)
{
	const char *name = decoder_feed(&decoder, r);
	uint64_t lat = latency(r);
	if (!selected(o, r))
		return;
	char method[48];
	switch (o->mode) {
	case MODE_TEXT:
		print_record(r, name, lat);
		break;
	case MODE_EXPORT:
		export_record(r, name);
		exported += r->type != IPCLOG_NAME;
		break;
	case MODE_STATS:
		decoder_format(name, r->method, method, sizeof(method));
		if (stats_feed(&stats, r, method) != EOK)
			sink.rc = ENOMEM;
		break;
	}
}

/** Reports @a missed records overwritten before record @a from was read. */
static void report_loss(const options_t *o, uint64_t from, uint64_t missed)
{
	if (o->mode == MODE_EXPORT)
		sink_printf("L %llu %llu\n", (unsigned long long) from,
		    (unsigned long long) missed);
	else
		sink_printf("(%llu records were overwritten before they could be read)\n",
		    (unsigned long long) missed);
}

/** Reads from *cursor on, handling each record; *@a lost counts the records
 *  overwritten before they were read. False on a read error. */
static bool drain(const options_t *o, uint64_t *cursor, uint64_t *lost)
{
	for (;;) {
		uint64_t missed = 0;
		uint64_t from = *cursor;
		int64_t n = read_batch(o, cursor, &missed);
		if (n < 0) {
			fprintf(stderr, "ipclog: cannot read the log: %s\n",
			    strerror((errno_t) n));
			return false;
		}
		/* Lost records matter only if they would have been printed. */
		if (missed != 0 && from + missed > o->print_from) {
			report_loss(o, from + missed, missed);
			*lost += missed;
		}
		for (int64_t i = 0; i < n; i++)
			handle(o, &batch[i]);
		if (n == 0)
			return true;
	}
}

/** Reads the log's state and settles what to read (o->end, o->print_from);
 *  false (with a message, *@a status the exit status) when nothing is to
 *  be read. */
static bool show_prepare(options_t *o, ipclog_status_t *st, int *status)
{
	errno_t rc = control(IPCLOG_CMD_STATUS, (sysarg_t) st, 0);
	*status = 1;
	if (rc != EOK) {
		fprintf(stderr,
		    "ipclog: %s (the IPC log needs the PERM_IPCLOG permission)\n",
		    strerror(rc));
		return false;
	}
	if (!st->enabled && st->head == 0) {
		printf("ipclog: the IPC log is off; turn it on with 'ipclog --on' or "
		       "boot with the kernel option ipclog\n");
		*status = 0;
		return false;
	}
	o->end = st->head < o->to ? st->head : o->to;
	o->print_from = o->from;
	if (o->last != 0 && (rc = first_of_last(o, st->capacity)) != EOK) {
		fprintf(stderr, "ipclog: cannot read the log: %s\n", strerror(rc));
		return false;
	}
	return sink_open(o);
}

/** Writes what follows the records (the statistics, the export's names and
 *  end line), closes the sink and reports; false on a write error. */
static bool show_finish(const options_t *o, const ipclog_status_t *st, uint64_t lost)
{
	if (o->mode == MODE_STATS)
		stats_print(&stats, sink_line, NULL);
	if (o->mode == MODE_EXPORT) {
		export_task_names();
		sink_printf("ipclog-export-end %llu %llu\n",
		    (unsigned long long) exported, (unsigned long long) lost);
	}
	stats_free(&stats);
	bool ok = sink_close(o);
	if (lost != 0 && o->mode == MODE_EXPORT)
		fprintf(stderr, "ipclog: %llu records were lost (the log holds %llu)\n",
		    (unsigned long long) lost, (unsigned long long) st->capacity);
	if (ok && (o->file != NULL || o->host))
		printf("ipclog: wrote %llu bytes to %s\n",
		    (unsigned long long) sink.bytes, sink_name(o));
	return ok;
}

static int show(options_t *o)
{
	ipclog_status_t st;
	int status;
	if (!show_prepare(o, &st, &status))
		return status;
	decoder_init(&decoder);
	stats_init(&stats);
	/* From the oldest record held: it may name connections. */
	uint64_t cursor = 0, lost = 0;
	if (o->mode == MODE_EXPORT)
		sink_printf("ipclog-export-begin 1\n");
	bool ok = drain(o, &cursor, &lost);
	while (ok && o->follow) {
		sink_flush();
		DISCARD(woken, thread_sleep(100000));
		ok = drain(o, &cursor, &lost);
	}
	return show_finish(o, &st, lost) && ok ? 0 : 1;
}

/** Starts bench's echo server, makes three calls, hangs up and waits for
 *  the server to end, so that its answer to the hang-up is in the log
 *  before it is read. */
static errno_t demo_traffic(void)
{
	task_id_t id;
	errno_t rc = task_spawn_module("bench --server plain", &id);
	if (rc != EOK)
		return rc;
	sysarg_t r[10] = {5000000, 0};
	for (;;) {
		r[0] = 5000000;
		r[1] = 0;
		rc = (errno_t) __syscall_ipc(SYS_IPC_WAIT, r);
		if (rc != EOK)
			return rc;
		if (IPC_EVENT_KIND(r[0]) == IPC_EVENT_REQUEST &&
		    r[1] == IPC_M_CONNECT_TO_ME)
			break;
	}
	cap_handle_t phone = r[6];
	sysarg_t accept[10] = {r[8], EOK};
	__syscall_ipc(SYS_IPC_ANSWER, accept);
	for (sysarg_t i = 1; i <= 3; i++) {
		sysarg_t c[10] = {phone, BENCH_PING, i, i * 10, 0, 0, 0, i, 0};
		__syscall_ipc(SYS_IPC_CALL_WAIT, c);
	}
	sysarg_t h[10] = {phone, IPC_HANGUP_RELEASE};
	__syscall_ipc(SYS_IPC_HANGUP, h);
	task_exit_t e;
	return task_join(id, &e, 5000000);
}

#define USAGE \
	"[-n N] [-t TASK-ID] [--from SEQ] [--to SEQ] [-f] [-a] [--stats | --export] " \
	"[-o FILE | --host] | --on | --off | -c | --status | --demo | " \
	"--run PROGRAM [ARG...]"

/** Parses the number of option @a opt (decimal digits only) into *@a v;
 *  false with a message naming the option and the word otherwise. */
static bool parse_number(const char *opt, const char *text, uint64_t *v)
{
	char *end = NULL;
	if (*text >= '0' && *text <= '9')
		*v = strtoull(text, &end, 10);
	if (end == NULL || *end != '\0') {
		fprintf(stderr, "ipclog: %s %s: %s\n", opt, text,
		    opt[1] == 't' ? "not a task id (a number; ps lists them)"
				  : "not a number");
		return false;
	}
	return true;
}

static int status(void)
{
	ipclog_status_t st;
	errno_t rc = control(IPCLOG_CMD_STATUS, (sysarg_t) &st, 0);
	if (rc != EOK) {
		printf("ipclog: %s\n", strerror(rc));
		return 1;
	}
	uint64_t held = st.head < st.capacity ? st.head : st.capacity;
	printf("ipclog: %s, %llu records held of %llu, head %llu\n",
	    st.enabled ? "on" : "off", (unsigned long long) held,
	    (unsigned long long) st.capacity, (unsigned long long) st.head);
	return 0;
}

/** Applies --on, --off, -c or --status; the exit status. */
static int command(const char *a)
{
	errno_t rc;
	if (strcmp(a, "--status") == 0)
		return status();
	if (strcmp(a, "-c") == 0) {
		rc = control(IPCLOG_CMD_CLEAR, 0, 0);
		printf("ipclog: %s\n", rc == EOK ? "cleared" : strerror(rc));
	} else {
		rc = control(IPCLOG_CMD_ENABLE, a[3] == 'n', 0);
		printf("ipclog: %s\n",
		    rc == EOK ? (a[3] == 'n' ? "on" : "off") : strerror(rc));
	}
	return rc == EOK ? 0 : 1;
}

static uint64_t log_head(void)
{
	ipclog_status_t st;
	return control(IPCLOG_CMD_STATUS, (sysarg_t) &st, 0) == EOK ? st.head : 0;
}

/** Runs @a args[0] (in /app unless it has a '/') with our stdio and waits
 *  for it; says which records it caused and how it ended. */
static int run_traced(char **args)
{
	char path[256];
	snprintf(
	    path, sizeof(path), "%s%s", strchr(args[0], '/') ? "" : "/app/", args[0]);
	task_id_t id;
	task_wait_t wait;
	int retval = 0;
	task_exit_t texit;
	uint64_t from = log_head();
	errno_t rc = task_spawnvf(&id, &wait, path, (const char *const *) args, 0, 1, 2);
	if (rc == EOK)
		rc = task_wait(&wait, &texit, &retval);
	uint64_t to = log_head();
	char how[64];
	if (rc != EOK)
		snprintf(how, sizeof(how), "cannot start: %s", strerror(rc));
	else if (texit.how != TASK_EXIT_NORMAL)
		task_exit_describe(&texit, how, sizeof(how));
	else
		snprintf(how, sizeof(how), "exited with status %d", retval);
	printf("ipclog: records %llu to %llu: %s %s\n", (unsigned long long) from,
	    (unsigned long long) to, args[0], how);
	return rc == EOK ? 0 : 1;
}

/** Where the value of option @a a (-n, -t, --from, --to) goes. */
static uint64_t *option_number(options_t *o, const char *a)
{
	if (strcmp(a, "-n") == 0)
		return &o->last;
	if (strcmp(a, "-t") == 0)
		return &o->task;
	return strcmp(a, "--from") == 0 ? &o->from : &o->to;
}

/** Parses the option at argv[*i] into @a o (advancing *i past a value);
 *  -1 to go on, else the exit status (an error was printed). */
static int parse_option(int argc, char **argv, int *i, options_t *o)
{
	const char *a = argv[*i];
	if (strcmp(a, "--run") == 0) {
		if (*i + 1 == argc) {
			fprintf(stderr, "ipclog: --run needs a program\n");
			return cmd_usage_error(argv[0], USAGE);
		}
		return run_traced(&argv[*i + 1]);
	}
	if (strcmp(a, "--on") == 0 || strcmp(a, "--off") == 0 || strcmp(a, "-c") == 0 ||
	    strcmp(a, "--status") == 0)
		return command(a);
	if (strcmp(a, "--demo") == 0) {
		if (control(IPCLOG_CMD_ENABLE, 1, 0) != EOK || demo_traffic() != EOK) {
			fprintf(stderr, "ipclog: the demo could not run\n");
			return 1;
		}
		o->self = 0; /* the demo's calls are ipclog's own */
	} else if (strcmp(a, "-f") == 0) {
		o->follow = true;
	} else if (strcmp(a, "-a") == 0) {
		o->self = 0;
	} else if (strcmp(a, "--stats") == 0) {
		o->mode = MODE_STATS;
	} else if (strcmp(a, "--export") == 0) {
		o->mode = MODE_EXPORT;
	} else if (strcmp(a, "--host") == 0) {
		o->host = true;
	} else if (strcmp(a, "-n") == 0 || strcmp(a, "-t") == 0 || strcmp(a, "-o") == 0 ||
	    strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
		if (*i + 1 == argc) {
			fprintf(stderr, "ipclog: option %s needs an argument\n", a);
			return cmd_usage_error(argv[0], USAGE);
		}
		const char *v = argv[++*i];
		uint64_t *number = option_number(o, a);
		if (a[1] == 'o')
			o->file = v;
		else if (!parse_number(a, v, number))
			return cmd_usage_error(argv[0], USAGE);
	} else {
		fprintf(stderr, "ipclog: unknown option %s\n", a);
		return cmd_usage_error(argv[0], USAGE);
	}
	return -1;
}

int main(int argc, char **argv)
{
	options_t o = {
	    .last = 0, .task = UINT64_MAX, .self = task_get_id(), .to = UINT64_MAX};
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		int status = parse_option(argc, argv, &i, &o);
		if (status >= 0)
			return status;
	}
	if (o.file != NULL && o.host) {
		fprintf(
		    stderr, "ipclog: -o and --host both name where the output goes\n");
		return cmd_usage_error(argv[0], USAGE);
	}
	if (o.follow && o.mode != MODE_TEXT) {
		fprintf(stderr, "ipclog: -f follows the printed records only\n");
		return cmd_usage_error(argv[0], USAGE);
	}
	return show(&o);
}
