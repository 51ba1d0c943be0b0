/*
 * Programs started on demand (init.conf's `demand=SERVICE` lines): init
 * tells the naming service it starts SERVICE (service_demand_set); when a client
 * first connects to it, ns holds the connect and offers the service to
 * init's starter fibril (service_demand_wait), which starts the program, waits
 * until it reports ready or ends, and reports the outcome (service_demand_done):
 * the program registered its service meanwhile and took the held connects,
 * or ns answers them the start's error. Once up, a keeper restarts it
 * whenever it ends (init.c); a start that failed is tried again at the
 * next connect. One start at a time, in the order wanted.
 *
 * The entries on `demands` are owned here from demand_add on, for good;
 * only the starter fibril touches them after the configuration is read.
 */
#include <fibril.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "init.h"

static list_t demands = LIST_INITIALIZER(demands);
static bool starter_running;

static entry_t *demand_find(service_id_t service)
{
	list_foreach (demands, link, entry_t, e) {
		if (e->service == service)
			return e;
	}
	return NULL;
}

/** Starts @a e's program for a client: EOK once it is ready, else why
 *  not. Its first start that comes up gets a keeper, which restarts it
 *  whenever it ends, as for a `ready restart` line (its mounts are taken
 *  over); a connect that comes while the keeper restarts it waits for the
 *  new one. Only the first start is made here, so there is never a second
 *  instance. */
static errno_t demand_start(entry_t *e)
{
	if (e->kept)
		return keeper_wait_up(e) ? EOK : ENOENT;
	errno_t rc = start(e);
	if (rc != EOK)
		return rc;
	if (!e->ready) {
		task_exit_t exit; /* it ended: collected, started at the next connect */
		DISCARD(best_effort, task_wait(&e->exit_wait, &exit, NULL));
		return ENOENT;
	}
	fid_t f = fibril_create(keep_running, e);
	if (f == 0) {
		printf("init: cannot watch %s: out of memory\n", e->argv[0]);
		return EOK; /* it runs; the next connect after its end restarts it */
	}
	e->kept = true;
	keeper_set(e, true, false);
	fibril_add_ready(f);
	return EOK;
}

/** The starter: starts each service a client wants, for as long as init
 *  runs. */
static errno_t demand_starter(void *arg)
{
	(void) arg;
	for (;;) {
		service_id_t service;
		errno_t rc = service_demand_wait(&service);
		if (rc != EOK) {
			printf("init: no more starts on demand: %s\n", strerror(rc));
			return rc;
		}
		entry_t *e = demand_find(service);
		rc = e != NULL ? demand_start(e) : ENOENT;
		if (rc != EOK && e != NULL)
			printf("init: %s not started on demand: %s\n", e->argv[0],
			    strerror(rc));
		rc = service_demand_done(service, rc);
		if (rc != EOK)
			printf("init: the naming service refused a start's end: %s\n",
			    strerror(rc));
	}
}

errno_t demand_add(entry_t *e)
{
	errno_t rc = demand_find(e->service) != NULL ? EEXIST
						     : service_demand_set(e->service);
	if (rc == EOK && !starter_running) {
		fid_t f = fibril_create(demand_starter, NULL);
		if (f == 0)
			rc = ENOMEM;
		else
			fibril_add_ready(f);
		starter_running = f != 0;
	}
	if (rc != EOK) {
		printf("init: %s not started on demand: %s\n", e->argv[0], strerror(rc));
		return rc;
	}
	list_append(&e->link, &demands);
	printf("init: %s starts on the first connect to its service\n", e->argv[0]);
	return EOK;
}

bool demand_any(void)
{
	return !list_empty(&demands);
}
