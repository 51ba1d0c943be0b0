/*
 * The kernel IPC log: records of IPC events in a ring buffer, read from a
 * cursor (see docs/ipclog.md).
 */
#ifndef ABI_IPCLOG_H
#define ABI_IPCLOG_H

#include <stdint.h>

typedef enum {
	IPCLOG_CALL = 1, /* a call was sent (or refused at once: flags) */
	IPCLOG_FORWARD,	 /* a call was forwarded */
	IPCLOG_ANSWER,	 /* a call was answered (by its receiver or the kernel) */
	IPCLOG_HANGUP,	 /* a phone was hung up */
	IPCLOG_NOTIF,	 /* a notification was delivered */
	IPCLOG_CONNECT,	 /* a connection was made (CONNECT_ME_TO/TO_ME accepted) */
	IPCLOG_REFUSED,	 /* a connection was refused */
	IPCLOG_RECEIVE,	 /* the receiver took a call from its answerbox */
	IPCLOG_NAME,	 /* a task or thread got its name (see below) */
	IPCLOG_TYPE_COUNT,
} ipclog_type_t;

#define IPCLOG_TYPE_BIT(t) (1u << (t))
#define IPCLOG_ALL_TYPES   0x3feu

/*
 * An IPCLOG_NAME record names the task `sender` (`receiver` 0) or its thread
 * `receiver`: written when a task or thread starts, when a task renames
 * itself, and for every living one when the log is turned on, so that the
 * tasks that have exited by the time the log is read still have a name. The
 * name, NUL-terminated, fills `args` (at most IPCLOG_NAME_MAX - 1 bytes); its
 * method is 0. The filters apply to name records as to any other.
 *
 * An IPCLOG_RECEIVE record has the caller as `sender`, the receiver's task as
 * `receiver` and the receiving thread as `thread`.
 */
#define IPCLOG_NAME_MAX 40

/* ipclog_record_t.flags */
#define IPCLOG_F_FORWARDED 0x01 /* the call had been forwarded */
#define IPCLOG_F_KERNEL	   0x02 /* answered or sent by the kernel */

typedef struct {
	uint64_t seq; /* record number since boot */
	uint64_t time_ns;
	uint64_t tsc;
	uint64_t call_id;  /* links a call, its forwards and its answer */
	uint64_t sender;   /* task id */
	uint64_t receiver; /* task id (0: unknown) */
	uint64_t phone;	   /* the sender's phone handle, 0 if none */
	uint64_t method;
	uint64_t args[5];
	int64_t retval; /* answers */
	uint32_t type;	/* ipclog_type_t */
	uint32_t cpu;
	uint32_t flags;
	uint32_t thread; /* the acting thread's id (0: the kernel acted) */
} ipclog_record_t;

/* SYS_IPCLOG_CONTROL commands (PERM_IPCLOG). */
#define IPCLOG_CMD_ENABLE 1 /* arg: 1 on, 0 off */
#define IPCLOG_CMD_CLEAR  2
#define IPCLOG_CMD_FILTER_TASKS \
	3 /* arg: pointer to up to 8 task ids, arg2: count (0: all) */
#define IPCLOG_CMD_FILTER_METHODS 4 /* arg: first method, arg2: last method */
#define IPCLOG_CMD_FILTER_TYPES	  5 /* arg: mask of IPCLOG_TYPE_BIT() */
#define IPCLOG_CMD_RESIZE	  6 /* arg: capacity in records (power of two) */
#define IPCLOG_CMD_STATUS	  7 /* arg: ipclog_status_t * */
/* arg: bytes, arg2: length: written to the export channel, the host's
 * second serial port (COM2); ENOTSUP when there is none. */
#define IPCLOG_CMD_EXPORT 8

#define IPCLOG_FILTER_TASKS_MAX 8

typedef struct {
	uint32_t enabled;
	uint32_t types;
	uint64_t capacity; /* records */
	uint64_t head;	   /* records ever written */
	uint64_t method_min;
	uint64_t method_max;
	uint64_t task_count;
	uint64_t tasks[IPCLOG_FILTER_TASKS_MAX];
} ipclog_status_t;

#endif
