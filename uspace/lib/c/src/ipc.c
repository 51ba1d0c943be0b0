/*
 * IPC system calls: each packs its words into the ten IPC registers
 * (__syscall_ipc) and unpacks what comes back.
 */
#include "private/ipc.h"
#include <ipc.h>
#include <string.h>
#include <syscall.h>

errno_t ipc_call(cap_handle_t phone, const ipc_payload_t *msg, sysarg_t label)
{
	sysarg_t r[10] = {phone};
	msg_to_regs(msg, &r[1]);
	r[7] = label;
	return (errno_t) __syscall_ipc(SYS_IPC_CALL, r);
}

/** After a wait (result @a rc) whose event @a ev may be a request: counts it
 *  in the task's order (with several runners only); a REFUSED one (only a number) is not the caller's
 *  business, and the wait goes on (@a usec anew, as @a flags say). */
static errno_t event_taken(errno_t rc, ipc_event_t *ev, uint64_t usec, unsigned flags)
{
	while (rc == EOK && ipc_event_numbered(ev)) {
		if (ipc_request_must_count())
			__fibril_request_taken(ev);
		if (ev->kind != IPC_EVENT_REFUSED)
			break;
		rc = ipc_wait_regs(ev, usec, flags);
	}
	return rc;
}

errno_t ipc_wait(ipc_event_t *ev, uint64_t usec, unsigned flags)
{
	return event_taken(ipc_wait_regs(ev, usec, flags), ev, usec, flags);
}

errno_t ipc_answer(cap_handle_t call, ipc_payload_t *answer)
{
	sysarg_t r[10] = {call};
	msg_to_regs(answer, &r[1]);
	errno_t rc = (errno_t) __syscall_ipc(SYS_IPC_ANSWER, r);
	answer->method = r[1];
	for (unsigned i = 0; i < IPC_CALL_ARGS; i++)
		answer->args[i] = r[2 + i];
	return rc;
}

errno_t ipc_forward(
    cap_handle_t call, cap_handle_t phone, const ipc_payload_t *rewrite, unsigned mode)
{
	sysarg_t r[10] = {call, phone};
	if (rewrite != NULL)
		msg_to_regs(rewrite, &r[2]);
	r[8] = mode;
	return (errno_t) __syscall_ipc(SYS_IPC_FORWARD, r);
}

errno_t ipc_hangup(cap_handle_t phone, unsigned flags)
{
	sysarg_t r[10] = {phone, flags};
	return (errno_t) __syscall_ipc(SYS_IPC_HANGUP, r);
}

errno_t cap_derive(cap_handle_t h, cap_rights_t rights, cap_handle_t *derived)
{
	return (errno_t) syscall3(SYS_CAP_DERIVE, h, rights, (sysarg_t) derived);
}

errno_t cap_revoke(cap_handle_t h)
{
	return (errno_t) syscall1(SYS_CAP_REVOKE, h);
}

errno_t cap_info(cap_handle_t h, cap_info_t *info)
{
	return (errno_t) syscall2(SYS_CAP_INFO, h, (sysarg_t) info);
}

void ipc_poke(void)
{
	sysarg_t r[10] = {0};
	__syscall_ipc(SYS_IPC_POKE, r);
}

errno_t ipc_stats(task_id_t task, ipc_stats_t *stats)
{
	sysarg_t r[10] = {task, (sysarg_t) stats};
	return (errno_t) __syscall_ipc(SYS_IPC_STATS, r);
}

errno_t ipc_call_wait(cap_handle_t phone, const ipc_payload_t *msg, sysarg_t label,
    uint64_t usec, ipc_event_t *ev)
{
	return ipc_call_wait_regs(phone, msg, label, usec, 0, ev);
}

errno_t ipc_call_wait_any(cap_handle_t phone, const ipc_payload_t *msg, sysarg_t label,
    uint64_t usec, ipc_event_t *ev)
{
	errno_t rc = ipc_call_wait_regs(phone, msg, label, usec, IPC_CALL_WAIT_ANY, ev);
	return event_taken(rc, ev, usec, 0);
}

errno_t ipc_answer_wait(cap_handle_t call, const ipc_payload_t *answer, uint64_t usec,
    unsigned flags, ipc_event_t *ev)
{
	errno_t rc = ipc_answer_wait_regs(call, answer, usec, flags, ev);
	return event_taken(rc, ev, usec, flags);
}

errno_t ipc_irq_subscribe(
    int irq, sysarg_t method, const irq_cmd_t *cmds, size_t count, cap_handle_t *handle)
{
	return (errno_t) syscall5(SYS_IRQ_SUBSCRIBE, (sysarg_t) irq, method,
	    (sysarg_t) cmds, count, (sysarg_t) handle);
}

errno_t ipc_irq_subscribe_on(int irq, unsigned cpu, sysarg_t method,
    const irq_cmd_t *cmds, size_t count, cap_handle_t *handle)
{
	if (irq < 0 || cpu == UINT32_MAX) /* cpu + 1 must fit in 32 bits */
		return EINVAL;
	return (errno_t) syscall5(SYS_IRQ_SUBSCRIBE, IRQ_ON_CPU(irq, cpu), method,
	    (sysarg_t) cmds, count, (sysarg_t) handle);
}

errno_t ipc_irq_unsubscribe(cap_handle_t handle)
{
	return (errno_t) syscall1(SYS_IRQ_UNSUBSCRIBE, handle);
}

errno_t ipc_irq_ack(cap_handle_t handle)
{
	return (errno_t) syscall1(SYS_IRQ_ACK, handle);
}

errno_t ipc_event_subscribe(unsigned event, sysarg_t method)
{
	return (errno_t) syscall2(SYS_EVENT_SUBSCRIBE, event, method);
}

errno_t ipc_event_unmask(unsigned event)
{
	return (errno_t) syscall1(SYS_EVENT_UNMASK, event);
}
