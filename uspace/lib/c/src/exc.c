/*
 * Exceptions as messages and the debug interface: the system calls (exc.h).
 */
#include <exc.h>
#include <syscall.h>

errno_t exc_handler_set(task_id_t task, uint64_t thread, cap_handle_t phone)
{
	return (errno_t) syscall5(SYS_EXC_HANDLER_SET, task, thread, phone, 0, 0);
}

errno_t exc_handler_set_to_me(task_id_t task, uint64_t thread, sysarg_t label)
{
	return (errno_t) syscall5(
	    SYS_EXC_HANDLER_SET, task, thread, CAP_NULL, label, EXC_HANDLER_TO_ME);
}

const char *exc_kind_name(unsigned kind)
{
	switch (kind) {
	case EXC_KIND_DIVIDE:
		return "divide error";
	case EXC_KIND_BREAKPOINT:
		return "breakpoint";
	case EXC_KIND_OPCODE:
		return "invalid opcode";
	case EXC_KIND_GENERAL:
		return "general protection fault";
	case EXC_KIND_PAGE:
		return "page fault";
	case EXC_KIND_X87:
		return "x87 floating-point error";
	case EXC_KIND_ALIGNMENT:
		return "alignment check";
	case EXC_KIND_SIMD:
		return "SIMD floating-point error";
	default:
		return "exception";
	}
}

void exc_info_get(const ipc_call_t *call, exc_info_t *info)
{
	info->kind = (uint32_t) ipc_get_arg1(call);
	info->error = (uint32_t) (ipc_get_arg1(call) >> 32);
	info->thread_id = ipc_get_arg2(call);
	info->ip = ipc_get_arg3(call);
	info->fault_addr = ipc_get_arg4(call);
	info->sp = ipc_get_arg5(call);
}

errno_t exc_answer(cap_handle_t call, unsigned verdict, uintptr_t ip, uintptr_t sp)
{
	ipc_payload_t answer = {EOK, {verdict, ip, sp, 0, 0}};
	return ipc_answer(call, &answer);
}

errno_t debug_stop(task_id_t task)
{
	return (errno_t) syscall2(SYS_DEBUG_CONTROL, task, EXC_DEBUG_STOP);
}

errno_t debug_resume(task_id_t task)
{
	return (errno_t) syscall2(SYS_DEBUG_CONTROL, task, EXC_DEBUG_RESUME);
}

errno_t debug_threads(task_id_t task, exc_thread_info_t *buf, size_t max, size_t *count)
{
	sysarg_t rc = syscall3(SYS_DEBUG_THREADS, task, (sysarg_t) buf, max);
	if ((int64_t) rc < 0)
		return (errno_t) rc;
	*count = rc;
	return EOK;
}

errno_t debug_regs_get(task_id_t task, uint64_t thread, exc_regs_t *regs)
{
	return (errno_t) syscall3(SYS_DEBUG_REGS_GET, task, thread, (sysarg_t) regs);
}

errno_t debug_regs_set(task_id_t task, uint64_t thread, const exc_regs_t *regs)
{
	return (errno_t) syscall3(SYS_DEBUG_REGS_SET, task, thread, (sysarg_t) regs);
}

errno_t debug_mem_read(task_id_t task, uintptr_t addr, void *buf, size_t size)
{
	return (errno_t) syscall4(SYS_DEBUG_MEM_READ, task, addr, (sysarg_t) buf, size);
}
