/*
 * Threads. thread_create() maps a stack area and puts a thread_start_t at its
 * top; the new thread enters thread_main() as if called, with RSP 8 below a
 * 16-byte boundary and a zero return address on the stack (so backtraces end
 * there), and RDI pointing at the record. thread_exit() recognises a libc
 * stack by that record and destroys the stack as the thread ends; the main
 * thread's stack belongs to the kernel and stays.
 */
#include "private/libc.h"
#include <as.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>

#define THREAD_START_MAGIC 0x7472617473726874ull

typedef struct {
	uint64_t magic;
	uintptr_t stack_base; /* the area holding this record */
	thread_fn_t fn;
	void *arg;
} thread_start_t;

_Static_assert(sizeof(thread_start_t) % 16 == 0, "keeps the entry RSP aligned");

static _Noreturn void thread_main(thread_start_t *start)
{
	start->fn(start->arg);
	thread_exit();
}

errno_t thread_create(thread_fn_t fn, void *arg, const char *name, thread_id_t *id)
{
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = as_area_create(
	    &base, THREAD_STACK_SIZE, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE);
	if (rc != EOK)
		return rc;
	thread_start_t *start = (thread_start_t *) (base + THREAD_STACK_SIZE) - 1;
	*start = (thread_start_t){
	    .magic = THREAD_START_MAGIC, .stack_base = base, .fn = fn, .arg = arg};
	uint64_t *sp = (uint64_t *) start - 1;
	*sp = 0; /* the return address thread_main never uses */
	if (name == NULL)
		name = "thread";
	thread_id_t tid;
	rc = (errno_t) syscall6(SYS_THREAD_CREATE, (sysarg_t) thread_main, (sysarg_t) sp,
	    (sysarg_t) start, (sysarg_t) name, strlen(name), (sysarg_t) &tid);
	if (rc != EOK) {
		as_area_destroy(base);
		return rc;
	}
	if (id != NULL)
		*id = tid;
	return EOK;
}

_Noreturn void thread_exit(void)
{
	as_area_info_t area;
	if (as_area_query((uintptr_t) &area, &area) == EOK) {
		thread_start_t *start = (thread_start_t *) (area.base + area.size) - 1;
		if (start->magic == THREAD_START_MAGIC && start->stack_base == area.base)
			__thread_exit_unmap(area.base);
	}
	syscall0(SYS_THREAD_EXIT);
	__builtin_trap();
}

thread_id_t thread_get_id(void)
{
	thread_id_t tid = 0;
	syscall1(SYS_THREAD_GET_ID, (sysarg_t) &tid);
	return tid;
}

errno_t thread_sleep(uint64_t usec)
{
	return (errno_t) syscall1(SYS_THREAD_SLEEP, usec);
}

void thread_yield(void)
{
	syscall0(SYS_THREAD_YIELD);
}
