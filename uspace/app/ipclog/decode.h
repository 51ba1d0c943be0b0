/*
 * Naming the methods of IPC log records by the interface of the connection
 * they travel on. The decoder learns connections from the records fed to
 * it, in log order:
 *
 *   - a CONNECT record (the answerer S accepted a CONNECT_ME_TO from the
 *     caller C) gives C a connection to S for the interface in the
 *     CONNECT_ME_TO's first argument, taken from the call's CALL record;
 *   - an EOK answer to a CONNECT_TO_ME (the offerer O, the answerer A)
 *     gives A a connection to O for the interface in the call's first
 *     argument;
 *   - a call on phone NS_PHONE with no connection known reaches ns;
 *   - a call to a task that started as the program loader (its name record
 *     said "loader"), with no connection known, is a loader call.
 *
 * A user method on a call or forward from task T to task R is named by the
 * most recently used connection of T to R whose interface has a method of
 * that number (the headers keep the numbers of interfaces that share a peer
 * apart); a receipt and an answer get the name their call had. Kernel
 * methods are always named, and so is the async framework's close
 * (DECODE_ASYNC_CLOSE, on any connection); everything else stays a number.
 * Connections made before the first record fed are unknown.
 */
#ifndef IPCLOG_DECODE_H
#define IPCLOG_DECODE_H

#include <abi/ipclog.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DECODE_CALLS   512 /* calls remembered (direct-mapped by call id) */
#define DECODE_CONNS   128 /* connections remembered; the least recently used goes */
#define DECODE_LOADERS 16  /* loader tasks remembered (the newest) */
#define DECODE_NAMES   128 /* task names remembered (the newest) */
/* ASYNC_M_CLOSE, private to uspace/lib/async (its src/private/async.h). */
#define DECODE_ASYNC_CLOSE UINT64_MAX

typedef struct {
	uint64_t id;	  /* 0: free */
	uint64_t arg0;	  /* the call's first argument (an interface) */
	uint64_t method;  /* as last sent or forwarded */
	const char *name; /* its method's name, NULL if unknown */
} decode_call_t;

typedef struct {
	uint64_t owner; /* the task holding the phone */
	uint64_t peer;	/* the task it reaches */
	uint64_t iface;
	uint64_t used; /* decoder_t.clock when last made or named a call */
} decode_conn_t;

typedef struct {
	decode_call_t calls[DECODE_CALLS];
	decode_conn_t conns[DECODE_CONNS];
	size_t conn_count;		  /* entries in use, at most DECODE_CONNS */
	uint64_t loaders[DECODE_LOADERS]; /* tasks started as the loader */
	size_t loader_next;
	struct {
		uint64_t task; /* 0: free */
		char name[IPCLOG_NAME_MAX];
	} names[DECODE_NAMES]; /* the latest name record of each task */
	size_t name_next;
	uint64_t clock; /* counts connections made and calls named */
} decoder_t;

void decoder_init(decoder_t *d);

/** Learns from @a r and returns its method's name, or NULL when unknown. */
const char *decoder_feed(decoder_t *d, const ipclog_record_t *r);

/** The name the records last gave task @a task, NULL if none was seen. */
const char *decoder_task_name(const decoder_t *d, uint64_t task);

/** Writes @a r's method to @a buf: its name from decoder_feed's answer
 *  @a name, else "user(N)" or "system(N)". */
void decoder_format(const char *name, uint64_t method, char *buf, size_t size);

#endif
