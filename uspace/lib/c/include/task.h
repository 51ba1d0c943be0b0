/*
 * Tasks: identity, ending, spawning programs and waiting for them.
 *
 * task_spawn* start a program through a fresh program-loader task (the
 * loader protocol, abi/loader.h) with the arguments given, as they are: no
 * splitting at spaces, no quoting. Any task may spawn; the new task is its
 * child (it may kill it) and has no permissions until granted.
 *
 * Waiting goes through the naming service (abi/ns.h), which keeps how every
 * task ended: task_setup_wait() asks for an event, task_wait() collects it.
 * task_retval() is how a server says it is ready.
 *
 * Below those, the kernel's own calls: task_spawn_module starts a boot
 * module directly and task_join waits for a child in the kernel (both for
 * tests and boot; PERM_TASK extends them to every task).
 */
#ifndef LIBC_TASK_H
#define LIBC_TASK_H

#include <discard.h>

#include <abi/errno.h>
#include <abi/hwres.h>
#include <abi/ipc.h>
#include <abi/ns.h>
#include <abi/proc.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t task_id_t;

/** A wait set up with the naming service, to collect with task_wait(). */
typedef struct {
	sysarg_t aid; /* the pending NS_TASK_WAIT (an aid_t); 0: none */
	ipc_event_t answer;
	unsigned flags;
} task_wait_t;

/** Spawns the program at @a path (a relative one from our working
 *  directory) with arguments @a args (a NULL-terminated
 *  array; args[0] is the program's name for itself). Stores the new task's
 *  id in *@a id and, if @a wait is not NULL, sets it up to wait for the
 *  task's exit. ENOENT (no such program), ENOEXEC (not a valid executable),
 *  ELIMIT (arguments too long or too many), ENOMEM. */
_NODISCARD errno_t task_spawnv(
    task_id_t *id, task_wait_t *wait, const char *path, const char *const args[]);
/** Same with the arguments as a NULL-terminated list. */
_NODISCARD errno_t task_spawnl(task_id_t *id, task_wait_t *wait, const char *path, ...);
/** Same with the descriptors (open files) the program gets as its stdin,
 *  stdout and stderr (-1: none; stdout and stderr then go to the console):
 *  handed over through the VFS, sharing their positions with ours. */
_NODISCARD errno_t task_spawnvf(task_id_t *id, task_wait_t *wait, const char *path,
    const char *const args[], int fd_stdin, int fd_stdout, int fd_stderr);
/** Same with the working directory @a cwd for the program (NULL: ours as
 *  it is now, after any chdir()). Every spawn hands on our environ. */
_NODISCARD errno_t task_spawnv_cwd(task_id_t *id, task_wait_t *wait, const char *path,
    const char *const args[], const char *cwd);

/** Everything a spawn may set besides the program and its arguments. */
typedef struct {
	const char *cwd; /* the program's working directory; NULL: ours */
	/* Its environment, NAME=VALUE strings ending in NULL; NULL: environ */
	char *const *env;
	/* Called with the new task's id as soon as the task exists, before the
	 * program is loaded (a shell makes it the terminal's foreground then,
	 * so a Ctrl-C typed at once reaches it); NULL: none */
	void (*created)(task_id_t id, void *arg);
	void *created_arg;
	int files[3];	/* its stdin, stdout, stderr (as task_spawnvf); -1: none */
	unsigned perms; /* PERM_* granted before it starts (we must hold them) */
	/* Hardware resources granted before it starts (ddi.h hwres_grant) */
	const hw_resource_t *res;
	size_t res_count;
	/* Limits set before the program starts (quota_set; only lower than
	 * what it inherits), QUOTA_UNLIMITED for each one kept */
	uint64_t quota[QUOTA_COUNT];
} task_spawn_opts_t;

/** Fills @a opts with the defaults (none of the above). */
void task_spawn_opts_init(task_spawn_opts_t *opts);
/** The general form of task_spawnv. */
_NODISCARD errno_t task_spawn_opts(task_id_t *id, task_wait_t *wait, const char *path,
    const char *const args[], const task_spawn_opts_t *opts);

/** Starts server @a path (no arguments) with permissions @a perms and waits
 *  until it reports ready (task_retval(0)); its id in *@a id (unless NULL).
 *  EPARTY if it ended or reported another value instead. */
_NODISCARD errno_t task_start_server(const char *path, unsigned perms, task_id_t *id);

/** Asks the naming service to tell when task @a id does what @a flags
 *  (TASK_WAIT_EXIT, TASK_WAIT_RETVAL) say; collect with task_wait(). */
_NODISCARD errno_t task_setup_wait(task_id_t id, unsigned flags, task_wait_t *wait);
/** Waits for the event @a wait was set up for. *@a texit (unless NULL)
 *  tells how the task ended (how 0: it still runs, it reported a value);
 *  *@a retval (unless NULL) gets the value it reported, or its exit status
 *  if it reported none. ENOENT if the task is unknown. */
_NODISCARD errno_t task_wait(task_wait_t *wait, task_exit_t *texit, int *retval);
/** Drops a wait that was set up but will not be collected. */
void task_cancel_wait(task_wait_t *wait);
/** task_setup_wait() and task_wait() in one. */
_NODISCARD errno_t task_wait_task_id(
    task_id_t id, unsigned flags, task_exit_t *texit, int *retval);
/** Reports @a value to the tasks waiting with TASK_WAIT_RETVAL ("ready"). */
_NODISCARD errno_t task_retval(int value);

task_id_t task_get_id(void);
/** Renames the calling task (at most TASK_NAME_LEN_MAX bytes). */
_NODISCARD errno_t task_set_name(const char *name);
/** Ends the whole task, every thread of it, with @a status; no stdio
 *  flushing (exit() does that). */
_Noreturn void task_exit(int status);
/** Says in words how a task ended ("exit status 3", "killed", "killed: page
 *  fault at 0x10"); the text is in @a buf, which is returned. */
const char *task_exit_describe(const task_exit_t *exit, char *buf, size_t size);

/** Starts the boot module named by the first word of @a cmdline as a child
 *  task with the arguments @a cmdline gives (argv[0] is that first word);
 *  stores the new task's id in @a id. Needs PERM_TASK. */
_NODISCARD errno_t task_spawn_module(const char *cmdline, task_id_t *id);
/** Waits in the kernel up to @a usec microseconds (0: forever) for task @a id
 *  to end and stores how it ended in @a exit; ETIMEOUT, EINTR, ENOENT, EPERM.
 *  Joining a child also reaps it. Tasks spawned through the loader are not
 *  kept after they end: wait for them with task_wait(). */
_NODISCARD errno_t task_join(task_id_t id, task_exit_t *exit, uint64_t usec);
/** What the kernel tells about task @a id (abi/proc.h); ENOENT if there is
 *  no such task (a zombie, ended but not yet joined, still exists). */
_NODISCARD errno_t task_get_info(task_id_t id, task_info_t *info);
/** Stores the ids of up to @a max tasks in @a ids and the number of tasks
 *  there are in *@a count (more than @a max: ask again with more room). */
_NODISCARD errno_t task_list(uint64_t *ids, size_t max, size_t *count);
/** The ids of all tasks in a malloc'ed array (*@a ids, the caller frees it)
 *  of *@a count: task_list asked again with more room while tasks start. */
_NODISCARD errno_t task_list_all(uint64_t **ids, size_t *count);
/** Stores records of up to @a max threads of task @a id (0: the kernel, whose
 *  threads include each CPU's idle thread) in @a buf, and the number of
 *  threads the task has in *@a count (more than @a max: ask again with more
 *  room). ENOENT: no such task; EINVAL: @a max above THREAD_INFO_MAX. */
_NODISCARD errno_t thread_info_list(
    task_id_t id, thread_info_t *buf, size_t max, size_t *count);
/** The kernel's resource counts (abi/proc.h) in *@a stats. */
_NODISCARD errno_t kernel_stats_get(kernel_stats_t *stats);
/** Kills task @a id (ends with TASK_EXIT_KILLED). */
_NODISCARD errno_t task_kill(task_id_t id);

/** The calling task's permissions (PERM_*). */
unsigned perm_get(void);
/** Grants @a perms, which the caller must hold itself, to task @a id. */
_NODISCARD errno_t perm_grant(task_id_t id, unsigned perms);
/** The limits and use of task @a id (0: the caller; abi/proc.h QUOTA_*). */
_NODISCARD errno_t quota_get(task_id_t id, quota_info_t *info);
/** Lowers the QUOTA_* @a kind limit of task @a id (0: the caller; else a
 *  child, or any task with PERM_TASK) to @a limit: EPERM to raise it. */
_NODISCARD errno_t quota_set(task_id_t id, unsigned kind, uint64_t limit);

#endif
