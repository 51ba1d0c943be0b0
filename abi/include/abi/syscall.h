/*
 * System call numbers and the calling convention (amd64).
 *
 * `syscall` with the number in RAX and arguments in RDI, RSI, RDX, R10, R8,
 * R9; the result (an errno_t or a value) comes back in RAX. Every other
 * register is preserved. An unknown number returns ENOSYS. Numbers are ABI:
 * append, never renumber.
 */
#ifndef ABI_SYSCALL_H
#define ABI_SYSCALL_H

#define SYS_KIO_WRITE	      0 /* (const char *buf, size_t len) */
#define SYS_THREAD_CREATE     1 /* (entry, stack_top, arg, name, name_len, uint64_t *tid) */
#define SYS_THREAD_EXIT	      2	 /* () */
#define SYS_THREAD_GET_ID     3	 /* (uint64_t *tid) */
#define SYS_THREAD_SLEEP      4	 /* (uint64_t usec) */
#define SYS_THREAD_YIELD      5	 /* () */
#define SYS_TASK_GET_ID	      6	 /* (uint64_t *id) */
#define SYS_TASK_SET_NAME     7	 /* (const char *name, size_t len) */
#define SYS_TASK_EXIT	      8	 /* (int status) */
#define SYS_AS_AREA_CREATE    9	 /* (uintptr_t *base, size_t size, unsigned flags) */
#define SYS_AS_AREA_RESIZE    10 /* (uintptr_t base, size_t size) */
#define SYS_AS_AREA_DESTROY   11 /* (uintptr_t base) */
#define SYS_AS_AREA_QUERY     12 /* (uintptr_t addr, as_area_info_t *info) */
#define SYS_CLOCK_GET	      13 /* (uint64_t *ns) monotonic */
#define SYS_TASK_SPAWN_MODULE 14 /* (const char *cmdline, size_t len, uint64_t *id) */
#define SYS_TASK_WAIT	      15 /* (uint64_t id, task_exit_t *exit, uint64_t usec) */
#define SYS_TASK_KILL	      16 /* (uint64_t id) */
#define SYS_PHYSMEM_MAP \
	17 /* (uintptr_t phys, size_t size, unsigned flags, uintptr_t *base) */
#define SYS_PERM_GRANT	    18 /* (uint64_t task_id, unsigned perms) */
#define SYS_PERM_GET	    19 /* (unsigned *perms) */
#define SYS_IRQ_SUBSCRIBE   20 /* (irq, method, const irq_cmd_t *, count, cap_handle_t *) */
#define SYS_IRQ_UNSUBSCRIBE 21 /* (cap) */
#define SYS_IOSPACE_ENABLE  22 /* (port, size) */
#define SYS_EVENT_SUBSCRIBE 23 /* (event, method) */
#define SYS_EVENT_UNMASK    24 /* (event) */
#define SYS_IPCLOG_CONTROL  25 /* (cmd, arg, arg2) PERM_IPCLOG */
#define SYS_IPCLOG_READ \
	26 /* (uint64_t *cursor, ipclog_record_t *, max, uint64_t *missed) */
#define SYS_KCONSOLE	 27 /* () PERM_TASK: enter the kernel console */
#define SYS_NOP		 28 /* () does nothing: measures the cost of a system call */
#define SYS_TASK_INFO	 29 /* (uint64_t id, task_info_t *) */
#define SYS_TASK_LIST	 30 /* (uint64_t *ids, size_t max) -> count of tasks */
#define SYS_KERNEL_STATS 31 /* (kernel_stats_t *) leak checks and tools */
#define SYS_FUTEX_WAIT \
	44 /* (uint32_t *addr, expected, usec) sleep while *addr == expected */
#define SYS_FUTEX_WAKE	   45 /* (uint32_t *addr, count) -> threads woken */
#define SYS_THREAD_SET_TLS 46 /* (base) the thread's FS base (thread-local data) */
/* (cap_handle_t *phone, uint64_t *id) a new program-loader task, our child */
#define SYS_TASK_SPAWN_LOADER 47
#define SYS_MODULE_SIZE	      48 /* (const char *name, size_t len, uint64_t *size) */
/* (const char *name, size_t len, uint64_t offset, void *buf, size_t size) */
#define SYS_MODULE_READ		 49
#define SYS_AS_AREA_CHANGE_FLAGS 50 /* (uintptr_t base, unsigned flags) */
/* (task id, HWRES_* kind, base, size): needs the kind's PERM_* (abi/hwres.h) */
#define SYS_HWRES_GRANT 51
/* (uint64_t *cursor, char *buf, size_t size, uint64_t *missed) -> bytes read */
#define SYS_KLOG_READ	 52
#define SYS_SYSTEM_POWER 53 /* (mode: POWER_*, abi/power.h) PERM_TASK */
/* (clock_params_t *) the clock's TSC conversion (abi/clock.h); ENOTSUP without one */
#define SYS_CLOCK_PARAMS 54
/* (size, DMAMEM_* flags, uintptr_t *base, uint64_t *phys): physically
 * contiguous zeroed memory for a device to reach by DMA; a driver holding a
 * device grant, or PERM_PHYSMEM. Freed with SYS_AS_AREA_DESTROY. */
#define SYS_DMAMEM_MAP 55
/* (task id, 0: self; quota_info_t *) a task's limits and use (abi/proc.h) */
#define SYS_QUOTA_GET 56
/* (task id, QUOTA_* kind, limit): lowers a limit of a task we control */
#define SYS_QUOTA_SET 57
/* (cap_handle_t h, cap_rights_t rights, cap_handle_t *out): a handle to
 * what h names with fewer rights (abi/cap.h). A phone: a new phone of the
 * same connection, revocable (needs CAP_RIGHT_CLONE); a call or an IRQ
 * subscription: h itself is replaced (it goes stale). */
#define SYS_CAP_DERIVE 67
/* (cap_handle_t h): h (made by SYS_CAP_DERIVE in this task) and every copy
 * made from it are hung up; their calls in flight are answered EHANGUP. */
#define SYS_CAP_REVOKE 68
/* (cap_handle_t h, cap_info_t *info) */
#define SYS_CAP_INFO 69
/* (cap_handle_t irq): ends the hold an IRQ_CMD_ACCEPT_HOLD put on the
 * subscription's line (abi/irq.h); needs CAP_RIGHT_ACK (EPERM). */
#define SYS_IRQ_ACK 70

/*
 * IPC system calls take and return more words than the six argument
 * registers: they use R0..R9 = RDI, RSI, RDX, R10, R8, R9, R12, R13, R14, R15
 * both ways (see docs/ipc.md for each call's layout).
 */
#define SYS_IPC_CALL	32 /* R0 phone, R1 method, R2-R6 args, R7 label */
#define SYS_IPC_WAIT	33 /* R0 usec (0 forever), R1 flags -> R0-R9 event */
#define SYS_IPC_ANSWER	34 /* R0 call, R1 retval, R2-R6 args */
#define SYS_IPC_FORWARD 35 /* R0 call, R1 phone, R2 method, R3-R7 args, R8 mode */
#define SYS_IPC_HANGUP	36 /* R0 phone, R1 flags */
#define SYS_IPC_POKE	37 /* () */
#define SYS_IPC_STATS	38 /* R0 task id (0: self), R1 ipc_stats_t * */
/* Combined: R0 phone, R1 method, R2-R6 args, R7 label, R8 usec, R9 flags
 * (IPC_CALL_WAIT_ANY) -> the answer (or with the flag, the next event). */
#define SYS_IPC_CALL_WAIT 39
/* Combined: R0 call, R1 retval, R2-R6 args, R7 usec, R8 flags -> the next event. */
#define SYS_IPC_ANSWER_WAIT 40
/* Slow forms, payload (ipc_payload_t) in user memory: R0 phone, R1 payload, R2 label. */
#define SYS_IPC_CALL_SLOW 41
/* R0 call, R1 payload (the return value in its method word). */
#define SYS_IPC_ANSWER_SLOW 42
/* R0 call, R1 phone, R2 payload, R3 mode. */
#define SYS_IPC_FORWARD_SLOW 43

#define SYS_IPC_FIRST 32
#define SYS_IPC_LAST  43
/* Exceptions as messages and the debug interface (abi/exc.h, docs/kernel.md). */
/* (task id, thread id, phone, label, flags) -> the task's or thread's handler */
#define SYS_EXC_HANDLER_SET 58
/* (task id, EXC_DEBUG_* command, arg) stop, resume */
#define SYS_DEBUG_CONTROL 59
/* (task id, exc_thread_info_t *buf, size_t max) -> number of threads */
#define SYS_DEBUG_THREADS 60
/* (task id, thread id, exc_regs_t *regs) */
#define SYS_DEBUG_REGS_GET 61
/* (task id, thread id, const exc_regs_t *regs) */
#define SYS_DEBUG_REGS_SET 62
/* (task id, uintptr_t addr, void *buf, size_t size) */
#define SYS_DEBUG_MEM_READ 63

/* SMP (docs/kernel.md, "Several CPUs"). */
/* (uint64_t mask) the calling thread runs only on the CPUs of mask (bit n:
 * CPU n) from now on, moving at once if it must; EINVAL for an empty mask
 * or a CPU that does not run */
#define SYS_THREAD_SET_AFFINITY 64
/* (uint32_t *cpu, uint32_t *count) the CPU running the caller, CPUs running */
#define SYS_CPU_INFO 65

/* User-space pagers (abi/pager.h): (uintptr_t *base, size_t size, unsigned
 * flags, const as_pager_t *pager) an area whose pages the pager supplies. */
#define SYS_AS_AREA_CREATE_PAGER 71
/* (uintptr_t addr, size_t size) unmaps part of an area (munmap): its end,
 * its start or its middle (the area splits in two); all of it destroys it. */
#define SYS_AS_AREA_UNMAP 72
/* (uintptr_t addr, size_t size) writes the dirty pages of the write-back
 * pager areas (AS_PAGER_WRITEBACK) in [addr, addr + size) back to their
 * pagers (IPC_M_PAGE_OUT) and waits for each answer (msync). */
#define SYS_AS_AREA_SYNC 73
/* (cap_handle_t call, void *buf, size_t size) copies the page that a
 * received IPC_M_PAGE_OUT call carries into buf (size: the page size the
 * call names) before the pager answers it. */
#define SYS_PAGER_PAGE_OUT_READ 74

/* (uint64_t task id, 0: the kernel; thread_info_t *buf, size_t max) ->
 * the number of the task's threads (may exceed max: ask again with more
 * room); fills up to max entries (abi/proc.h). ENOENT: no such task;
 * EINVAL: max above THREAD_INFO_MAX; EBADMEM: buf not writable. */
#define SYS_THREAD_INFO 66

/* The wall clock (time/rtc.h): (int64_t *base_ns) nanoseconds since 1970
 * at the monotonic clock's zero; EIO when the RTC gave no valid date. */
#define SYS_CLOCK_REALTIME 78

/* (const char *name, size_t len, uintptr_t *base, uint64_t *size) takes
 * boot module name over: its frames become a new area of the caller and
 * the module is gone (PERM_TASK; EBUSY while it is read). */
#define SYS_MODULE_TAKE 75
/* (uintptr_t base, size_t size, unsigned flags, const void *src, size_t len)
 * a read-only area at base (flags without AS_AREA_WRITE, for good) holding
 * the len bytes at src, then zeroes: a program's text. Its pages are shared
 * with every area made of the same bytes (compared in full first). */
#define SYS_AS_AREA_CREATE_IMAGE 76
/* (unsigned cpu, cpu_stats_t *out) that CPU's scheduling counters
 * (abi/proc.h): where time went and how threads moved. EINVAL: no such
 * CPU; EBADMEM: out not writable. */
#define SYS_CPU_STATS 77

/* (const char *name, size_t len, uintptr_t *base, uint64_t *size) maps
 * boot module name, an ELF file, read-only anywhere in the caller: its own
 * frames, no copy; it is kept (never taken) from then on. ENOEXEC: not an
 * ELF file; ENOTSUP: not page-aligned or other bytes in its last page. */
#define SYS_MODULE_MAP 81

#define SYSCALL_COUNT 82

#endif
