/*
 * IPC system calls. Payloads travel in registers (R0..R9, abi/syscall.h),
 * read from and written to the saved user registers in place
 * (arch/ipc_regs.h), so a call and its answer copy nothing from user memory.
 */
#include <ipc/ipc.h>
#include "ipc_priv.h"
#include <ipc/fastforward.h>
#include <cpu.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>

/** Method and arguments from R1..R6 (@a shift 0) or R2..R7 (@a shift 1). */
static void regs_to_data(const ipc_regs_t *s, bool shift, ipc_data_t *d)
{
	if (shift) {
		*d = (ipc_data_t){
		    IPC_R2(s), {IPC_R3(s), IPC_R4(s), IPC_R5(s), IPC_R6(s), IPC_R7(s)}};
	} else {
		*d = (ipc_data_t){
		    IPC_R1(s), {IPC_R2(s), IPC_R3(s), IPC_R4(s), IPC_R5(s), IPC_R6(s)}};
	}
}

static sysarg_t sys_ipc_call(ipc_regs_t *s)
{
	ipc_data_t data;
	regs_to_data(s, false, &data);
	return (sysarg_t) ipc_call(IPC_R0(s), &data, IPC_R7(s));
}

static sysarg_t sys_ipc_call_wait(ipc_regs_t *s)
{
	if (IPC_R9(s) > UINT32_MAX)
		return (sysarg_t) EINVAL;
	ipc_data_t data;
	regs_to_data(s, false, &data);
	ipc_event_t ev;
	errno_t rc = ipc_call_wait_general(IPC_R0(s), &data, IPC_R7(s),
	    ipc_usec_to_ns(IPC_R8(s)), (unsigned) IPC_R9(s), &ev);
	if (rc == EOK)
		ipc_event_to_regs(&ev, s);
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_answer_wait(ipc_regs_t *s)
{
	if ((IPC_R8(s) & ~(sysarg_t) IPC_WAIT_NONBLOCKING) != 0)
		return (sysarg_t) EINVAL;
	ipc_data_t data;
	regs_to_data(s, false, &data);
	ipc_event_t ev;
	errno_t rc = ipc_answer_wait_general(
	    IPC_R0(s), &data, ipc_usec_to_ns(IPC_R7(s)), (unsigned) IPC_R8(s), &ev);
	if (rc == EOK)
		ipc_event_to_regs(&ev, s);
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_wait(ipc_regs_t *s)
{
	if ((IPC_R1(s) & ~(sysarg_t) IPC_WAIT_NONBLOCKING) != 0)
		return (sysarg_t) EINVAL;
	errno_t rc;
	if (ipc_fast_wait(s, &rc))
		return (sysarg_t) rc;
	ipc_event_t ev;
	rc = ipc_wait(ipc_usec_to_ns(IPC_R0(s)), (unsigned) IPC_R1(s), &ev);
	if (rc == EOK)
		ipc_event_to_regs(&ev, s);
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_answer(ipc_regs_t *s)
{
	ipc_data_t data;
	regs_to_data(s, false, &data);
	errno_t rc = ipc_answer(IPC_R0(s), &data);
	ipc_data_to_regs(
	    &data, s); /* as delivered (e.g. where a shared area was mapped) */
	return (sysarg_t) rc;
}

static sysarg_t sys_ipc_forward(ipc_regs_t *s)
{
	errno_t rc;
	if (ipc_fast_forward(s, &rc))
		return (sysarg_t) rc;
	ipc_data_t data;
	regs_to_data(s, true, &data);
	if (IPC_R8(s) > UINT32_MAX)
		return (sysarg_t) EINVAL;
	return (sysarg_t) ipc_forward(IPC_R0(s), IPC_R1(s), &data, (unsigned) IPC_R8(s));
}

static sysarg_t sys_ipc_hangup(ipc_regs_t *s)
{
	if (IPC_R1(s) > UINT32_MAX)
		return (sysarg_t) EINVAL;
	return (sysarg_t) ipc_hangup(IPC_R0(s), (unsigned) IPC_R1(s));
}

static sysarg_t sys_ipc_stats(ipc_regs_t *s)
{
	task_t *t = IPC_R0(s) == 0 ? THREAD->task : task_find(IPC_R0(s));
	if (t == NULL)
		return (sysarg_t) ENOENT;
	ipc_stats_t stats = t->ipc_stats;
	stats.requests_taken = __atomic_load_n(&t->box.taken, __ATOMIC_RELAXED);
	if (IPC_R0(s) != 0)
		task_put(t);
	return (sysarg_t) copy_to_uspace(IPC_R1(s), &stats, sizeof(stats));
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

static sysarg_t sys_ipc_call_slow(ipc_regs_t *s)
{
	ipc_data_t data;
	errno_t rc = payload_in(IPC_R1(s), &data);
	return (sysarg_t) (rc == EOK ? ipc_call(IPC_R0(s), &data, IPC_R2(s)) : rc);
}

/** Writes @a d back to the user payload at @a uptr. */
static errno_t payload_out(sysarg_t uptr, const ipc_data_t *d)
{
	ipc_payload_t p = {.method = d->method};
	memcpy(p.args, d->args, sizeof(p.args));
	return copy_to_uspace(uptr, &p, sizeof(p));
}

static sysarg_t sys_ipc_answer_slow(ipc_regs_t *s)
{
	ipc_data_t data;
	errno_t rc = payload_in(IPC_R1(s), &data);
	/* The answer as delivered goes back into the payload: a buffer that
	 * cannot take it (read-only) fails here, before anything is answered. */
	if (rc == EOK)
		rc = payload_out(IPC_R1(s), &data);
	if (rc != EOK)
		return (sysarg_t) rc;
	rc = ipc_answer(IPC_R0(s), &data);
	/* Fails only if another thread unmapped the buffer meanwhile: the
	 * answer is gone all the same, the caller learns it lacks the result. */
	errno_t wrc = payload_out(IPC_R1(s), &data);
	return (sysarg_t) (rc != EOK ? rc : wrc);
}

static sysarg_t sys_ipc_forward_slow(ipc_regs_t *s)
{
	ipc_data_t data;
	if (IPC_R3(s) > UINT32_MAX)
		return (sysarg_t) EINVAL;
	errno_t rc = payload_in(IPC_R2(s), &data);
	return (sysarg_t) (rc == EOK
		? ipc_forward(IPC_R0(s), IPC_R1(s), &data, (unsigned) IPC_R3(s))
		: rc);
}

sysarg_t sys_ipc(sysarg_t num, ipc_regs_t *regs)
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
