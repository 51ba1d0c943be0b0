/*
 * utest: quotas (abi/proc.h QUOTA_*). A task's limits come from its
 * creator (the task limit halved), can only be lowered, and stop a flood
 * of loader tasks or capabilities with ELIMIT for the flooding task alone:
 * the rest of the system keeps spawning, and once the flooder is gone the
 * kernel's task count and our own capabilities are back where they were.
 */
#include "utest.h"
#include <as.h>
#include <ipc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <testsuite.h>
#include <thread.h>

/* The name a flooding child takes once its flood stopped as it should. */
#define FLOODED_NAME "utest-flooded"

void test_quotas_are_inherited_and_only_lowered(void)
{
	quota_info_t mine, its;
	CHECK_RC(quota_get(0, &mine), EOK);
	CHECK(mine.used[QUOTA_THREADS] >= 1 && mine.used[QUOTA_MEMORY] > 0);
	task_id_t id;
	CHECK_RC(task_spawn_module("utest --sleep", &id), EOK);
	CHECK_RC(quota_get(id, &its), EOK);
	CHECK(its.limit[QUOTA_TASKS] == mine.limit[QUOTA_TASKS] / 2);
	for (unsigned k = QUOTA_THREADS; k < QUOTA_COUNT; k++)
		CHECK(its.limit[k] == mine.limit[k]);
	CHECK_RC(quota_set(id, QUOTA_CAPS, its.limit[QUOTA_CAPS] + 1), EPERM);
	CHECK_RC(quota_set(id, QUOTA_CAPS, 100), EOK);
	CHECK_RC(quota_set(id, QUOTA_CAPS, 101), EPERM); /* never back up */
	CHECK_RC(quota_set(id, QUOTA_COUNT, 1), EINVAL);
	CHECK_RC(quota_set(id, QUOTA_TASKS, 0), EOK); /* zero: allowed, refuses all */
	CHECK_RC(quota_get(id, &its), EOK);
	CHECK(its.limit[QUOTA_CAPS] == 100 && its.limit[QUOTA_TASKS] == 0);
	CHECK_RC(quota_set(999999, QUOTA_CAPS, 1), ENOENT);
	CHECK_RC(quota_get(999999, &its), ENOENT);
	CHECK_RC(quota_get(0, &its), EOK);
	CHECK(its.used[QUOTA_TASKS] == mine.used[QUOTA_TASKS] + 1); /* the sleeper */
	task_exit_t e;
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
	CHECK_RC(quota_get(0, &its), EOK);
	CHECK(its.used[QUOTA_TASKS] == mine.used[QUOTA_TASKS]);
}

/** Waits (up to 10 s) until task @a id is named @a name. */
static bool wait_for_name(task_id_t id, const char *name)
{
	for (int i = 0; i < 1000; i++) {
		task_info_t info;
		if (task_get_info(id, &info) != EOK || info.zombie)
			return false;
		if (strcmp(info.name, name) == 0)
			return true;
		DISCARD(woken, thread_sleep(10 * MS));
	}
	return false;
}

/* What a flood must leave as it was once the flooder is gone. */
typedef struct {
	uint64_t tasks;	   /* in the kernel */
	uint64_t our_caps; /* ours (other servers' come and go meanwhile) */
} flood_baseline_t;

static errno_t baseline_get(flood_baseline_t *b)
{
	kernel_stats_t ks;
	quota_info_t q;
	errno_t rc = kernel_stats_get(&ks);
	if (rc == EOK)
		rc = quota_get(0, &q);
	b->tasks = ks.tasks;
	b->our_caps = q.used[QUOTA_CAPS];
	return rc;
}

/** Waits (up to 10 s) until the kernel's task count and our capabilities
 *  are back to @a before's: every loader the flood made is gone with the
 *  flooder, the refused ones never stayed. */
static bool back_to(const flood_baseline_t *before)
{
	flood_baseline_t now = {0, 0};
	for (int i = 0; i < 1000; i++) {
		if (baseline_get(&now) != EOK)
			return false;
		if (now.tasks == before->tasks && now.our_caps == before->our_caps)
			return true;
		DISCARD(woken, thread_sleep(10 * MS));
	}
	printf("utest:   tasks %llu, our capabilities %llu; before: %llu, %llu\n",
	    (unsigned long long) now.tasks, (unsigned long long) now.our_caps,
	    (unsigned long long) before->tasks, (unsigned long long) before->our_caps);
	return false;
}

/** Runs `utest --flood KIND N`, checks that the rest of the system spawns
 *  while the flooder holds all its quota allows, kills it and checks the
 *  leak baselines. */
static void flood(const char *kind, unsigned n)
{
	flood_baseline_t before;
	CHECK_RC(baseline_get(&before), EOK);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "utest --flood %s %u", kind, n);
	task_id_t id, other;
	CHECK_RC(task_spawn_module(cmd, &id), EOK);
	CHECK(wait_for_name(id, FLOODED_NAME));
	task_exit_t e;
	CHECK_RC(task_spawn_module("utest --exit 5", &other), EOK); /* still spawning */
	CHECK_RC(task_join(other, &e, 10000 * MS), EOK);
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 5);
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
	CHECK(e.how == TASK_EXIT_KILLED); /* not ended early by a wrong result */
	CHECK(back_to(&before));
}

void test_loader_flood_stops_at_the_task_quota(void)
{
	flood("tasks", 12);
	flood("tasks", 0); /* a quota of zero: the first spawn is refused */
}

void test_capability_flood_stops_at_its_quota(void)
{
	flood("caps", 9);
}

/** Child: spawns program-loader tasks (each one task and one phone) until
 *  refused, after lowering its own limit of @a kind to what it uses now
 *  plus @a n. Right (ELIMIT after exactly @a n): renames itself and waits
 *  to be killed; wrong: ends with 1. */
static int flood_loaders(unsigned kind, uint64_t n)
{
	quota_info_t q;
	if (quota_get(0, &q) != EOK || quota_set(0, kind, q.used[kind] + n) != EOK)
		return 1;
	uint64_t made = 0;
	errno_t rc;
	do {
		cap_handle_t phone;
		uint64_t id;
		rc = (errno_t) syscall2(
		    SYS_TASK_SPAWN_LOADER, (sysarg_t) &phone, (sysarg_t) &id);
		made += rc == EOK;
	} while (rc == EOK && made <= n);
	if (rc != ELIMIT || made != n) {
		printf("utest: flood of %s stopped after %llu with %s\n",
		    kind == QUOTA_TASKS ? "tasks" : "caps", (unsigned long long) made,
		    str_error(rc));
		return 1;
	}
	if (task_set_name(FLOODED_NAME) != EOK)
		return 1;
	DISCARD(woken, thread_sleep(60000 * MS));
	return 1;
}

int child_flood(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	unsigned kind = strcmp(argv[2], "caps") == 0 ? QUOTA_CAPS : QUOTA_TASKS;
	return flood_loaders(kind, strtoull(argv[3], NULL, 10));
}

static void sleeper(void *arg)
{
	DISCARD(woken, thread_sleep(60000 * MS));
}

/** The thread and memory limits of this task, lowered to what it uses plus
 *  a little and restored by nothing: run in a child. */
/** Counts a failed check of quota_child_checks() and says which. */
static int quota_check(bool ok, int line)
{
	if (!ok)
		printf("utest:   --quota-checks: the check of line %d failed\n", line);
	return !ok;
}

#define QUOTA_CHECK(cond) quota_check((cond), __LINE__)
#define RW		  (AS_AREA_READ | AS_AREA_WRITE)
#define PAGE		  4096ull

/** A new read-write area of @a pages (reserved unless @a flags add
 *  AS_AREA_NORESERVE) at *@a base. */
static errno_t area(uintptr_t *base, uint64_t pages, unsigned flags)
{
	*base = AS_AREA_ANY;
	return as_area_create(base, pages * PAGE, RW | flags);
}

/** The thread and memory limits of this task (a child: they stay
 *  lowered), each lowered to what it uses plus a little; the failures. */
static int quota_child_checks(void)
{
	int bad = 0;
	quota_info_t q;
	if (quota_get(0, &q) != EOK)
		return 100;
	bad += QUOTA_CHECK(quota_set(0, QUOTA_THREADS, q.used[QUOTA_THREADS] + 1) == EOK);
	bad += QUOTA_CHECK(thread_create(sleeper, NULL, "one", NULL) == EOK);
	bad += QUOTA_CHECK(thread_create(sleeper, NULL, "two", NULL) == ELIMIT);
	if (quota_get(0, &q) != EOK) /* the thread's stack counts too */
		return 100;
	uintptr_t a, b, c;
	bad += QUOTA_CHECK(quota_set(0, QUOTA_MEMORY, q.used[QUOTA_MEMORY] + 4) == EOK);
	bad += QUOTA_CHECK(area(&a, 3, 0) == EOK);
	bad += QUOTA_CHECK(area(&b, 2, 0) == ELIMIT);
	bad += QUOTA_CHECK(as_area_resize(a, 5 * PAGE) == ELIMIT);
	bad += QUOTA_CHECK(as_area_resize(a, 4 * PAGE) == EOK);
	bad += QUOTA_CHECK(area(&b, 1, 0) == ELIMIT);
	/* Reserving nothing, a stack-like area is not counted. */
	bad += QUOTA_CHECK(area(&c, 64, AS_AREA_NORESERVE) == EOK);
	bad += QUOTA_CHECK(as_area_destroy(a) == EOK);
	bad += QUOTA_CHECK(area(&b, 4, 0) == EOK);
	bad += QUOTA_CHECK(quota_set(0, QUOTA_MEMORY, 0) == EOK);
	bad += QUOTA_CHECK(area(&a, 1, 0) == ELIMIT);
	bad += QUOTA_CHECK(as_area_resize(b, PAGE) == EOK); /* shrinking is always fine */
	return bad;
}

void test_thread_and_memory_quotas(void)
{
	task_id_t id;
	CHECK_RC(task_spawn_module("utest --quota-checks", &id), EOK);
	task_exit_t e;
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
	if (e.how != TASK_EXIT_NORMAL || e.status != 0)
		printf(
		    "utest:   --quota-checks ended how=%d status=%d\n", e.how, e.status);
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 0);
}

int child_quota_checks(void)
{
	return quota_child_checks();
}

#define SUBSCRIBED_NAME "utest-subscribed"

/** Starts `utest --subscribe` and waits until it holds its subscription. */
static bool start_subscriber(task_id_t *id)
{
	return task_spawn_module("utest --subscribe", id) == EOK &&
	    wait_for_name(*id, SUBSCRIBED_NAME);
}

static void kill_and_join(task_id_t id)
{
	task_exit_t e;
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
}

void test_events_have_several_subscribers(void)
{
	task_id_t ids[EVENT_SUBSCRIBERS_MAX];
	unsigned held = 0;
	while (held < EVENT_SUBSCRIBERS_MAX && start_subscriber(&ids[held]))
		held++;
	CHECK(held == EVENT_SUBSCRIBERS_MAX); /* one task no longer takes it all */
	task_id_t extra;
	CHECK_RC(task_spawn_module("utest --subscribe", &extra), EOK);
	task_exit_t e;
	CHECK_RC(task_join(extra, &e, 10000 * MS), EOK);
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 3); /* ELIMIT when all are taken */
	for (unsigned i = 0; i < held; i++)
		kill_and_join(ids[i]);
	CHECK(start_subscriber(&extra)); /* the slots come back with their tasks */
	kill_and_join(extra);
}

int child_subscribe(void)
{
	errno_t rc = ipc_event_subscribe(EVENT_TASK_EXIT, 1024);
	if (rc == ELIMIT)
		return 3;
	if (rc != EOK || ipc_event_subscribe(EVENT_TASK_EXIT, 1024) != EEXIST)
		return 4;
	if (task_set_name(SUBSCRIBED_NAME) != EOK)
		return 5;
	DISCARD(woken, thread_sleep(60000 * MS));
	return 6;
}
