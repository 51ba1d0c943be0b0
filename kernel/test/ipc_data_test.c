/*
 * Self-tests: DATA_WRITE, DATA_READ, SHARE_OUT and SHARE_IN between two user
 * tasks. Both sides are kernel threads inside user tasks, so user-memory
 * copies go to their own address spaces; the client side runs a script and
 * reports the first step that failed.
 */
#include <test.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <mm/as.h>
#include <mm/kmalloc.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <synch/mutex.h>
#include <string.h>
#include <uaccess.h>

#define MS	  1000000ull
#define AREA	  0x10000000ull
#define AREA_SIZE (IPC_DATA_MAX + 4096)
#define RW	  (AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE)

static uint8_t scratch[IPC_DATA_MAX]; /* used by one side at a time */
static volatile uint64_t server_sum;  /* sum of the bytes the server received */

static uint64_t sum_user(uintptr_t va, size_t n)
{
	uint64_t sum = 0;
	if (copy_from_uspace(scratch, va, n) != EOK)
		return UINT64_MAX;
	for (size_t i = 0; i < n; i++)
		sum += scratch[i] * (i + 1);
	return sum;
}

static void fill_user(uintptr_t va, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = (uint8_t) (seed + i * 7);
	copy_to_uspace(va, scratch, n);
}

static semaphore_t server_summed; /* up once server_sum is set */

static void data_server(void *arg)
{
	uintptr_t area = AREA;
	if (as_area_create(THREAD->task->as, &area, AREA_SIZE, RW, NULL, 0) != EOK)
		return;
	while (!thread_kill_pending()) {
		ipc_event_t ev;
		if (ipc_wait(0, 0, &ev) != EOK || ev.kind != IPC_EVENT_REQUEST)
			continue;
		ipc_data_t a = {.method = EOK, .args = {area, ev.args[1]}};
		if (ev.imethod == IPC_M_DATA_READ)
			fill_user(area, ev.args[1], 3);
		if (ev.imethod == IPC_M_SHARE_OUT)
			a.args[0] = AS_AREA_ANY, a.args[1] = 0;
		if (ev.imethod == IPC_M_SHARE_IN) {
			copy_to_uspace(area, "shared-in", 10);
			a.args[1] =
			    ev.args[3]; /* the flags offered: the client's choice */
		}
		errno_t rc = ipc_answer(ev.cap, &a);
		if (ev.imethod == IPC_M_DATA_WRITE && rc == EOK) {
			server_sum = sum_user(area, ev.args[1]);
			semaphore_up(&server_summed);
		}
		if (ev.imethod == IPC_M_SHARE_OUT && rc == EOK)
			copy_to_uspace(a.args[0], "from-server", 12);
	}
}

typedef struct {
	cap_handle_t phone;
	const char *failed;
	semaphore_t done;
} client_t;

static errno_t call_and_wait(cap_handle_t phone, sysarg_t method, sysarg_t a0,
    sysarg_t a1, sysarg_t a2, ipc_event_t *ev)
{
	ipc_data_t d = {.method = method, .args = {a0, a1, a2}};
	errno_t rc = ipc_call(phone, &d, 1);
	if (rc != EOK)
		return rc;
	rc = ipc_wait(2000 * MS, 0, ev);
	return rc != EOK ? rc : (errno_t) ev->imethod;
}

static const char *data_script(cap_handle_t phone)
{
	static const size_t sizes[] = {0, 1, 4095, 4096, IPC_DATA_MAX};
	uintptr_t area = AREA;
	if (as_area_create(THREAD->task->as, &area, AREA_SIZE, RW, NULL, 0) != EOK)
		return "client area";
	ipc_event_t ev;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill_user(area, sizes[i], (uint8_t) i);
		uint64_t expect = sum_user(area, sizes[i]);
		if (call_and_wait(phone, IPC_M_DATA_WRITE, area, sizes[i], 0, &ev) != EOK)
			return "data write";
		/* The server sums after its answer, maybe on another CPU. */
		if (semaphore_down(&server_summed, 2000 * MS) != EOK)
			return "data write: no sum";
		if (server_sum != expect)
			return "data write contents";
		if (call_and_wait(phone, IPC_M_DATA_READ, area, sizes[i], 0, &ev) !=
			EOK ||
		    ev.args[1] != sizes[i])
			return "data read";
		uint64_t got = sum_user(area, sizes[i]);
		for (size_t b = 0; b < sizes[i]; b++)
			scratch[b] = (uint8_t) (3 + b * 7);
		uint64_t want = 0;
		for (size_t b = 0; b < sizes[i]; b++)
			want += scratch[b] * (b + 1);
		if (got != want)
			return "data read contents";
	}
	ipc_data_t d = {.method = IPC_M_DATA_WRITE, .args = {area, IPC_DATA_MAX + 1}};
	if (ipc_call(phone, &d, 1) != ELIMIT)
		return "65537-byte write not refused";
	d.args[0] = 0xffff800000000000ull;
	d.args[1] = 16;
	if (ipc_call(phone, &d, 1) != EBADMEM)
		return "kernel address not refused";
	d.method = IPC_M_DATA_READ;
	d.args[1] = IPC_DATA_MAX + 1;
	if (ipc_call(phone, &d, 1) != ELIMIT)
		return "65537-byte read not refused";
	return NULL;
}

/** SHARE_IN of 4 KiB wanting @a want, the test server offering @a offer. */
static errno_t share_in_wait(
    cap_handle_t phone, unsigned want, unsigned offer, ipc_event_t *ev)
{
	ipc_data_t d = {
	    .method = IPC_M_SHARE_IN, .args = {AS_AREA_ANY, 0x1000, want, offer}};
	errno_t rc = ipc_call(phone, &d, 1);
	if (rc != EOK)
		return rc;
	rc = ipc_wait(2000 * MS, 0, ev);
	return rc != EOK ? rc : (errno_t) ev->imethod;
}

/** A share offered read-only is mapped read-only, never writable. */
static const char *share_rights_script(cap_handle_t phone)
{
	ipc_event_t ev;
	if (share_in_wait(phone, RW, AS_AREA_READ, &ev) != EPERM)
		return "writable share of a read-only offer not refused";
	if (share_in_wait(phone, AS_AREA_READ, RW | AS_AREA_EXEC, &ev) != EPERM)
		return "offer beyond the sharer's area not refused";
	if (share_in_wait(phone, AS_AREA_READ, AS_AREA_READ, &ev) != EOK)
		return "read-only share of a read-only offer";
	uintptr_t ro = ev.args[0];
	if (as_area_change_flags(THREAD->task->as, ro, RW) != EPERM)
		return "read-only share made writable";
	if (share_in_wait(phone, RW, 0, &ev) != EOK)
		return "writable share of the area's own flags";
	as_area_info_t info;
	if (as_area_query(THREAD->task->as, ev.args[0], &info) != EOK ||
	    !(info.flags & AS_AREA_WRITE))
		return "writable share flags";
	if (as_area_destroy(THREAD->task->as, ev.args[0]) != EOK ||
	    as_area_destroy(THREAD->task->as, ro) != EOK)
		return "share destroy";
	return NULL;
}

static const char *share_script(cap_handle_t phone)
{
	uintptr_t mine = AREA + 0x1000000;
	if (as_area_create(THREAD->task->as, &mine, 0x2000, RW, NULL, 0) != EOK)
		return "share area";
	ipc_event_t ev;
	if (call_and_wait(phone, IPC_M_SHARE_OUT, mine, 0, 0, &ev) != EOK)
		return "share out";
	char buf[16];
	for (int i = 0; i < 100; i++) {
		thread_sleep(MS);
		if (copy_from_uspace(buf, mine, 12) == EOK &&
		    strcmp(buf, "from-server") == 0)
			break;
	}
	if (strcmp(buf, "from-server") != 0)
		return "share out contents";
	if (call_and_wait(
		phone, IPC_M_SHARE_IN, AS_AREA_ANY, 0x1000, AS_AREA_READ, &ev) != EOK)
		return "share in";
	if (copy_from_uspace(buf, ev.args[0], 10) != EOK || strcmp(buf, "shared-in") != 0)
		return "share in contents";
	as_area_info_t info;
	if (as_area_query(THREAD->task->as, ev.args[0], &info) != EOK ||
	    (info.flags & AS_AREA_WRITE))
		return "share in flags";
	if (call_and_wait(phone, IPC_M_SHARE_IN, AS_AREA_ANY, 0x100000, AS_AREA_READ,
		&ev) != ELIMIT)
		return "share in larger than the area not refused";
	return share_rights_script(phone);
}

static void client_main(void *arg)
{
	client_t *c = arg;
	c->failed = data_script(c->phone);
	if (c->failed == NULL)
		c->failed = share_script(c->phone);
	semaphore_up(&c->done);
	while (!thread_kill_pending())
		thread_sleep(1000 * MS);
}

static errno_t start_in_task(const char *name, thread_fn_t fn, void *arg, task_t **out)
{
	errno_t rc = task_create(name, NULL, 0, out);
	if (rc != EOK)
		return rc;
	task_get(*out);
	thread_t *t;
	rc = thread_create(*out, fn, arg, name, &t);
	if (rc != EOK)
		return rc;
	thread_detach(t);
	thread_start(t);
	return EOK;
}

static void end_task(task_t *t)
{
	task_exit_t how = {.how = TASK_EXIT_KILLED}, exit;
	task_kill(t, &how);
	task_wait_ref(t, &exit, 0);
	task_put(t);
}

KTEST(ipc_data_transfers_and_sharing)
{
	task_t *server, *client;
	client_t c = {0};
	semaphore_init(&c.done, 0);
	semaphore_init(&server_summed, 0);
	KT_ASSERT_EQ(start_in_task("dataserver", data_server, NULL, &server), EOK);
	KT_ASSERT_EQ(task_create("dataclient", NULL, 0, &client), EOK);
	task_get(client);
	KT_ASSERT_EQ(ipc_phone_connect_new(client, &server->box, 0, &c.phone), EOK);
	thread_t *t;
	KT_ASSERT_EQ(thread_create(client, client_main, &c, "dataclient", &t), EOK);
	thread_detach(t);
	thread_start(t);
	KT_ASSERT_EQ(semaphore_down(&c.done, 10000 * MS), EOK);
	if (c.failed != NULL)
		ktest_fail(__FILE__, __LINE__, "client step failed: %s", c.failed);
	end_task(client);
	end_task(server);
}
