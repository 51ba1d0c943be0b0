/*
 * Quotas (abi/proc.h, QUOTA_*): what one task may hold at once. The limits
 * live in task->quota[] (under task->lock); the use is counted where the
 * thing lives: threads in task->thread_count, capabilities in
 * task->caps.charged (cap/cap.h), memory in task->as->committed (mm/as.h),
 * unanswered calls in task->calls_out (atomic), descendants in
 * task->tasks_used (under quota_lock).
 *
 * QUOTA_TASKS is charged to the creator and every task above it, through
 * task->quota_parent: each task holds a reference on its creator until it
 * is freed, so the chain stays walkable while any descendant lives and a
 * line of descendants can never take more than any ancestor's limit, also
 * after the ancestor ended.
 */
#ifndef KERN_PROC_QUOTA_H
#define KERN_PROC_QUOTA_H

#include <abi/proc.h>
#include <types.h>

struct task;

/** Gives @a t its limits: the defaults for a task the kernel starts on its
 *  own (@a creator NULL or the kernel task), else @a creator's with the task
 *  limit halved, charging @a t to @a creator's line (ELIMIT when one of
 *  them is at its limit). Before @a t is published; @a t->as is made. */
errno_t quota_task_init(struct task *t, struct task *creator);
/** @a t has ended (or is discarded): its line no longer counts it. Once. */
void quota_task_end(struct task *t);
/** @a t is being freed: drops its reference on its creator. */
void quota_task_free(struct task *t);
/** Lowers @a t's limit of @a kind to @a limit: EINVAL for no such kind,
 *  EPERM for a raise. */
errno_t quota_set(struct task *t, unsigned kind, uint64_t limit);
/** @a t's limits and use. */
void quota_get(struct task *t, quota_info_t *info);

/** Counts one more unanswered call of @a t; false at its limit. */
bool quota_calls_charge(struct task *t);
/** One call of @a t counted by quota_calls_charge() was answered. */
void quota_calls_uncharge(struct task *t);

#endif
