/*
 * ipclog: read and control the kernel IPC log (docs/ipc.md, docs/ipclog.md).
 *
 *   ipclog [-n N] [-t TASK] [-f]      print records (only those of TASK, a
 *                                     task id; of them the last N; keep
 *                                     following new ones)
 *   ipclog --json [-n N] [-t TASK]    Chrome trace-event JSON between marker
 *                                     lines (tools/ipclog2perfetto.py)
 *   ipclog --on | --off | -c          enable, disable, clear
 *   ipclog --demo                     enable, make a few calls to a server,
 *                                     print them (used by make test)
 *
 * Each line: time, event, sender -> receiver with task names, the method by
 * name, arguments, the return value by name and, for answers, the latency
 * from the call. Methods are named by the interface of their connection,
 * learnt from the records (decode.h), so every record still in the log is
 * read, also those -n leaves out. Needs PERM_IPCLOG.
 */
#include "decode.h"
#include <abi/bench.h>
#include <abi/ipc.h>
#include <abi/ipclog.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <thread.h>

#define BATCH	      32
#define CALLS_TRACKED 256

static ipclog_record_t batch[BATCH];

/* Call times by call id (a small direct-mapped table) for answer latency. */
static struct {
	uint64_t id;
	uint64_t ns;
} call_times[CALLS_TRACKED];

/* Every record read goes through it, in log order. */
static decoder_t decoder;

static void task_name(uint64_t id, char *buf, size_t size)
{
	task_info_t info;
	if (id == 0)
		snprintf(buf, size, "0:kernel");
	else if ((errno_t) syscall2(SYS_TASK_INFO, id, (sysarg_t) &info) == EOK)
		snprintf(buf, size, "%llu:%s", (unsigned long long) id, info.name);
	else
		snprintf(buf, size, "%llu:(gone)", (unsigned long long) id);
}

static errno_t control(sysarg_t cmd, sysarg_t arg, sysarg_t arg2)
{
	return (errno_t) syscall3(SYS_IPCLOG_CONTROL, cmd, arg, arg2);
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

static const char *type_names[IPCLOG_TYPE_COUNT] = {
    "?", "call", "forward", "answer", "hangup", "notif", "connect", "refused"};

static void print_record(const ipclog_record_t *r, const char *name, uint64_t lat)
{
	char from[48], to[48], method[48];
	task_name(r->sender, from, sizeof(from));
	task_name(r->receiver, to, sizeof(to));
	decoder_format(name, r->method, method, sizeof(method));
	printf("%6llu.%06llu %-7s %-14s -> %-14s %-22s",
	    (unsigned long long) r->time_ns / 1000000000,
	    (unsigned long long) (r->time_ns / 1000) % 1000000,
	    r->type < IPCLOG_TYPE_COUNT ? type_names[r->type] : "?", from, to, method);
	if (r->type == IPCLOG_ANSWER)
		printf(" = %s (%llu ns)", str_error((errno_t) r->retval),
		    (unsigned long long) lat);
	else if (r->type != IPCLOG_HANGUP)
		printf(" (%llu, %llu, %llu, %llu, %llu)", (unsigned long long) r->args[0],
		    (unsigned long long) r->args[1], (unsigned long long) r->args[2],
		    (unsigned long long) r->args[3], (unsigned long long) r->args[4]);
	printf(" [call %llu%s]\n", (unsigned long long) r->call_id,
	    (r->flags & IPCLOG_F_KERNEL) ? ", by the kernel" : "");
}

/** One trace event per record; calls and answers are joined by flow arrows. */
static void print_json_record(const ipclog_record_t *r, const char *name, bool *first)
{
	char method[48];
	decoder_format(name, r->method, method, sizeof(method));
	uint64_t track = r->type == IPCLOG_ANSWER ? r->receiver : r->sender;
	uint64_t us = r->time_ns / 1000;
	const char *type = r->type < IPCLOG_TYPE_COUNT ? type_names[r->type] : "?";
	printf("%s{\"name\":\"%s %s\",\"ph\":\"i\",\"s\":\"t\",\"ts\":%llu,\"pid\":%llu,"
	       "\"tid\":%llu,\"args\":{\"call\":%llu,\"to\":%llu,\"rc\":%lld}}",
	    *first ? "" : ",\n", type, method, (unsigned long long) us,
	    (unsigned long long) track, (unsigned long long) track,
	    (unsigned long long) r->call_id, (unsigned long long) r->receiver,
	    (long long) r->retval);
	*first = false;
	if (r->type == IPCLOG_CALL || r->type == IPCLOG_ANSWER ||
	    r->type == IPCLOG_FORWARD)
		printf(",\n{\"name\":\"call "
		       "%llu\",\"cat\":\"ipc\",\"ph\":\"%s\",\"id\":%llu,"
		       "\"ts\":%llu,\"pid\":%llu,\"tid\":%llu%s}",
		    (unsigned long long) r->call_id, r->type == IPCLOG_ANSWER ? "f" : "s",
		    (unsigned long long) r->call_id, (unsigned long long) us,
		    (unsigned long long) track, (unsigned long long) track,
		    r->type == IPCLOG_ANSWER ? ",\"bp\":\"e\"" : "");
}

static void print_json_names(void)
{
	uint64_t ids[64];
	int64_t n = (int64_t) syscall2(SYS_TASK_LIST, (sysarg_t) ids, 64);
	for (int64_t i = 0; i < n && i < 64; i++) {
		char name[48];
		task_name(ids[i], name, sizeof(name));
		printf(",\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%llu,"
		       "\"args\":{\"name\":\"%s\"}}",
		    (unsigned long long) ids[i], name);
	}
}

typedef struct {
	uint64_t last;	     /* how many of the newest records (0: all) */
	uint64_t task;	     /* only this task's (UINT64_MAX: all) */
	uint64_t print_from; /* the first record number printed (from last) */
	bool follow;
	bool json;
} options_t;

/** Whether @a r is of the task -t names (of any without -t). */
static bool of_task(const options_t *o, const ipclog_record_t *r)
{
	return o->task == UINT64_MAX || r->sender == o->task || r->receiver == o->task;
}

static bool selected(const options_t *o, const ipclog_record_t *r)
{
	return r->seq >= o->print_from && of_task(o, r);
}

/** Sets o->print_from to the number of the o->last-th newest record of the
 *  task (the task filter comes before the count): a pass over the log that
 *  keeps the numbers of the newest o->last such records in a ring of at
 *  most @a capacity (the log's) entries. */
static errno_t first_of_last(options_t *o, uint64_t capacity)
{
	size_t n = (size_t) (o->last < capacity ? o->last : capacity);
	if (n == 0)
		return EOK;
	uint64_t *ring = malloc(n * sizeof(*ring));
	if (ring == NULL)
		return ENOMEM;
	uint64_t cursor = 0, seen = 0;
	int64_t got;
	do {
		uint64_t missed = 0;
		got = (int64_t) syscall4(SYS_IPCLOG_READ, (sysarg_t) &cursor,
		    (sysarg_t) batch, BATCH, (sysarg_t) &missed);
		for (int64_t i = 0; i < got; i++) {
			if (of_task(o, &batch[i]))
				ring[seen++ % n] = batch[i].seq;
		}
	} while (got == BATCH);
	o->print_from = seen > n ? ring[seen % n] : 0;
	free(ring);
	return got < 0 ? (errno_t) got : EOK;
}

/** Reads from *cursor on, printing each selected record; returns false on error. */
static bool drain(const options_t *o, uint64_t *cursor, bool *first)
{
	for (;;) {
		uint64_t missed = 0;
		uint64_t from = *cursor;
		int64_t n = (int64_t) syscall4(SYS_IPCLOG_READ, (sysarg_t) cursor,
		    (sysarg_t) batch, BATCH, (sysarg_t) &missed);
		if (n < 0) {
			fprintf(stderr, "ipclog: cannot read the log: %s\n",
			    strerror((errno_t) n));
			return false;
		}
		/* Lost records matter only if they would have been printed. */
		if (missed != 0 && from + missed > o->print_from && !o->json)
			printf(
			    "(%llu records were overwritten before they could be read)\n",
			    (unsigned long long) missed);
		for (int64_t i = 0; i < n; i++) {
			const char *name = decoder_feed(&decoder, &batch[i]);
			uint64_t lat = latency(&batch[i]);
			if (!selected(o, &batch[i]))
				continue;
			if (o->json)
				print_json_record(&batch[i], name, first);
			else
				print_record(&batch[i], name, lat);
		}
		if (n < BATCH)
			return true;
	}
}

static int show(options_t *o)
{
	ipclog_status_t st;
	errno_t rc = control(IPCLOG_CMD_STATUS, (sysarg_t) &st, 0);
	if (rc != EOK) {
		fprintf(stderr,
		    "ipclog: %s (the IPC log needs the PERM_IPCLOG permission)\n",
		    strerror(rc));
		return 1;
	}
	if (!st.enabled && st.head == 0) {
		printf("ipclog: the IPC log is off; turn it on with 'ipclog --on' or "
		       "boot with "
		       "the kernel option ipclog\n");
		return 0;
	}
	uint64_t cursor = 0; /* the oldest record held: it may name connections */
	o->print_from = 0;
	if (o->last != 0 && (rc = first_of_last(o, st.capacity)) != EOK) {
		fprintf(stderr, "ipclog: cannot read the log: %s\n", strerror(rc));
		return 1;
	}
	decoder_init(&decoder);
	bool first = true;
	if (o->json)
		printf("ipclog-json-begin\n{\"traceEvents\":[\n");
	bool ok = drain(o, &cursor, &first);
	while (ok && o->follow) {
		DISCARD(woken, thread_sleep(100000));
		ok = drain(o, &cursor, &first);
	}
	if (o->json) {
		print_json_names();
		printf("\n],\"displayTimeUnit\":\"ns\"}\nipclog-json-end\n");
	}
	return ok ? 0 : 1;
}

/** Starts bench's echo server, makes three calls and hangs up; the server
 *  is left to exit by itself (@a server). */
static errno_t demo_traffic(task_id_t *server)
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
		if (r[0] == IPC_EVENT_REQUEST && r[1] == IPC_M_CONNECT_TO_ME)
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
	*server = id;
	return EOK;
}

#define USAGE "[-n N] [-t TASK-ID] [-f] [--json] | --on | --off | -c | --demo"

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

int main(int argc, char **argv)
{
	options_t o = {.last = 0, .task = UINT64_MAX};
	task_id_t demo_server = 0;
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--on") == 0 || strcmp(a, "--off") == 0) {
			errno_t rc = control(IPCLOG_CMD_ENABLE, a[3] == 'n', 0);
			printf("ipclog: %s\n",
			    rc == EOK ? (a[3] == 'n' ? "on" : "off") : strerror(rc));
			return rc == EOK ? 0 : 1;
		} else if (strcmp(a, "-c") == 0) {
			errno_t rc = control(IPCLOG_CMD_CLEAR, 0, 0);
			printf("ipclog: %s\n", rc == EOK ? "cleared" : strerror(rc));
			return rc == EOK ? 0 : 1;
		} else if (strcmp(a, "--demo") == 0) {
			if (control(IPCLOG_CMD_ENABLE, 1, 0) != EOK ||
			    demo_traffic(&demo_server) != EOK) {
				fprintf(stderr, "ipclog: the demo could not run\n");
				return 1;
			}
		} else if (strcmp(a, "-f") == 0) {
			o.follow = true;
		} else if (strcmp(a, "--json") == 0) {
			o.json = true;
		} else if (strcmp(a, "-n") == 0 || strcmp(a, "-t") == 0) {
			if (i + 1 == argc) {
				fprintf(
				    stderr, "ipclog: option %s needs an argument\n", a);
				return cmd_usage_error(argv[0], USAGE);
			}
			if (!parse_number(a, argv[++i], a[1] == 'n' ? &o.last : &o.task))
				return CMD_EXIT_USAGE;
		} else {
			fprintf(stderr, "ipclog: unknown option %s\n", a);
			return cmd_usage_error(argv[0], USAGE);
		}
	}
	int rc = show(&o);
	if (demo_server != 0) {
		task_exit_t e;
		DISCARD(cleanup, task_join(demo_server, &e, 5000000));
	}
	return rc;
}
