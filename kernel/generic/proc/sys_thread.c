/*
 * Thread system calls. User threads are detached: they are reaped when they
 * exit; joining is a libc matter.
 */
#include <arch/layout.h>
#include <arch/syscall.h>
#include <arch/thread.h>
#include <cpu.h>
#include <proc/thread.h>
#include <smp.h>
#include <syscall.h>
#include <time/clock.h>
#include <uaccess.h>

static void user_thread_entry(void *arg)
{
	arch_enter_user(arch_thread_istate(THREAD));
}

sysarg_t sys_thread_create(sysarg_t entry, sysarg_t stack_top, sysarg_t arg,
    sysarg_t name, sysarg_t name_len, sysarg_t tid_out)
{
	char kname[THREAD_NAME_MAX];
	if (entry >= USER_SPACE_END || stack_top > USER_SPACE_END || stack_top < 16)
		return (sysarg_t) EINVAL;
	errno_t rc = copy_name_from_uspace(kname, sizeof(kname), name, name_len);
	uint64_t tid = 0;
	if (rc == EOK) /* probe the result pointer before creating anything */
		rc = copy_to_uspace(tid_out, &tid, sizeof(tid));
	if (rc != EOK)
		return (sysarg_t) rc;
	thread_t *t;
	rc = thread_create(THREAD->task, user_thread_entry, NULL, kname, &t);
	if (rc != EOK)
		return (sysarg_t) rc;
	t->user = true;
	arch_user_istate_init(arch_thread_istate(t), entry, stack_top, arg);
	tid = t->id;
	thread_detach(t);
	thread_start(t);
	copy_to_uspace(tid_out, &tid, sizeof(tid));
	return EOK;
}

sysarg_t sys_thread_exit(void)
{
	thread_exit();
}

sysarg_t sys_thread_get_id(sysarg_t tid_out)
{
	uint64_t id = THREAD->id;
	return (sysarg_t) copy_to_uspace(tid_out, &id, sizeof(id));
}

sysarg_t sys_thread_sleep(sysarg_t usec)
{
	const uint64_t max_usec = UINT64_MAX / 1000;
	return (sysarg_t) thread_sleep((usec > max_usec ? max_usec : usec) * 1000);
}

sysarg_t sys_thread_yield(void)
{
	thread_yield();
	return EOK;
}

sysarg_t sys_thread_set_affinity(sysarg_t mask)
{
	return (sysarg_t) thread_set_affinity(mask);
}

sysarg_t sys_cpu_info(sysarg_t cpu, sysarg_t count)
{
	uint32_t id = CPU->id, n = cpu_count;
	errno_t rc = copy_to_uspace(cpu, &id, sizeof(id));
	if (rc == EOK)
		rc = copy_to_uspace(count, &n, sizeof(n));
	return (sysarg_t) rc;
}

sysarg_t sys_cpu_stats(sysarg_t cpu, sysarg_t out)
{
	if (cpu >= cpu_count)
		return (sysarg_t) EINVAL;
	const cpu_t *c = &cpus[cpu]; /* counters read racily: a snapshot */
	cpu_stats_t s = {
	    .busy_ticks = c->busy_ticks,
	    .idle_ticks = c->idle_ticks,
	    .idle_cycles = c->idle != NULL
		? __atomic_load_n(&c->idle->cycles, __ATOMIC_RELAXED)
		: 0,
	    .interrupts = c->interrupts,
	    .ipis = c->ipis,
	    .context_switches = c->context_switches,
	    .steals = c->steals,
	    .pulls = c->pulls,
	};
	return (sysarg_t) copy_to_uspace(out, &s, sizeof(s));
}

sysarg_t sys_thread_set_tls(sysarg_t base)
{
	if (base >= USER_SPACE_END)
		return (sysarg_t) EINVAL;
	THREAD->tls = base;
	arch_tls_activate(THREAD);
	return EOK;
}
