/*
 * Tasks: identity, ending, and starting boot modules as child tasks.
 * A task may wait for and kill its own children; PERM_TASK (abi/proc.h)
 * extends both to every task and is needed to spawn at all.
 */
#ifndef LIBC_TASK_H
#define LIBC_TASK_H

#include <abi/errno.h>
#include <abi/proc.h>
#include <stdint.h>

typedef uint64_t task_id_t;

task_id_t task_get_id(void);
/** Renames the calling task (at most TASK_NAME_LEN_MAX bytes). */
errno_t task_set_name(const char *name);
/** Ends the whole task, every thread of it, with @a status; no stdio
 *  flushing (exit() does that). */
_Noreturn void task_exit(int status);
/** Starts the boot module named by the first word of @a cmdline as a child
 *  task with the arguments @a cmdline gives (argv[0] is that first word);
 *  stores the new task's id in @a id. Needs PERM_TASK. */
errno_t task_spawn_module(const char *cmdline, task_id_t *id);
/** Waits up to @a usec microseconds (0: forever) for task @a id to end and
 *  stores how it ended in @a exit; ETIMEOUT, EINTR, ENOENT, EPERM. Waiting
 *  for a child also reaps it. */
errno_t task_wait(task_id_t id, task_exit_t *exit, uint64_t usec);
/** Kills task @a id (ends with TASK_EXIT_KILLED). */
errno_t task_kill(task_id_t id);

/** The calling task's permissions (PERM_*). */
unsigned perm_get(void);
/** Grants @a perms, which the caller must hold itself, to task @a id. */
errno_t perm_grant(task_id_t id, unsigned perms);

#endif
