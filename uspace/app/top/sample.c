/*
 * top's samples (sample.h): the task list, each task's record and each
 * task's threads, in buffers that grow when the kernel reports more than
 * they hold (tasks and threads start while the sample is taken).
 */
#include "sample.h"
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <time.h>

#define ROOM_SLACK 16

/** The threads of task @a id in a malloc'ed array of *@a count. */
static errno_t task_threads(uint64_t id, thread_info_t **out, size_t *count)
{
	size_t room = 8;
	for (;;) {
		thread_info_t *buf = malloc(room * sizeof(*buf));
		if (buf == NULL)
			return ENOMEM;
		size_t n;
		errno_t rc = thread_info_list(id, buf, room, &n);
		if (rc == EOK && n <= room) {
			*out = buf;
			*count = n;
			return EOK;
		}
		free(buf);
		if (rc != EOK)
			return rc;
		room = n + ROOM_SLACK < THREAD_INFO_MAX ? n + ROOM_SLACK
							: THREAD_INFO_MAX;
	}
}

static void task_row(const task_info_t *info, top_row_t *row)
{
	memset(row, 0, sizeof(*row));
	row->id = info->id;
	row->task_id = info->id;
	memcpy(row->name, info->name, sizeof(row->name));
	row->cycles = info->cycles;
	row->ticks = info->ticks;
	row->user_ticks = info->user_ticks;
	row->threads = info->threads;
}

static void thread_row(const thread_info_t *info, top_row_t *row)
{
	memset(row, 0, sizeof(*row));
	row->id = info->id;
	row->task_id = info->task_id;
	memcpy(row->name, info->name, sizeof(row->name));
	row->cycles = info->cycles;
	row->ticks = info->ticks;
	row->user_ticks = info->user_ticks;
	row->state = info->state;
	row->cpu = info->cpu;
	row->flags = info->flags;
}

/** Appends the rows of @a n threads to @a s (room made by the caller). */
static void add_threads(top_sample_t *s, const thread_info_t *th, size_t n)
{
	for (size_t i = 0; i < n; i++)
		thread_row(&th[i], &s->threads[s->thread_count++]);
}

/** Makes room in @a s for @a more threads; ENOMEM. */
static errno_t thread_room(top_sample_t *s, size_t *room, size_t more)
{
	if (s->thread_count + more <= *room)
		return EOK;
	size_t want = (s->thread_count + more) * 2;
	top_row_t *bigger = realloc(s->threads, want * sizeof(*bigger));
	if (bigger == NULL)
		return ENOMEM;
	s->threads = bigger;
	*room = want;
	return EOK;
}

/** Adds task @a id and its threads to @a s; a task gone meanwhile is
 *  skipped (EOK). */
static errno_t add_task(top_sample_t *s, uint64_t id, size_t *thread_room_size)
{
	task_info_t info;
	errno_t rc = task_get_info(id, &info);
	if (rc == ENOENT || (rc == EOK && info.zombie))
		return EOK;
	if (rc != EOK)
		return rc;
	thread_info_t *th;
	size_t n;
	rc = task_threads(id, &th, &n);
	if (rc == ENOENT)
		return EOK;
	if (rc != EOK)
		return rc;
	rc = thread_room(s, thread_room_size, n);
	if (rc == EOK) {
		task_row(&info, &s->tasks[s->task_count++]);
		add_threads(s, th, n);
	}
	free(th);
	return rc;
}

errno_t top_sample_take(top_sample_t *s)
{
	memset(s, 0, sizeof(*s));
	uint64_t *ids;
	size_t count;
	errno_t rc = task_list_all(&ids, &count);
	if (rc != EOK)
		return rc;
	s->ns = clock_ns();
	s->tasks = malloc((count + 1) * sizeof(*s->tasks));
	size_t room = 0;
	rc = s->tasks != NULL ? EOK : ENOMEM;
	for (size_t i = 0; i < count && rc == EOK; i++)
		rc = add_task(s, ids[i], &room);
	free(ids);
	if (rc != EOK)
		top_sample_free(s);
	return rc;
}

void top_sample_free(top_sample_t *s)
{
	free(s->tasks);
	free(s->threads);
	memset(s, 0, sizeof(*s));
}

/** The row of @a id among @a rows, or NULL. */
static const top_row_t *row_find(const top_row_t *rows, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++) {
		if (rows[i].id == id)
			return &rows[i];
	}
	return NULL;
}

/** Sets the deltas of @a rows against @a old (ids are never reused). */
static void rows_deltas(top_row_t *rows, size_t n, const top_row_t *old, size_t old_n)
{
	for (size_t i = 0; i < n; i++) {
		const top_row_t *o = row_find(old, old_n, rows[i].id);
		uint64_t before = o != NULL && o->cycles <= rows[i].cycles ? o->cycles
									   : 0;
		rows[i].delta = rows[i].cycles - before;
	}
}

void top_sample_deltas(top_sample_t *now, const top_sample_t *before)
{
	rows_deltas(now->tasks, now->task_count, before->tasks, before->task_count);
	rows_deltas(
	    now->threads, now->thread_count, before->threads, before->thread_count);
}

static int row_compare(const void *a, const void *b)
{
	const top_row_t *x = a, *y = b;
	if (x->delta != y->delta)
		return x->delta > y->delta ? -1 : 1;
	if (x->cycles != y->cycles)
		return x->cycles > y->cycles ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

void top_rows_sort(top_row_t *rows, size_t count)
{
	qsort(rows, count, sizeof(*rows), row_compare);
}
