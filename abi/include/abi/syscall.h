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
#define SYS_PERM_GRANT 18 /* (uint64_t task_id, unsigned perms) */
#define SYS_PERM_GET   19 /* (unsigned *perms) */

#define SYSCALL_COUNT 20

#endif
