/*
 * Self-tests: IRQ subscriptions, IRQ floods, kernel events, I/O permissions.
 * Subscribers are kernel threads inside user tasks, because subscriptions
 * belong to the task of the calling thread.
 */
#include <test.h>
#include <cpu.h>
#include <ipc/irq.h>
#include <arch/mm.h>
#include <mm/frame.h>
#include <mm/page.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <synch/mutex.h>
#include <syscall.h>
#include <string.h>

#define MS	 1000000ull
#define TEST_IRQ 5 /* no kernel driver uses it; nothing raises it in QEMU */
#define M_IRQ	 (IPC_FIRST_USER_METHOD + 100)

typedef struct {
	task_t *task;
	semaphore_t ready;
	semaphore_t go;
	errno_t subscribe_rc;
	unsigned irq;
	bool decline;
	paddr_t mem_pa;	       /* 0, or memory the program reads first */
	volatile void *mem_va; /* where the kernel mapped it */
	ipc_event_t ev;
	errno_t wait_rc;
	errno_t io_rc;
	errno_t grant_rc;
} sub_t;

static void subscriber(void *arg)
{
	sub_t *s = arg;
	irq_code_t code = {.count = 0};
	if (s->mem_pa != 0) {
		code.cmds[code.count++] = (irq_cmd_t){
		    .cmd = IRQ_CMD_MEM_READ_32, .dst = 2, .value = s->mem_pa};
	}
	code.cmds[code.count++] = (irq_cmd_t){
	    .cmd = IRQ_CMD_LOAD, .dst = 1, .value = 0x55};
	code.cmds[code.count++] = (irq_cmd_t){
	    .cmd = s->decline ? IRQ_CMD_DECLINE : IRQ_CMD_ACCEPT};
	cap_handle_t h;
	/* The system call's checks (a grant, device memory) are host-tested;
	 * here the program reads RAM the test owns. */
	s->subscribe_rc = irq_code_map(&code);
	s->mem_va = code.mem[0];
	if (s->subscribe_rc == EOK)
		s->subscribe_rc = ipc_irq_subscribe(s->irq, M_IRQ, &code, &h);
	s->io_rc = (errno_t) sys_iospace_enable(0x3f8, 8);
	semaphore_up(&s->ready);
	if (semaphore_down(&s->go, 0) != EOK)
		return;
	s->wait_rc = ipc_wait(100 * MS, 0, &s->ev);
	semaphore_up(&s->ready);
	semaphore_down(&s->go, 0); /* stay subscribed until killed */
}

/** Starts a subscriber task holding @a perms and, if @a grant is not 0, a
 *  grant of @a irq of that kind (HWRES_IRQ or HWRES_IRQ_SHARED), whose
 *  program first reads @a mem_pa if it is not 0; returns once it has tried
 *  to subscribe. */
static errno_t start_reader(
    sub_t *s, unsigned irq, bool decline, unsigned perms, uint32_t grant, paddr_t mem_pa)
{
	memset(s, 0, sizeof(*s));
	s->mem_pa = mem_pa;
	semaphore_init(&s->ready, 0);
	semaphore_init(&s->go, 0);
	s->irq = irq;
	s->decline = decline;
	errno_t rc = task_create("irqsub", NULL, perms, &s->task);
	if (rc != EOK)
		return rc;
	task_get(s->task);
	s->grant_rc = grant != 0 ? task_hwres_grant(s->task, grant, irq, 1) : EOK;
	thread_t *t;
	rc = thread_create(s->task, subscriber, s, "irqsub", &t);
	if (rc != EOK)
		return rc;
	thread_detach(t);
	thread_start(t);
	return semaphore_down(&s->ready, 2000 * MS);
}

static errno_t start_subscriber(sub_t *s, unsigned irq, bool decline, unsigned perms)
{
	return start_reader(s, irq, decline, perms, 0, 0);
}

static void stop_subscriber(sub_t *s)
{
	task_exit_t how = {.how = TASK_EXIT_KILLED}, exit;
	task_kill(s->task, &how);
	task_wait_ref(s->task, &exit, 0);
	task_put(s->task);
}

KTEST(irq_flood_coalesces_into_one_notification)
{
	sub_t s;
	KT_ASSERT_EQ(start_subscriber(&s, TEST_IRQ, false, PERM_IRQ | PERM_IO), EOK);
	KT_ASSERT_EQ(s.subscribe_rc, EOK);
	KT_ASSERT_EQ(s.io_rc, EOK);
	for (int i = 0; i < 10000; i++)
		ipc_irq_fire(TEST_IRQ);
	semaphore_up(&s.go);
	KT_ASSERT_EQ(semaphore_down(&s.ready, 2000 * MS), EOK);
	KT_ASSERT_EQ(s.wait_rc, EOK);
	KT_ASSERT_EQ(s.ev.kind, IPC_EVENT_NOTIF);
	KT_ASSERT_EQ(s.ev.imethod, M_IRQ);
	KT_ASSERT_EQ(s.ev.args[0], 0x55); /* scratch[1] */
	KT_ASSERT_EQ(s.ev.label, 10000);  /* every interrupt counted, none lost */
	KT_ASSERT(s.task->io_bitmap != NULL);
	stop_subscriber(&s);
	/* The line is free again once the subscriber is gone. */
	KT_ASSERT_EQ(start_subscriber(&s, TEST_IRQ, true, PERM_IRQ), EOK);
	KT_ASSERT_EQ(s.subscribe_rc, EOK);
	KT_ASSERT_EQ(s.io_rc, EPERM); /* no PERM_IO */
	ipc_irq_fire(TEST_IRQ);	      /* declined: no notification */
	semaphore_up(&s.go);
	KT_ASSERT_EQ(semaphore_down(&s.ready, 2000 * MS), EOK);
	KT_ASSERT_EQ(s.wait_rc, ETIMEOUT);
	stop_subscriber(&s);
}

/** A memory read runs through an uncached kernel mapping made at
 *  subscription, and the mapping goes with the subscription. */
KTEST(irq_program_reads_memory_through_its_own_mapping)
{
	paddr_t pa;
	KT_ASSERT_EQ(frame_alloc(0, &pa), EOK);
	volatile uint32_t *word = (volatile uint32_t *) ((char *) phys_to_virt(pa) +
	    0x40);
	*word = 0xfeedface;
	sub_t s;
	KT_ASSERT_EQ(start_reader(&s, TEST_IRQ, false, PERM_IRQ, 0, pa + 0x40), EOK);
	KT_ASSERT_EQ(s.subscribe_rc, EOK);
	uintptr_t page = ALIGN_DOWN((uintptr_t) s.mem_va, PAGE_SIZE);
	KT_ASSERT_EQ((uintptr_t) s.mem_va - page, 0x40);
	paddr_t mapped;
	unsigned flags;
	KT_ASSERT_EQ(page_query(page_kernel_root(), page, &mapped, &flags), EOK);
	KT_ASSERT_EQ(mapped, pa);
	KT_ASSERT(flags & PAGE_NOCACHE);
	KT_ASSERT(!(flags & (PAGE_WRITE | PAGE_USER | PAGE_EXEC)));
	ipc_irq_fire(TEST_IRQ);
	semaphore_up(&s.go);
	KT_ASSERT_EQ(semaphore_down(&s.ready, 2000 * MS), EOK);
	KT_ASSERT_EQ(s.wait_rc, EOK);
	KT_ASSERT_EQ(s.ev.args[0], 0x55);	/* scratch[1] */
	KT_ASSERT_EQ(s.ev.args[1], 0xfeedface); /* scratch[2], read at the interrupt */
	stop_subscriber(&s);
	KT_ASSERT_EQ(page_query(page_kernel_root(), page, &mapped, &flags), ENOENT);
	frame_free(pa);
}

KTEST(irq_subscribe_checks_line)
{
	sub_t s;
	KT_ASSERT_EQ(start_subscriber(&s, 0, false, PERM_IRQ), EOK);
	KT_ASSERT_EQ(s.subscribe_rc, EBUSY); /* the kernel's own timer (PIT) line */
	stop_subscriber(&s);
	KT_ASSERT_EQ(start_subscriber(&s, 16, false, PERM_IRQ), EOK);
	KT_ASSERT_EQ(s.subscribe_rc, EINVAL);
	stop_subscriber(&s);
}

typedef struct {
	task_t *task;
	semaphore_t ready;
	semaphore_t go;
	errno_t rc;
	ipc_event_t ev[2];
	errno_t wait_rc[2];
} watcher_t;

static void watcher(void *arg)
{
	watcher_t *w = arg;
	w->rc = event_subscribe(THREAD->task, EVENT_TASK_EXIT, M_IRQ + 1);
	semaphore_up(&w->ready);
	for (int i = 0; i < 2; i++) {
		if (semaphore_down(&w->go, 0) != EOK)
			return;
		w->wait_rc[i] = ipc_wait(50 * MS, 0, &w->ev[i]);
		semaphore_up(&w->ready);
	}
	semaphore_down(&w->go, 0);
}

static void nothing(void *arg)
{
}

static uint64_t run_short_task(void)
{
	task_t *t;
	if (task_create("short", NULL, 0, &t) != EOK)
		return 0;
	task_get(t);
	thread_t *th;
	thread_create(t, nothing, NULL, "short", &th);
	thread_detach(th);
	thread_start(th);
	task_exit_t exit;
	task_wait_ref(t, &exit, 0);
	uint64_t id = t->id;
	task_put(t);
	return id;
}

KTEST(event_task_exit_is_delivered_then_masked)
{
	watcher_t w;
	memset(&w, 0, sizeof(w));
	semaphore_init(&w.ready, 0);
	semaphore_init(&w.go, 0);
	KT_ASSERT_EQ(task_create("watcher", NULL, 0, &w.task), EOK);
	task_get(w.task);
	thread_t *t;
	KT_ASSERT_EQ(thread_create(w.task, watcher, &w, "watcher", &t), EOK);
	thread_detach(t);
	thread_start(t);
	KT_ASSERT_EQ(semaphore_down(&w.ready, 2000 * MS), EOK);
	KT_ASSERT_EQ(w.rc, EOK);
	/* A second task subscribes as well (no task takes an event from the
	 * others), but only once. */
	KT_ASSERT_EQ(event_subscribe(&kernel_task, EVENT_TASK_EXIT, 1), EOK);
	KT_ASSERT_EQ(event_subscribe(&kernel_task, EVENT_TASK_EXIT, 1), EEXIST);
	event_task_cleanup(&kernel_task);
	KT_ASSERT_EQ(event_subscribe(&kernel_task, EVENT_COUNT, 1), EINVAL);

	uint64_t id = run_short_task();
	run_short_task(); /* masked: merged into nothing */
	semaphore_up(&w.go);
	KT_ASSERT_EQ(semaphore_down(&w.ready, 2000 * MS), EOK);
	KT_ASSERT_EQ(w.wait_rc[0], EOK);
	KT_ASSERT_EQ(w.ev[0].kind, IPC_EVENT_NOTIF);
	KT_ASSERT_EQ(w.ev[0].args[0], id);
	KT_ASSERT_EQ(w.ev[0].args[1], TASK_EXIT_NORMAL);
	semaphore_up(&w.go);
	KT_ASSERT_EQ(semaphore_down(&w.ready, 2000 * MS), EOK);
	KT_ASSERT_EQ(w.wait_rc[1], ETIMEOUT); /* masked until unmasked */

	task_exit_t how = {.how = TASK_EXIT_KILLED}, exit;
	task_kill(w.task, &how);
	task_wait_ref(w.task, &exit, 0);
	task_put(w.task);
	/* The subscription went with the watcher. */
	KT_ASSERT_EQ(event_subscribe(&kernel_task, EVENT_TASK_EXIT, 1), EOK);
	event_task_cleanup(&kernel_task);
}

/** Whether @a s got its notification (it waits up to 100 ms once let go). */
static bool notified(sub_t *s)
{
	semaphore_up(&s->go);
	return semaphore_down(&s->ready, 2000 * MS) == EOK && s->wait_rc == EOK &&
	    s->ev.kind == IPC_EVENT_NOTIF;
}

KTEST(irq_shared_line_serves_two_drivers)
{
	sub_t a, b, other;
	KT_ASSERT_EQ(start_reader(&a, TEST_IRQ, true, 0, HWRES_IRQ_SHARED, 0), EOK);
	KT_ASSERT_EQ(start_reader(&b, TEST_IRQ, false, 0, HWRES_IRQ_SHARED, 0), EOK);
	KT_ASSERT_EQ(a.grant_rc, EOK);
	KT_ASSERT_EQ(b.grant_rc, EOK);
	KT_ASSERT_EQ(a.subscribe_rc, EOK);
	KT_ASSERT_EQ(b.subscribe_rc, EOK);
	/* An exclusive grant of the shared line is refused (utest checks
	 * PERM_IRQ's refusal: this test subscribes past the system call). */
	KT_ASSERT_EQ(start_reader(&other, TEST_IRQ, true, 0, HWRES_IRQ, 0), EOK);
	KT_ASSERT_EQ(other.grant_rc, EBUSY);
	stop_subscriber(&other);
	/* a's program declines (not its device), b's accepts: b alone hears it. */
	ipc_irq_fire(TEST_IRQ);
	KT_ASSERT(!notified(&a));
	KT_ASSERT(notified(&b));
	KT_ASSERT_EQ(b.ev.label, 1);
	stop_subscriber(&a);
	stop_subscriber(&b);
	/* Both accept (both devices raised it): both are notified. */
	KT_ASSERT_EQ(start_reader(&a, TEST_IRQ, false, 0, HWRES_IRQ_SHARED, 0), EOK);
	KT_ASSERT_EQ(start_reader(&b, TEST_IRQ, false, 0, HWRES_IRQ_SHARED, 0), EOK);
	KT_ASSERT_EQ(a.subscribe_rc, EOK);
	KT_ASSERT_EQ(b.subscribe_rc, EOK);
	ipc_irq_fire(TEST_IRQ);
	KT_ASSERT(notified(&a));
	KT_ASSERT(notified(&b));
	stop_subscriber(&a);
	stop_subscriber(&b);
}
