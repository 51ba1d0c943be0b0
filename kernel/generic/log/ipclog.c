/*
 * The IPC log ring. Records are fixed size; the ring is allocated from frames
 * when the log is first enabled (or resized) and written under ipclog_lock
 * with interrupts off, so IRQ notifications can be recorded too.
 * Lock: ipclog_lock guards the ring, the filters and the counters; it is a
 * leaf (taken inside tasks_lock and threads_lock when naming everyone).
 * ipclog_export_lock serializes the export channel's writes.
 */
#include <log/ipclog.h>
#include <arch/asm.h>
#include <arch/cycle.h>
#include <arch/mm.h>
#include <cmdline.h>
#include <common/adt/ringbuf.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <mm/frame.h>
#include <arch/drivers.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <spinlock.h>
#include <string.h>
#include <time/clock.h>

#define IPCLOG_DEFAULT_CAPACITY 1024
#define IPCLOG_MAX_CAPACITY	65536

volatile bool ipclog_on;

static spinlock_t ipclog_lock = SPINLOCK_INITIALIZER("ipclog", IPCLOG);
/* Serializes writes to the export channel; never held with ipclog_lock. */
static spinlock_t ipclog_export_lock = SPINLOCK_INITIALIZER(
    "ipclog_export", IPCLOG_EXPORT);
static ringbuf_t ring;
static bool ring_ready;
static uint32_t type_mask = IPCLOG_ALL_TYPES;
static uint64_t method_min, method_max = UINT64_MAX;
static uint64_t filter_tasks[IPCLOG_FILTER_TASKS_MAX];
static size_t filter_task_count;

static const char *const type_names[IPCLOG_TYPE_COUNT] = {
    "?",
    "call",
    "forward",
    "answer",
    "hangup",
    "notif",
    "connect",
    "refused",
    "receive",
    "name",
};

const char *ipclog_type_name(uint32_t type)
{
	return type < IPCLOG_TYPE_COUNT ? type_names[type] : "?";
}

static bool task_selected(uint64_t a, uint64_t b)
{
	if (filter_task_count == 0)
		return true;
	for (size_t i = 0; i < filter_task_count; i++) {
		if (filter_tasks[i] == a || filter_tasks[i] == b)
			return true;
	}
	return false;
}

/** Stamps @a r with the time, the CPU and the acting thread (0 when the
 *  kernel's own task acts or no thread runs). */
static void record_stamp(ipclog_record_t *r, ipclog_type_t type)
{
	memset(r, 0, sizeof(*r));
	r->time_ns = clock_ns();
	r->tsc = arch_cycle_count();
	r->type = type;
	r->cpu = CPU->id;
	thread_t *t = THREAD;
	if (t != NULL && t->task != &kernel_task)
		r->thread = (uint32_t) t->id;
}

/** Puts @a r in the ring if the filters let it through. */
static void record_put(ipclog_record_t *r)
{
	spinlock_lock(&ipclog_lock);
	if (ring_ready && (type_mask & IPCLOG_TYPE_BIT(r->type)) &&
	    r->method >= method_min && r->method <= method_max &&
	    task_selected(r->sender, r->receiver)) {
		r->seq = ring.head;
		ringbuf_put(&ring, r);
	}
	spinlock_unlock(&ipclog_lock);
}

void ipclog_record(ipclog_type_t type, call_t *call, uint64_t sender, uint64_t receiver,
    uint64_t phone, unsigned flags)
{
	ipclog_record_t r;
	record_stamp(&r, type);
	r.sender = sender;
	r.receiver = receiver;
	r.phone = phone;
	r.flags = flags;
	if (type == IPCLOG_HANGUP)
		r.method = IPC_M_PHONE_HUNGUP;
	if (call != NULL) {
		r.call_id = ipc_call_id(call);
		r.method = call->request_method;
		memcpy(r.args, call->data.args, sizeof(r.args));
		if (type == IPCLOG_ANSWER)
			r.retval = (int64_t) call->data.method;
	}
	record_put(&r);
}

void ipclog_name(uint64_t task, uint64_t thread, const char *name)
{
	ipclog_record_t r;
	record_stamp(&r, IPCLOG_NAME);
	r.sender = task;
	r.receiver = thread;
	str_lcpy((char *) r.args, name, IPCLOG_NAME_MAX);
	record_put(&r);
}

static void name_task(task_t *task, void *unused)
{
	(void) unused;
	ipclog_name(task->id, 0, task->name);
}

static void name_thread(thread_t *thread, void *unused)
{
	(void) unused;
	if (thread->task != &kernel_task)
		ipclog_name(thread->task->id, thread->id, thread->name);
}

/** Records the names of every living task and thread (the log was just
 *  turned on: those that started before have no name record yet). Takes
 *  tasks_lock, then threads_lock, each with ipclog_lock inside. */
static void name_everyone(void)
{
	task_foreach(name_task, NULL);
	thread_foreach(name_thread, NULL);
}

/** Allocates a ring of @a capacity records (power of two). Lock not held. */
static errno_t ring_replace(size_t capacity)
{
	if (capacity == 0 || capacity > IPCLOG_MAX_CAPACITY ||
	    (capacity & (capacity - 1)))
		return EINVAL;
	paddr_t pa;
	errno_t rc = frame_alloc(
	    frame_order_for(capacity * sizeof(ipclog_record_t)), &pa);
	if (rc != EOK)
		return rc;
	spinlock_lock(&ipclog_lock);
	void *old = ring_ready ? ring.data : NULL;
	ringbuf_init(&ring, phys_to_virt(pa), sizeof(ipclog_record_t), capacity);
	ring_ready = true;
	spinlock_unlock(&ipclog_lock);
	if (old != NULL)
		frame_free(virt_to_phys(old));
	return EOK;
}

errno_t ipclog_enable(bool on)
{
#ifndef CONFIG_IPC_LOG
	if (on)
		return ENOTSUP;
#endif
	if (on && !ring_ready) {
		errno_t rc = ring_replace(IPCLOG_DEFAULT_CAPACITY);
		if (rc != EOK)
			return rc;
	}
	bool was_on = ipclog_on;
	ipc_fastpath_log_on(on);
	ipclog_on = on;
	if (on && !was_on)
		name_everyone();
	return EOK;
}

errno_t ipclog_resize(size_t capacity)
{
	return ring_replace(capacity);
}

void ipclog_clear(void)
{
	spinlock_lock(&ipclog_lock);
	if (ring_ready)
		ringbuf_init(&ring, ring.data, ring.rec_size, ring.capacity);
	spinlock_unlock(&ipclog_lock);
}

errno_t ipclog_filter_tasks(const uint64_t *ids, size_t count)
{
	if (count > IPCLOG_FILTER_TASKS_MAX)
		return ELIMIT;
	spinlock_lock(&ipclog_lock);
	memcpy(filter_tasks, ids, count * sizeof(uint64_t));
	filter_task_count = count;
	spinlock_unlock(&ipclog_lock);
	return EOK;
}

errno_t ipclog_filter_methods(uint64_t min, uint64_t max)
{
	if (min > max)
		return EINVAL;
	spinlock_lock(&ipclog_lock);
	method_min = min;
	method_max = max;
	spinlock_unlock(&ipclog_lock);
	return EOK;
}

errno_t ipclog_filter_types(uint32_t mask)
{
	if ((mask & ~IPCLOG_ALL_TYPES) != 0 || mask == 0)
		return EINVAL;
	spinlock_lock(&ipclog_lock);
	type_mask = mask;
	spinlock_unlock(&ipclog_lock);
	return EOK;
}

void ipclog_status(ipclog_status_t *st)
{
	memset(st, 0, sizeof(*st));
	spinlock_lock(&ipclog_lock);
	st->enabled = ipclog_on;
	st->types = type_mask;
	st->capacity = ring_ready ? ring.capacity : 0;
	st->head = ring_ready ? ring.head : 0;
	st->method_min = method_min;
	st->method_max = method_max;
	st->task_count = filter_task_count;
	memcpy(st->tasks, filter_tasks, sizeof(filter_tasks));
	spinlock_unlock(&ipclog_lock);
}

errno_t ipclog_export(const char *buf, size_t len)
{
	spinlock_lock(&ipclog_export_lock);
	bool written = export_port_write(buf, len);
	spinlock_unlock(&ipclog_export_lock);
	return written ? EOK : ENOTSUP;
}

size_t ipclog_read(uint64_t *cursor, ipclog_record_t *out, size_t max, uint64_t *missed)
{
	spinlock_lock(&ipclog_lock);
	size_t n = 0;
	*missed = 0;
	if (ring_ready)
		n = ringbuf_read(&ring, cursor, out, max, missed);
	spinlock_unlock(&ipclog_lock);
	return n;
}

/** Parses "a+b+c" into @a out (at most @a max); returns the count. */
static size_t parse_list(const char *s, uint64_t *out, size_t max, bool names)
{
	size_t n = 0;
	while (*s != '\0' && n < max) {
		uint64_t v = 0;
		if (names) {
			for (uint32_t t = 1; t < IPCLOG_TYPE_COUNT; t++) {
				size_t len = strlen(type_names[t]);
				if (strncmp(s, type_names[t], len) == 0 &&
				    (s[len] == '+' || s[len] == '\0'))
					v = t;
			}
		} else {
			for (const char *p = s; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (uint64_t) (*p - '0');
		}
		out[n++] = v;
		while (*s != '\0' && *s != '+')
			s++;
		if (*s == '+')
			s++;
	}
	return n;
}

static uint64_t parse_number(const char *s)
{
	uint64_t v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t) (*s++ - '0');
	return v;
}

/** Applies one key=value of the boot option. */
static void boot_setting(const char *kv)
{
	const char *v = strchr(kv, '=');
	if (v == NULL)
		return;
	v++;
	uint64_t list[IPCLOG_FILTER_TASKS_MAX];
	if (str_starts(kv, "size=")) {
		ipclog_resize(parse_number(v));
	} else if (str_starts(kv, "min=")) {
		method_min = parse_number(v);
	} else if (str_starts(kv, "max=")) {
		method_max = parse_number(v);
	} else if (str_starts(kv, "tasks=")) {
		ipclog_filter_tasks(
		    list, parse_list(v, list, IPCLOG_FILTER_TASKS_MAX, false));
	} else if (str_starts(kv, "types=")) {
		uint32_t mask = 0;
		size_t n = parse_list(v, list, IPCLOG_FILTER_TASKS_MAX, true);
		for (size_t i = 0; i < n; i++)
			mask |= list[i] != 0 ? IPCLOG_TYPE_BIT(list[i]) : 0;
		if (mask != 0)
			ipclog_filter_types(mask);
	}
}

void ipclog_boot(const char *cmdline)
{
	if (!cmdline_has(cmdline, "ipclog"))
		return;
	char value[128];
	if (cmdline_get(cmdline, "ipclog", value, sizeof(value)) == EOK) {
		char *item = value;
		while (item != NULL && *item != '\0') {
			char *comma = strchr(item, ',');
			if (comma != NULL)
				*comma = '\0';
			boot_setting(item);
			item = comma != NULL ? comma + 1 : NULL;
		}
	}
	ipclog_enable(true);
}
