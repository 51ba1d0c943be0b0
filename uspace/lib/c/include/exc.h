/*
 * Exceptions as messages and the debug interface (abi/exc.h, docs/kernel.md):
 * thin wrappers of the system calls, and the decoding of an IPC_M_EXCEPTION
 * call. A task may use them on itself, its children, and with PERM_DEBUG on
 * any task.
 */
#ifndef LIBC_EXC_H
#define LIBC_EXC_H

#include <abi/exc.h>
#include <ipc.h>
#include <task.h>

/** Makes @a phone (CAP_NULL: none) the exception handler of thread @a thread
 *  (0: the whole task) of task @a task (0: the caller). EPERM, ENOENT. */
_NODISCARD errno_t exc_handler_set(task_id_t task, uint64_t thread, cap_handle_t phone);
/** Makes the caller itself the handler: its faults come to the caller's
 *  answerbox as IPC_M_EXCEPTION calls with @a label. */
_NODISCARD errno_t exc_handler_set_to_me(task_id_t task, uint64_t thread, sysarg_t label);
/** The fault's name ("page fault", "divide error", ...). */
const char *exc_kind_name(unsigned kind);
/** The six words of an IPC_M_EXCEPTION request. */
void exc_info_get(const ipc_call_t *call, exc_info_t *info);
/** Answers an IPC_M_EXCEPTION call: EXC_RESUME (at @a ip and @a sp; 0 keeps
 *  each) or EXC_KILL. EINVAL: refused (the faulting task is then killed). */
_NODISCARD errno_t exc_answer(
    cap_handle_t call, unsigned verdict, uintptr_t ip, uintptr_t sp);

/** Stops task @a task: each thread stops at its next return to user mode. */
_NODISCARD errno_t debug_stop(task_id_t task);
/** Lets the threads a debug_stop() stopped go on. */
_NODISCARD errno_t debug_resume(task_id_t task);
/** Up to @a max threads of @a task into @a buf; *@a count gets how many it has. */
_NODISCARD errno_t debug_threads(
    task_id_t task, exc_thread_info_t *buf, size_t max, size_t *count);
/** Registers of stopped (or faulted) thread @a thread; EBUSY while it runs. */
_NODISCARD errno_t debug_regs_get(task_id_t task, uint64_t thread, exc_regs_t *regs);
/** Sets them; EINVAL for an instruction or stack pointer outside user space. */
_NODISCARD errno_t debug_regs_set(
    task_id_t task, uint64_t thread, const exc_regs_t *regs);
/** Reads @a size (at most 65536) bytes at @a addr of @a task. */
_NODISCARD errno_t debug_mem_read(task_id_t task, uintptr_t addr, void *buf, size_t size);

#endif
