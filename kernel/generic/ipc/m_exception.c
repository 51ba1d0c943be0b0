/*
 * IPC_M_EXCEPTION: a fault reported to an exception handler (proc/exc.c).
 * Sent by the kernel only, on behalf of the faulting task, whose thread waits
 * for the answer (abi/exc.h has the payload):
 *   request:  args[0] = kind | error code << 32, args[1] = thread id,
 *             args[2] = instruction pointer, args[3] = fault address,
 *             args[4] = stack pointer
 *   answer:   EOK with args[0] = EXC_RESUME (args[1] a new instruction
 *             pointer, args[2] a new stack pointer, 0: unchanged) or
 *             EXC_KILL; anything else kills the task
 *   answerer: EINVAL for an unknown verdict or a pointer outside user space
 *             (the faulting task is then killed, the reason logged)
 */
#include <ipc/methods.h>
#include <arch/exc_regs.h>

/** Whether @a addr is 0 (keep) or a user address. */
static bool new_pointer_ok(sysarg_t addr)
{
	return addr == 0 || exc_user_address(addr);
}

static errno_t exc_answer_preprocess(call_t *call)
{
	if ((errno_t) call->data.method != EOK)
		return EOK;
	sysarg_t verdict = call->data.args[0];
	if (verdict == EXC_KILL)
		return EOK;
	if (verdict != EXC_RESUME)
		return EINVAL;
	if (!new_pointer_ok(call->data.args[1]) || !new_pointer_ok(call->data.args[2]))
		return EINVAL;
	return EOK;
}

const ipc_method_ops_t ipc_m_exception_ops = {
    .answer_preprocess = exc_answer_preprocess,
    .forwardable = true,
    .sendable = false,
};
