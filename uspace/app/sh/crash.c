/*
 * Crash reports: the shell is the exception handler of every program it
 * starts (named before the program runs). A program's fault comes here as
 * an IPC_M_EXCEPTION call: the shell prints the fault, the registers and a
 * symbolic backtrace (symbols from the program's file), then answers "kill";
 * the program then ends by its fault as it would have without a handler,
 * and the shell goes on.
 */
#include "sh.h"
#include <backtrace.h>
#include <exc.h>
#include <stdio.h>
#include <vfs.h>

/** Makes the shell the exception handler of program @a id (best effort: a
 *  program without it is killed by its faults all the same). */
void crash_watch(task_id_t id)
{
	DISCARD(best_effort, exc_handler_set_to_me(id, 0, 0));
}

static void crash_line(void *arg, const char *line)
{
	sh_printf(arg, -1, "%s\n", line);
}

static void crash_report(ipc_call_t *call, void *arg)
{
	sh_t *sh = arg;
	exc_info_t info;
	exc_info_get(call, &info);
	task_id_t id = ipc_get_task_id(call);
	task_info_t ti;
	if (task_get_info(id, &ti) != EOK)
		snprintf(ti.name, sizeof(ti.name), "?");
	sh_printf(sh, -1, "%s (task %llu, thread %llu): %s", ti.name,
	    (unsigned long long) id, (unsigned long long) info.thread_id,
	    exc_kind_name(info.kind));
	if (info.kind == EXC_KIND_PAGE)
		sh_printf(sh, -1, " at %#llx", (unsigned long long) info.fault_addr);
	sh_printf(sh, -1, ", ip %#llx\n", (unsigned long long) info.ip);
	char path[VFS_PATH_MAX + 1];
	elf_symbols_t syms;
	bool have_syms = backtrace_program_path(ti.name, path, sizeof(path)) == EOK &&
	    elf_symbols_load(path, &syms) == EOK;
	exc_regs_t regs;
	if (debug_regs_get(id, info.thread_id, &regs) == EOK) {
		backtrace_regs(&regs, crash_line, sh);
		backtrace_walk(id, &regs, have_syms ? &syms : NULL, crash_line, sh);
	}
	if (have_syms)
		elf_symbols_free(&syms);
	DISCARD(best_effort, exc_answer(call->cap, EXC_KILL, 0, 0));
}

void crash_reports_start(sh_t *sh)
{
	async_set_exception_handler(crash_report, sh);
}
