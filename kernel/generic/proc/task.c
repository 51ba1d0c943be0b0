/*
 * Tasks (see proc/task.h).
 * Lock: tasks_lock guards the global list and ids; task->lock the task's
 * threads, ending and address-space pointer (taken away under it at the
 * end); hw_claims_lock the claims on hardware (proc/hwres.h), taken after
 * task->lock and before nothing else.
 */
#include <proc/task.h>
#include <proc/image.h>
#include <smp.h>
#include <arch/asm.h>
#include <cpu.h>
#include <log/ipclog.h>
#include <mm/as.h>
#include <ipc/irq.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <panic.h>
#include <printf.h>
#include <proc/quota.h>
#include <proc/exc.h>
#include <proc/thread.h>
#include <string.h>
#include <system.h>
#include <time/clock.h>

task_t kernel_task;
static list_t tasks = LIST_INITIALIZER(tasks);
static spinlock_t tasks_lock = SPINLOCK_INITIALIZER("tasks", TASKS);
static uint64_t next_task_id = 1;
static size_t live_tasks;
static slab_cache_t task_cache;
static hwres_claims_t hw_claims; /* under hw_claims_lock */
static spinlock_t hw_claims_lock = SPINLOCK_INITIALIZER("hw_claims", HW_CLAIMS);

static void task_fields_init(task_t *t, const char *name)
{
	memset(t, 0, sizeof(*t));
	str_lcpy(t->name, name, sizeof(t->name));
	spinlock_init(&t->lock, "task", LOCK_CLASS_TASK);
	list_initialize(&t->threads);
	link_initialize(&t->all_link);
	waitq_init(&t->exit_wq);
	waitq_init(&t->debug_wq);
	t->refcount = 1; /* the global list's */
	t->state = TASK_RUNNING;
	t->start_ns = clock_ns();
	cap_table_init(&t->caps);
	answerbox_init(&t->box, t);
}

static void task_publish(task_t *t)
{
	spinlock_lock(&tasks_lock);
	list_append(&t->all_link, &tasks);
	live_tasks++;
	spinlock_unlock(&tasks_lock);
	IPCLOG_NAME(t->id, 0, t->name);
}

void task_init(void)
{
	kmem_cache_init(&task_cache, "task", sizeof(task_t), 8);
	task_fields_init(&kernel_task, "kernel");
	kernel_task.id = 0;
	kernel_task.perms = PERM_ALL;
	for (unsigned k = 0; k < QUOTA_COUNT; k++)
		kernel_task.quota[k] = QUOTA_UNLIMITED;
	kernel_task.page_root = page_kernel_root();
	task_publish(&kernel_task);
}

errno_t task_create(const char *name, task_t *parent, unsigned perms, task_t **out)
{
	task_t *t = kmem_alloc(&task_cache);
	if (t == NULL)
		return ENOMEM;
	task_fields_init(t, name);
	errno_t rc = as_create(&t->as);
	if (rc != EOK) {
		kmem_free(&task_cache, t);
		return rc;
	}
	t->page_root = t->as->root;
	t->home_cpu = smp_next_cpu();
	t->perms = perms;
	t->parent_id = parent != NULL && parent != &kernel_task ? parent->id : 0;
	rc = quota_task_init(t, parent);
	if (rc != EOK) {
		as_destroy(t->as);
		cap_table_destroy(&t->caps);
		kmem_free(&task_cache, t);
		return rc;
	}
	spinlock_lock(&tasks_lock);
	t->id = next_task_id++;
	spinlock_unlock(&tasks_lock);
	task_publish(t);
	*out = t;
	return EOK;
}

void task_free(task_t *t)
{
	assert(t != &kernel_task && t->thread_count == 0 && t->as == NULL);
	cap_table_destroy(&t->caps);
	kfree(t->io_bitmap);
	quota_task_free(t);
	kmem_free(&task_cache, t);
}

task_t *task_find(uint64_t id)
{
	task_t *found = NULL;
	spinlock_lock(&tasks_lock);
	list_foreach (tasks, all_link, task_t, t) {
		if (t->id == id) {
			found = t;
			task_get(t);
			break;
		}
	}
	spinlock_unlock(&tasks_lock);
	return found;
}

errno_t task_attach_thread(task_t *task, thread_t *thread)
{
	spinlock_lock(&task->lock);
	if (task->dying || task->thread_count >= task->quota[QUOTA_THREADS]) {
		errno_t rc = task->dying ? EINTR : ELIMIT;
		spinlock_unlock(&task->lock);
		return rc;
	}
	list_append(&thread->task_link, &task->threads);
	task->thread_count++;
	thread->task = task;
	task_get(task);
	spinlock_unlock(&task->lock);
	return EOK;
}

/** Takes @a t off the global list; tasks_lock held. The list's reference
 *  is the caller's to drop (after the lock). */
static void task_unlist_locked(task_t *t)
{
	list_remove(&t->all_link);
	live_tasks--;
}

/** Removes the task from the global list and drops the list's reference. */
static void task_reap(task_t *t)
{
	spinlock_lock(&tasks_lock);
	task_unlist_locked(t);
	spinlock_unlock(&tasks_lock);
	task_put(t);
}

/** Gives up @a t's claims on hardware; no grant reaches @a t afterwards. */
static void task_hwres_release(task_t *t)
{
	spinlock_lock(&t->lock);
	spinlock_lock(&hw_claims_lock);
	hwres_claims_release(&hw_claims, t->id);
	t->hwres_released = true;
	spinlock_unlock(&hw_claims_lock);
	spinlock_unlock(&t->lock);
}

/** Takes the address space away from @a t (under t->lock, so that the debug
 *  interface, which reads it under that lock, never sees it freed) and frees it. */
static void task_as_destroy(task_t *t)
{
	spinlock_lock(&t->lock);
	struct as *as = t->as;
	t->as = NULL;
	spinlock_unlock(&t->lock);
	as_destroy(as);
	image_sweep(); /* the program pages only it still mapped */
}

void task_discard(task_t *t)
{
	assert(t->thread_count == 0);
	task_hwres_release(t);
	quota_task_end(t);
	ipc_task_cleanup(t);
	task_as_destroy(t);
	task_reap(t);
}

/** Orphans the children of @a parent: zombies are reaped, the living lose their parent. */
static void task_orphan_children(task_t *parent)
{
	for (;;) {
		task_t *zombie = NULL;
		spinlock_lock(&tasks_lock);
		list_foreach (tasks, all_link, task_t, t) {
			if (t->parent_id != parent->id)
				continue;
			t->parent_id = 0;
			if (t->state == TASK_ZOMBIE) {
				zombie = t;
				break;
			}
		}
		spinlock_unlock(&tasks_lock);
		if (zombie == NULL)
			return;
		task_reap(zombie);
	}
}

/** An essential task has ended: a half-dead system is worth less than a
 *  fresh one, so the kernel says why and reboots (under the test harness's
 *  -no-reboot QEMU then exits). */
static void task_essential_ended(task_t *t)
{
	char how[16];
	if (t->exit.how == TASK_EXIT_NORMAL)
		snprintf(how, sizeof(how), "status %d", t->exit.status);
	else
		str_lcpy(how, t->exit.how == TASK_EXIT_KILLED ? "killed" : "faulted",
		    sizeof(how));
	printf("system: essential task %llu (%s) ended (%s); the system cannot run "
	       "without it: rebooting\n",
	    (unsigned long long) t->id, t->name, how);
	system_reboot();
}

/** The last thread is gone: free the address space, publish the ending. */
static void task_finish(task_t *t)
{
	/* The exit is final before the phones hang up: they carry it. */
	spinlock_lock(&t->lock);
	if (!t->exit_set) {
		t->exit.how = TASK_EXIT_NORMAL;
		t->exit.status = 0;
		t->exit_set = true;
	}
	spinlock_unlock(&t->lock);
	if (t->essential)
		task_essential_ended(t);
	/* Before the phones hang up: whoever hears of the end (devman) may
	 * grant the hardware to a new task at once. */
	task_hwres_release(t);
	quota_task_end(t);
	event_task_cleanup(t);
	exc_task_cleanup(t);
	exc_debugger_gone(t);
	as_writeback_post(t->as); /* through the pagers' phones, still connected */
	ipc_task_cleanup(t);
	task_as_destroy(t);
	task_orphan_children(t);
	/* A task no parent waits for leaves the list as it becomes a zombie,
	 * so whoever sees the end (task_wait, EVENT_TASK_EXIT) finds it gone
	 * from task_count() as well; the caller's reference keeps it until
	 * the end is told. */
	spinlock_lock(&t->lock);
	spinlock_lock(&tasks_lock);
	bool has_parent = t->parent_id != 0 && !t->detached;
	if (!has_parent)
		task_unlist_locked(t);
	t->state = TASK_ZOMBIE;
	spinlock_unlock(&tasks_lock);
	spinlock_unlock(&t->lock);
	waitq_wakeup(&t->exit_wq, true);
	event_notify(
	    EVENT_TASK_EXIT, t->id, (sysarg_t) t->exit.how, (sysarg_t) t->exit.status);
	if (!has_parent)
		task_put(t); /* the list's */
}

void task_unlink_thread(thread_t *thread)
{
	task_t *task = thread->task;
	exc_thread_cleanup(thread);
	spinlock_lock(&task->lock);
	list_remove(&thread->task_link);
	/* Off its CPU for good (switched_out): its counters are final. */
	task->ended_cycles += thread->cycles;
	task->ended_ticks += thread->ticks;
	task->ended_user_ticks += thread->user_ticks;
	spinlock_unlock(&task->lock);
}

void task_thread_gone(task_t *task)
{
	spinlock_lock(&task->lock);
	bool last = --task->thread_count == 0 && task != &kernel_task;
	if (last)
		task->dying = true;
	spinlock_unlock(&task->lock);
	if (last)
		task_finish(task);
	task_put(task);
}

void task_kill(task_t *task, const task_exit_t *how)
{
	spinlock_lock(&task->lock);
	if (!task->exit_set) {
		task->exit = *how;
		task->exit_set = true;
	}
	task->dying = true;
	list_foreach (task->threads, task_link, thread_t, t)
		thread_interrupt(t);
	spinlock_unlock(&task->lock);
}

void task_detach(task_t *t)
{
	spinlock_lock(&t->lock);
	spinlock_lock(&tasks_lock);
	/* A zombie kept for its parent (task_finish saw it attached, no
	 * task_wait took it yet) is ours to reap. */
	bool reap = t->state == TASK_ZOMBIE && !t->detached && t->parent_id != 0;
	t->detached = true;
	spinlock_unlock(&tasks_lock);
	spinlock_unlock(&t->lock);
	if (reap)
		task_reap(t);
}

errno_t task_wait_ref(task_t *t, task_exit_t *exit, uint64_t timeout_ns)
{
	errno_t rc = EOK;
	spinlock_lock(&t->exit_wq.lock);
	if (t->state != TASK_ZOMBIE)
		rc = waitq_sleep_locked(&t->exit_wq, timeout_ns, WAITQ_INTERRUPTIBLE);
	else
		spinlock_unlock(&t->exit_wq.lock);
	if (rc == EOK)
		*exit = t->exit;
	return rc;
}

errno_t task_wait(uint64_t id, task_exit_t *exit, uint64_t timeout_ns)
{
	task_t *caller = THREAD->task;
	task_t *t = task_find(id);
	if (t == NULL)
		return ENOENT;
	errno_t rc = EPERM;
	if (t->parent_id == caller->id || (caller->perms & PERM_TASK))
		rc = task_wait_ref(t, exit, timeout_ns);
	if (rc == EOK) {
		spinlock_lock(&tasks_lock);
		bool reap = t->parent_id == caller->id && link_in_use(&t->all_link);
		if (reap)
			t->parent_id = 0;
		spinlock_unlock(&tasks_lock);
		if (reap)
			task_reap(t);
	}
	task_put(t);
	return rc;
}

void task_fault(const char *what, int code, uintptr_t addr, uintptr_t ip, bool has_addr)
{
	task_t *task = THREAD->task;
	if (has_addr)
		printf("task %llu (%s) killed: %s at %p, ip %p\n",
		    (unsigned long long) task->id, task->name, what, (void *) addr,
		    (void *) ip);
	else
		printf("task %llu (%s) killed: %s, ip %p\n",
		    (unsigned long long) task->id, task->name, what, (void *) ip);
	task_exit_t how = {
	    .how = TASK_EXIT_FAULT, .status = code, .fault_addr = addr, .fault_ip = ip};
	task_kill(task, &how);
	irq_enable();
	thread_exit();
}

#define IO_BITMAP_MAX 8192 /* bytes: all 65536 ports */

errno_t task_io_enable(task_t *task, uint32_t port, uint32_t size)
{
	if (size == 0 || port > 0xffff || size > 0x10000 - port)
		return EINVAL;
	size_t need = (port + size + 7) / 8;
	uint8_t *bitmap = kmalloc(IO_BITMAP_MAX);
	if (bitmap == NULL)
		return ENOMEM;
	spinlock_lock(&task->lock);
	if (task->io_bitmap == NULL) {
		memset(bitmap, 0xff, IO_BITMAP_MAX);
		task->io_bitmap = bitmap;
		bitmap = NULL;
	}
	for (uint32_t p = port; p < port + size; p++)
		task->io_bitmap[p / 8] &= (uint8_t) ~(1u << (p % 8));
	task->io_bitmap_bytes = MAX(task->io_bitmap_bytes, need);
	spinlock_unlock(&task->lock);
	kfree(bitmap);
	return EOK;
}

errno_t task_hwres_grant(task_t *t, uint32_t kind, uint64_t base, uint64_t size)
{
	hwres_set_t *next = kmalloc(sizeof(*next));
	if (next == NULL)
		return ENOMEM;
	spinlock_lock(&t->lock);
	*next = t->hwres;
	errno_t rc = t->hwres_released ? ENOENT : hwres_set_add(next, kind, base, size);
	if (rc == EOK) {
		spinlock_lock(&hw_claims_lock);
		rc = hwres_claims_add(&hw_claims, kind, base, size, t->id);
		spinlock_unlock(&hw_claims_lock);
	}
	if (rc == EOK)
		t->hwres = *next;
	spinlock_unlock(&t->lock);
	kfree(next);
	return rc;
}

/** Under @a task's lock: whether another task claims the range (EBUSY),
 *  else claims it for @a task when @a claim. */
static errno_t hwres_take_locked(
    task_t *task, uint32_t kind, uint64_t base, uint64_t size, bool claim)
{
	spinlock_lock(&hw_claims_lock);
	errno_t rc = hwres_claims_other_owner(&hw_claims, kind, base, size, task->id) != 0
	    ? EBUSY
	    : EOK;
	if (rc == EOK && claim)
		rc = hwres_claims_add(&hw_claims, kind, base, size, task->id);
	spinlock_unlock(&hw_claims_lock);
	return rc;
}

errno_t task_hwres_use(
    task_t *task, unsigned perm, uint32_t kind, uint64_t base, uint64_t size, bool claim)
{
	spinlock_lock(&task->lock);
	errno_t rc = EOK;
	if (hwres_set_covers(&task->hwres, kind, base, size))
		rc = EOK; /* granted: claimed for this task already */
	else if (!(task->perms & perm) || hwres_is_pci_config(kind, base, size))
		rc = EPERM;
	else if (!hwres_valid(kind, base, size))
		rc = EINVAL;
	else if (task->hwres_released)
		rc = EINTR;
	else
		rc = hwres_take_locked(task, kind, base, size, claim);
	spinlock_unlock(&task->lock);
	return rc;
}

bool task_drives_hw(task_t *task, unsigned perm)
{
	spinlock_lock(&task->lock);
	bool ok = (task->perms & perm) || hwres_set_any(&task->hwres);
	spinlock_unlock(&task->lock);
	return ok;
}

bool task_io_allowed(task_t *task, uint32_t port, unsigned width)
{
	if (task->io_bitmap == NULL || port + width > task->io_bitmap_bytes * 8)
		return false;
	for (uint32_t p = port; p < port + width; p++) {
		if (task->io_bitmap[p / 8] & (1u << (p % 8)))
			return false;
	}
	return true;
}

void task_foreach(void (*fn)(task_t *task, void *arg), void *arg)
{
	spinlock_lock(&tasks_lock);
	list_foreach (tasks, all_link, task_t, t)
		fn(t, arg);
	spinlock_unlock(&tasks_lock);
}

size_t task_count(void)
{
	return live_tasks;
}
