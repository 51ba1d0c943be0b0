/*
 * What init's files share: one configuration line's program (entry_t) and
 * how it is started. init.c reads the configuration and keeps restartable
 * programs running; demand.c starts the programs of `demand=` lines when a
 * client first connects to their service.
 */
#ifndef INIT_INIT_H
#define INIT_INIT_H

#include <common/adt/list.h>
#include <ns.h>
#include <task.h>

#define ARGS_MAX 32

typedef enum {
	WAIT_READY, /* until it reports ready */
	WAIT_EXIT,  /* until it ends */
	WAIT_NONE,
	WAIT_DEMAND, /* started when a client wants its service, till ready */
} wait_kind_t;

typedef struct {
	wait_kind_t wait;
	bool restart;
	service_id_t service;		/* WAIT_DEMAND: the service it serves */
	unsigned perms;			/* PERM_* granted to it */
	const char *argv[ARGS_MAX + 1]; /* argv[0] is the program's path */
	task_id_t id;
	task_wait_t exit_wait;
	uint64_t started_ns;
	bool ready;	     /* reported ready at its last start */
	bool kept;	     /* WAIT_DEMAND: a keeper restarts it (demand.c) */
	unsigned quick_ends; /* ended soon after starting, in a row */
	bool up;	     /* started (and ready); keepers_lock */
	bool given_up;	     /* not restarted any more; keepers_lock */
	link_t link;	     /* in `kept` (in the configuration's order) or
				the on-demand list (demand.c) */
} entry_t;

/** Starts @a e and waits for it as its line says (for WAIT_READY and
 *  WAIT_DEMAND: until it reports ready, e->ready, or ends); logs. */
errno_t start(entry_t *e);
/** A restartable program's keeper fibril (@a arg its entry_t): starts it
 *  again each time it ends, after the programs above it are back. */
errno_t keep_running(void *arg);
/** Records whether @a e is up (@a up) or given up on (@a given_up). */
void keeper_set(entry_t *e, bool up, bool given_up);
/** Waits until @a e's keeper has it running and ready; false if the
 *  keeper gave it up. */
bool keeper_wait_up(entry_t *e);
/** Logs that @a e ended as @a exit says, then @a then. */
void log_end(entry_t *e, const task_exit_t *exit, const char *then);

/** Takes @a e, a `demand=` line, over: its service is started on demand
 *  from now on (NS_DEMAND_SET). On failure (logged) @a e is the caller's. */
errno_t demand_add(entry_t *e);
/** Whether any service is started on demand (init must keep running). */
bool demand_any(void);

#endif
