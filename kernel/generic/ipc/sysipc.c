/*
 * IPC system calls. Payloads travel in registers (syscall_regs_t, see
 * abi/syscall.h), so a call and its answer copy nothing from user memory.
 */
#include <ipc/ipc.h>
#include <cpu.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>

static void regs_to_data(const syscall_regs_t *r, unsigned first, ipc_data_t *d)
{
	d->method = r->r[first];
	for (unsigned i = 0; i < IPC_CALL_ARGS; i++)
		d->args[i] = r->r[first + 1 + i];
}

static sysarg_t sys_ipc_call(syscall_regs_t *r)
{
	ipc_data_t data;
	regs_to_data(r, 1, &data);
	return (sysarg_t) ipc_call(r->r[0], &data, r->r[7]);
}

static void event_to_regs(const ipc_event_t *ev, syscall_regs_t *r)
{
	r->r[0] = ev->kind;
	r->r[1] = ev->imethod;
	for (unsigned i = 0; i < IPC_CALL_ARGS; i++)
		r->r[2 + i] = ev->args[i];
	r->r[7] = ev->label;
	r->r[8] = ev->cap;
	r->r[9] = ev->task_id;
}

static sysarg_t sys_ipc_call_wait(syscall_regs_t *r)
{
	ipc_data_t data;
	regs_to_data(r, 1, &data);
	ipc_event_t ev;
	if (r->r[9] > UINT32_MAX)
		return (sysarg_t) EINVAL;
	errno_t rc = ipc_call_wait(
	    r->r[0], &data, r->r[7], ipc_usec_to_ns(r->r[8]), (unsigned) r->r[9], &ev);
	if (rc == EOK)
		event_to_regs(&ev, r);
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_answer_wait(syscall_regs_t *r)
{
	if ((r->r[8] & ~(sysarg_t) IPC_WAIT_NONBLOCKING) != 0)
		return (sysarg_t) EINVAL;
	ipc_data_t data;
	regs_to_data(r, 1, &data);
	ipc_event_t ev;
	errno_t rc = ipc_answer_wait(
	    r->r[0], &data, ipc_usec_to_ns(r->r[7]), (unsigned) r->r[8], &ev);
	if (rc == EOK)
		event_to_regs(&ev, r);
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_wait(syscall_regs_t *r)
{
	if ((r->r[1] & ~(sysarg_t) IPC_WAIT_NONBLOCKING) != 0)
		return (sysarg_t) EINVAL;
	ipc_event_t ev;
	errno_t rc = ipc_wait(ipc_usec_to_ns(r->r[0]), (unsigned) r->r[1], &ev);
	if (rc == EOK)
		event_to_regs(&ev, r);
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_answer(syscall_regs_t *r)
{
	ipc_data_t data;
	regs_to_data(r, 1, &data);
	errno_t rc = ipc_answer(r->r[0], &data);
	/* The answer as delivered (e.g. where a shared area was mapped). */
	r->r[1] = data.method;
	for (unsigned i = 0; i < IPC_CALL_ARGS; i++)
		r->r[2 + i] = data.args[i];
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_forward(syscall_regs_t *r)
{
	ipc_data_t data;
	regs_to_data(r, 2, &data);
	if (r->r[8] > UINT32_MAX)
		return (sysarg_t) EINVAL;
	return (sysarg_t) ipc_forward(r->r[0], r->r[1], &data, (unsigned) r->r[8]);
}

static sysarg_t sys_ipc_hangup(syscall_regs_t *r)
{
	if (r->r[1] > UINT32_MAX)
		return (sysarg_t) EINVAL;
	return (sysarg_t) ipc_hangup(r->r[0], (unsigned) r->r[1]);
}

static sysarg_t sys_ipc_stats(syscall_regs_t *r)
{
	task_t *t = r->r[0] == 0 ? THREAD->task : task_find(r->r[0]);
	if (t == NULL)
		return (sysarg_t) ENOENT;
	ipc_stats_t stats = t->ipc_stats;
	if (r->r[0] != 0)
		task_put(t);
	return (sysarg_t) copy_to_uspace(r->r[1], &stats, sizeof(stats));
}

/** Reads a payload from user memory (the slow forms). */
static errno_t payload_in(sysarg_t uptr, ipc_data_t *d)
{
	ipc_payload_t p;
	errno_t rc = copy_from_uspace(&p, uptr, sizeof(p));
	if (rc != EOK)
		return rc;
	d->method = p.method;
	memcpy(d->args, p.args, sizeof(d->args));
	return EOK;
}

static sysarg_t sys_ipc_call_slow(syscall_regs_t *r)
{
	ipc_data_t data;
	errno_t rc = payload_in(r->r[1], &data);
	return (sysarg_t) (rc == EOK ? ipc_call(r->r[0], &data, r->r[2]) : rc);
}

static sysarg_t sys_ipc_answer_slow(syscall_regs_t *r)
{
	ipc_data_t data;
	errno_t rc = payload_in(r->r[1], &data);
	if (rc != EOK)
		return (sysarg_t) rc;
	rc = ipc_answer(r->r[0], &data);
	ipc_payload_t out = {.method = data.method};
	memcpy(out.args, data.args, sizeof(out.args));
	copy_to_uspace(r->r[1], &out, sizeof(out)); /* the answer as delivered */
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_forward_slow(syscall_regs_t *r)
{
	ipc_data_t data;
	if (r->r[3] > UINT32_MAX)
		return (sysarg_t) EINVAL;
	errno_t rc = payload_in(r->r[2], &data);
	return (sysarg_t) (rc == EOK
		? ipc_forward(r->r[0], r->r[1], &data, (unsigned) r->r[3])
		: rc);
}

sysarg_t sys_ipc(sysarg_t num, syscall_regs_t *regs)
{
	switch (num) {
	case SYS_IPC_CALL:
		return sys_ipc_call(regs);
	case SYS_IPC_WAIT:
		return sys_ipc_wait(regs);
	case SYS_IPC_ANSWER:
		return sys_ipc_answer(regs);
	case SYS_IPC_FORWARD:
		return sys_ipc_forward(regs);
	case SYS_IPC_HANGUP:
		return sys_ipc_hangup(regs);
	case SYS_IPC_POKE:
		ipc_poke();
		return EOK;
	case SYS_IPC_STATS:
		return sys_ipc_stats(regs);
	case SYS_IPC_CALL_WAIT:
		return sys_ipc_call_wait(regs);
	case SYS_IPC_ANSWER_WAIT:
		return sys_ipc_answer_wait(regs);
	case SYS_IPC_CALL_SLOW:
		return sys_ipc_call_slow(regs);
	case SYS_IPC_ANSWER_SLOW:
		return sys_ipc_answer_slow(regs);
	case SYS_IPC_FORWARD_SLOW:
		return sys_ipc_forward_slow(regs);
	default:
		return (sysarg_t) ENOSYS;
	}
}
