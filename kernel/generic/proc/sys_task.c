/*
 * Task system calls: identity, exit, spawning boot modules, waiting, killing
 * and permissions. A task may act on its own children; PERM_TASK extends that
 * to every task.
 */
#include <arch/cycle.h>
#include <cpu.h>
#include <log/ipclog.h>
#include <proc/program.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>
#include <mm/as.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <ipc/ipc.h>

static task_t *current_task(void)
{
	return THREAD->task;
}

/** Whether the current task may control @a t. */
static bool may_control(const task_t *t)
{
	task_t *self = current_task();
	return (self->perms & PERM_TASK) || t->parent_id == self->id;
}

sysarg_t sys_task_get_id(sysarg_t id_out)
{
	uint64_t id = current_task()->id;
	return (sysarg_t) copy_to_uspace(id_out, &id, sizeof(id));
}

sysarg_t sys_task_set_name(sysarg_t name, sysarg_t len)
{
	char kname[TASK_NAME_MAX];
	errno_t rc = copy_name_from_uspace(kname, sizeof(kname), name, len);
	if (rc != EOK)
		return (sysarg_t) rc;
	if (kname[0] == '\0')
		return (sysarg_t) EINVAL;
	task_t *self = current_task();
	spinlock_lock(&self->lock);
	str_lcpy(self->name, kname, sizeof(self->name));
	spinlock_unlock(&self->lock);
	IPCLOG_NAME(self->id, 0, kname);
	return EOK;
}

sysarg_t sys_task_exit(sysarg_t status)
{
	task_exit_t how = {.how = TASK_EXIT_NORMAL, .status = (int) status};
	task_kill(current_task(), &how);
	return EOK; /* the thread exits on its way back to user mode */
}

sysarg_t sys_task_spawn_module(sysarg_t cmdline, sysarg_t len, sysarg_t id_out)
{
	char kcmd[TASK_CMDLINE_MAX];
	task_t *self = current_task();
	if (!(self->perms & PERM_TASK))
		return (sysarg_t) EPERM;
	errno_t rc = copy_name_from_uspace(kcmd, sizeof(kcmd), cmdline, len);
	uint64_t id = 0;
	if (rc == EOK)
		rc = copy_to_uspace(id_out, &id, sizeof(id));
	if (rc != EOK)
		return (sysarg_t) rc;
	task_t *child;
	rc = program_spawn_module(kcmd, self, 0, &child);
	if (rc != EOK)
		return (sysarg_t) rc;
	id = child->id;
	task_put(child);
	copy_to_uspace(id_out, &id, sizeof(id));
	return EOK;
}

/*
 * A new task running the program loader (the boot module "loader"), a
 * child of the caller with no permissions, detached (its exit goes to the
 * naming service), and a phone to it for the caller: the loader protocol
 * (abi/loader.h) then tells it what to run. Any task may spawn.
 */
sysarg_t sys_task_spawn_loader(sysarg_t phone_out, sysarg_t id_out)
{
	cap_handle_t h = 0;
	uint64_t id = 0;
	errno_t rc = copy_to_uspace(phone_out, &h, sizeof(h));
	if (rc == EOK)
		rc = copy_to_uspace(id_out, &id, sizeof(id));
	if (rc != EOK)
		return (sysarg_t) rc;
	task_t *self = current_task();
	task_t *loader;
	rc = program_spawn_module("loader", self, 0, &loader);
	if (rc != EOK)
		return (sysarg_t) rc;
	task_detach(loader);
	id = loader->id;
	rc = ipc_phone_connect_new(self, &loader->box, 0, &h);
	if (rc == EOK) {
		rc = copy_to_uspace(phone_out, &h, sizeof(h));
		if (rc == EOK)
			rc = copy_to_uspace(id_out, &id, sizeof(id));
		if (rc != EOK) /* unmapped meanwhile by another thread: undo */
			ipc_hangup(h, IPC_HANGUP_RELEASE);
	}
	if (rc != EOK) {
		task_exit_t how = {.how = TASK_EXIT_KILLED, .status = -1};
		task_kill(loader, &how);
	}
	task_put(loader);
	return (sysarg_t) rc;
}

sysarg_t sys_task_wait(sysarg_t id, sysarg_t exit_out, sysarg_t usec)
{
	task_exit_t exit = {0};
	errno_t rc = copy_to_uspace(exit_out, &exit, sizeof(exit));
	if (rc != EOK)
		return (sysarg_t) rc;
	const uint64_t max_usec = UINT64_MAX / 1000;
	rc = task_wait(id, &exit, (usec > max_usec ? max_usec : usec) * 1000);
	if (rc != EOK)
		return (sysarg_t) rc;
	return (sysarg_t) copy_to_uspace(exit_out, &exit, sizeof(exit));
}

sysarg_t sys_task_kill(sysarg_t id)
{
	if (id == 0)
		return (sysarg_t) EPERM;
	task_t *t = task_find(id);
	if (t == NULL)
		return (sysarg_t) ENOENT;
	errno_t rc = EPERM;
	if (may_control(t) || t == current_task()) {
		task_exit_t how = {.how = TASK_EXIT_KILLED, .status = -1};
		task_kill(t, &how);
		rc = EOK;
	}
	task_put(t);
	return (sysarg_t) rc;
}

/** Task @a id (a reference) if the caller may give it permissions or
 *  resources; NULL with ENOENT or EPERM in *@a rc. */
static task_t *controlled_task(sysarg_t id, errno_t *rc)
{
	task_t *t = task_find(id);
	if (t == NULL) {
		*rc = ENOENT;
		return NULL;
	}
	if (t == &kernel_task || !may_control(t)) {
		task_put(t);
		*rc = EPERM;
		return NULL;
	}
	return t;
}

sysarg_t sys_perm_grant(sysarg_t task_id, sysarg_t perms)
{
	task_t *self = current_task();
	if ((perms & ~(sysarg_t) PERM_ALL) != 0)
		return (sysarg_t) EINVAL;
	if ((perms & ~(sysarg_t) self->perms) != 0)
		return (sysarg_t) EPERM;
	errno_t rc;
	task_t *t = controlled_task(task_id, &rc);
	if (t == NULL)
		return (sysarg_t) rc;
	spinlock_lock(&t->lock);
	t->perms |= (unsigned) perms;
	spinlock_unlock(&t->lock);
	task_put(t);
	return (sysarg_t) EOK;
}

/** Permission a grant of @a kind needs; 0 for an unknown kind. */
static unsigned hwres_perm(sysarg_t kind)
{
	switch (kind) {
	case HWRES_IO:
		return PERM_IO;
	case HWRES_MEM:
		return PERM_PHYSMEM;
	case HWRES_IRQ:
	case HWRES_IRQ_SHARED:
		return PERM_IRQ;
	default:
		return 0;
	}
}

sysarg_t sys_hwres_grant(sysarg_t task_id, sysarg_t kind, sysarg_t base, sysarg_t size)
{
	task_t *self = current_task();
	unsigned perm = hwres_perm(kind);
	if (perm == 0)
		return (sysarg_t) EINVAL;
	if (!(self->perms & perm))
		return (sysarg_t) EPERM;
	errno_t rc;
	task_t *t = controlled_task(task_id, &rc);
	if (t == NULL)
		return (sysarg_t) rc;
	rc = task_hwres_grant(t, (uint32_t) kind, base, size);
	task_put(t);
	return (sysarg_t) rc;
}

sysarg_t sys_quota_get(sysarg_t id, sysarg_t info_out)
{
	task_t *t = id == 0 ? current_task() : task_find(id);
	if (t == NULL)
		return (sysarg_t) ENOENT;
	if (id == 0)
		task_get(t);
	quota_info_t info;
	quota_get(t, &info);
	task_put(t);
	return (sysarg_t) copy_to_uspace(info_out, &info, sizeof(info));
}

/* A task may lower its own limits and those of the tasks it controls. */
sysarg_t sys_quota_set(sysarg_t id, sysarg_t kind, sysarg_t limit)
{
	if (kind >= QUOTA_COUNT)
		return (sysarg_t) EINVAL;
	errno_t rc = EOK;
	task_t *t = id == 0 || id == current_task()->id ? current_task()
							: controlled_task(id, &rc);
	if (t == NULL)
		return (sysarg_t) rc;
	if (t == current_task())
		task_get(t);
	rc = quota_set(t, (unsigned) kind, limit);
	task_put(t);
	return (sysarg_t) rc;
}

sysarg_t sys_perm_get(sysarg_t perms_out)
{
	unsigned perms = current_task()->perms;
	return (sysarg_t) copy_to_uspace(perms_out, &perms, sizeof(perms));
}

static void fill_info(task_t *t, task_info_t *info)
{
	memset(info, 0, sizeof(*info));
	spinlock_lock(&t->lock);
	info->id = t->id;
	info->parent_id = t->parent_id;
	str_lcpy(info->name, t->name, sizeof(info->name));
	info->threads = (uint32_t) t->thread_count;
	info->perms = t->perms;
	info->zombie = t->state == TASK_ZOMBIE;
	info->flags = t->essential ? TASK_FLAG_ESSENTIAL : 0;
	info->cycles = t->ended_cycles;
	info->ticks = t->ended_ticks;
	info->user_ticks = t->ended_user_ticks;
	list_foreach (t->threads, task_link, thread_t, th) {
		info->cycles += __atomic_load_n(&th->cycles, __ATOMIC_RELAXED);
		info->ticks += th->ticks;
		info->user_ticks += th->user_ticks;
	}
	/* Under t->lock: the task's last thread, on any CPU, takes the
	 * address space away under it before destroying it (task.c). */
	info->resident_pages = t->as != NULL ? as_resident_pages(t->as) : 0;
	spinlock_unlock(&t->lock);
	info->calls_sent = t->ipc_stats.calls_sent;
	info->calls_received = t->ipc_stats.calls_received;
	info->answers_sent = t->ipc_stats.answers_sent;
	info->answers_received = t->ipc_stats.answers_received;
}

sysarg_t sys_task_info(sysarg_t id, sysarg_t info_out)
{
	task_t *t = task_find(id);
	if (t == NULL)
		return (sysarg_t) ENOENT;
	task_info_t info;
	fill_info(t, &info);
	task_put(t);
	return (sysarg_t) copy_to_uspace(info_out, &info, sizeof(info));
}

typedef struct {
	uint64_t ids[64];
	size_t count;
	size_t skip;
} id_batch_t;

static void collect_id(task_t *t, void *arg)
{
	id_batch_t *b = arg;
	if (b->skip > 0)
		b->skip--;
	else if (b->count < 64)
		b->ids[b->count++] = t->id;
}

sysarg_t sys_task_list(sysarg_t ids_out, sysarg_t max)
{
	if (max > (1u << 20))
		return (sysarg_t) EINVAL;
	if (!uspace_range_ok(ids_out, max * sizeof(uint64_t)))
		return (sysarg_t) EBADMEM;
	/* Copy in batches (user memory may fault, so not under tasks_lock). */
	for (size_t done = 0; done < max;) {
		id_batch_t b = {.count = 0, .skip = done};
		task_foreach(collect_id, &b);
		size_t n = MIN(b.count, max - done);
		errno_t rc = copy_to_uspace(
		    ids_out + done * sizeof(uint64_t), b.ids, n * sizeof(uint64_t));
		if (rc != EOK)
			return (sysarg_t) rc;
		done += n;
		if (b.count < 64)
			break;
	}
	return (sysarg_t) task_count(); /* may exceed max: ask again with more room */
}

/** The ABI's name (THREAD_INFO_*) for a thread state. */
static uint32_t thread_info_state(thread_state_t s)
{
	switch (s) {
	case THREAD_NEW:
		return THREAD_INFO_NEW;
	case THREAD_READY:
		return THREAD_INFO_READY;
	case THREAD_RUNNING:
		return THREAD_INFO_RUNNING;
	case THREAD_BLOCKED:
		return THREAD_INFO_BLOCKED;
	default:
		return THREAD_INFO_EXITED;
	}
}

/** What SYS_THREAD_INFO tells about @a th (its task's lock held: it stays
 *  in the task). Its counters are another CPU's: read racily (thread.h). */
static void fill_thread_info(const thread_t *th, thread_info_t *info)
{
	const cpu_t *cpu = __atomic_load_n(&th->cpu, __ATOMIC_RELAXED);
	bool idle = cpu->idle == th;
	memset(info, 0, sizeof(*info));
	info->id = th->id;
	info->task_id = th->task->id;
	str_lcpy(info->name, th->name, sizeof(info->name));
	info->state = thread_info_state(__atomic_load_n(&th->state, __ATOMIC_RELAXED));
	if (idle && cpu->current != th)
		info->state = THREAD_INFO_READY; /* the kernel keeps it RUNNING */
	info->cpu = cpu->id;
	info->priority = (uint32_t) th->priority;
	info->flags = idle ? THREAD_INFO_IDLE : 0;
	info->cycles = __atomic_load_n(&th->cycles, __ATOMIC_RELAXED);
	if (th == THREAD) /* our own: the stretch so far too (this CPU's) */
		info->cycles += arch_cycle_count() - th->run_start;
	info->ticks = th->ticks;
	info->user_ticks = th->user_ticks;
	info->switches = th->switches;
}

#define THREAD_INFO_BATCH 8

/** Fills @a out with up to THREAD_INFO_BATCH threads of @a t after the
 *  first @a skip; returns how many; *@a total: the threads on its list
 *  (not thread_count, which counts a thread until it is wholly freed). */
static size_t thread_info_batch(task_t *t, size_t skip, thread_info_t *out, size_t *total)
{
	size_t n = 0, i = 0;
	spinlock_lock(&t->lock);
	list_foreach (t->threads, task_link, thread_t, th) {
		if (i++ >= skip && n < THREAD_INFO_BATCH)
			fill_thread_info(th, &out[n++]);
	}
	spinlock_unlock(&t->lock);
	*total = i;
	return n;
}

/** Copies up to @a max thread records of @a t to @a buf in batches (user
 *  memory may fault, so never under the task's lock); returns the number of
 *  its threads, or an error. Threads that come and go between batches may
 *  be missed, but every record below min(result, max) is filled. */
static sysarg_t thread_info_copy(task_t *t, uintptr_t buf, size_t max)
{
	thread_info_t batch[THREAD_INFO_BATCH];
	size_t total = 0;
	size_t done = 0;
	do {
		size_t n = thread_info_batch(t, done, batch, &total);
		n = MIN(n, max - done);
		errno_t rc = copy_to_uspace(
		    buf + done * sizeof(thread_info_t), batch, n * sizeof(thread_info_t));
		if (rc != EOK)
			return (sysarg_t) rc;
		done += n;
		if (n < THREAD_INFO_BATCH)
			break;
	} while (done < max);
	return (sysarg_t) (done < max ? done : MAX(total, done));
}

sysarg_t sys_thread_info(sysarg_t task_id, sysarg_t buf, sysarg_t max)
{
	if (max > THREAD_INFO_MAX)
		return (sysarg_t) EINVAL;
	if (!uspace_range_ok(buf, max * sizeof(thread_info_t)))
		return (sysarg_t) EBADMEM;
	task_t *t = task_find(task_id);
	if (t == NULL)
		return (sysarg_t) ENOENT;
	sysarg_t rc = thread_info_copy(t, buf, max);
	task_put(t);
	return rc;
}

sysarg_t sys_kernel_stats(sysarg_t out)
{
	kernel_stats_t st;
	frame_stats_t fs;
	kmem_stats_t ks;
	kmem_reclaim_all(); /* cached empty slabs are not in use */
	frame_get_stats(&fs);
	kmem_get_stats(&ks);
	st.frames_total = fs.total;
	st.frames_free = fs.free;
	st.frames_committed = fs.committed;
	st.slab_objects = ks.objects - ipc_cached_call_count(); /* in use */
	st.kmalloc_large = ks.large_blocks;
	st.tasks = task_count();
	st.threads = thread_count();
	st.capabilities = cap_total();
	return (sysarg_t) copy_to_uspace(out, &st, sizeof(st));
}
