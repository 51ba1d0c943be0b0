/*
 * The kernel IPC log (see docs/ipclog.md): IPC events recorded into a ring
 * buffer when enabled. When off, each recording point costs one predictable
 * branch on ipclog_on; with CONFIG_IPC_LOG unset it costs nothing.
 */
#ifndef KERN_LOG_IPCLOG_H
#define KERN_LOG_IPCLOG_H

#include <abi/ipclog.h>
#include <types.h>

struct call;

extern volatile bool ipclog_on;

/** Records one event about @a call (any context, never blocks). */
void ipclog_record(ipclog_type_t type, struct call *call, uint64_t sender,
    uint64_t receiver, uint64_t phone, unsigned flags);

/** Records the name of task @a task (@a thread 0) or of its thread @a thread. */
void ipclog_name(uint64_t task, uint64_t thread, const char *name);

#ifdef CONFIG_IPC_LOG
#define IPCLOG(type, call, sender, receiver, phone, flags) \
	do { \
		if (unlikely(ipclog_on)) \
			ipclog_record( \
			    (type), (call), (sender), (receiver), (phone), (flags)); \
	} while (0)
#define IPCLOG_NAME(task, thread, name) \
	do { \
		if (unlikely(ipclog_on)) \
			ipclog_name((task), (thread), (name)); \
	} while (0)
#else
#define IPCLOG(type, call, sender, receiver, phone, flags) ((void) 0)
#define IPCLOG_NAME(task, thread, name)			   ((void) 0)
#endif

/** Applies the boot option ipclog[=size=N,min=M,max=M,types=a+b,tasks=i+j]. */
void ipclog_boot(const char *cmdline);
errno_t ipclog_enable(bool on);
void ipclog_clear(void);
errno_t ipclog_resize(size_t capacity);
errno_t ipclog_filter_tasks(const uint64_t *ids, size_t count);
errno_t ipclog_filter_methods(uint64_t min, uint64_t max);
errno_t ipclog_filter_types(uint32_t mask);
void ipclog_status(ipclog_status_t *st);
/** Writes @a len bytes to the export channel (COM2); ENOTSUP without one. */
errno_t ipclog_export(const char *buf, size_t len);
/** Copies up to @a max records from *@a cursor on into @a out (kernel memory). */
size_t ipclog_read(uint64_t *cursor, ipclog_record_t *out, size_t max, uint64_t *missed);
/** Name of an event type, for printing. */
const char *ipclog_type_name(uint32_t type);

#endif
