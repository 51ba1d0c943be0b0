/*
 * Kernel console commands. Input is polled from the serial line; output goes
 * to the kernel console. Commands only read kernel state (under the locks
 * that guard it), so they are safe while the system runs.
 */
#include <kconsole.h>
#include <cpu.h>
#include <syscall.h>
#include <arch/asm.h>
#include <arch/cycle.h>
#include <cmdline.h>
#include <console.h>
#include <ipc/ipc.h>
#include <log/ipclog.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <printf.h>
#include <proc/exc.h>
#include <smp.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>
#include <system.h>
#include <test.h>
#include <time/clock.h>

#define LINE_MAX 128
#define ARGS_MAX 4

typedef struct {
	const char *name;
	const char *help;
	void (*run)(int argc, char **argv);
} command_t;

static uint64_t parse_u64(const char *s, bool *ok)
{
	uint64_t v = 0;
	*ok = *s != '\0';
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9') {
			*ok = false;
			return 0;
		}
		v = v * 10 + (uint64_t) (*s - '0');
	}
	return v;
}

static void cmd_version(int argc, char **argv)
{
	printf("Switchboard %s (%s)\n", CONFIG_VERSION, CONFIG_ARCH);
}

static void cmd_uptime(int argc, char **argv)
{
	uint64_t ms = clock_ns() / 1000000;
	printf("up %llu.%03llu s\n", (unsigned long long) ms / 1000,
	    (unsigned long long) ms % 1000);
}

static void print_task(task_t *t, void *arg)
{
	printf("%5llu %-16s %7zu %-7s %#6x %7llu %7llu\n", (unsigned long long) t->id,
	    t->name, t->thread_count, t->state == TASK_ZOMBIE ? "zombie" : "running",
	    t->perms, (unsigned long long) t->ipc_stats.calls_sent,
	    (unsigned long long) t->ipc_stats.calls_received);
}

static void cmd_tasks(int argc, char **argv)
{
	printf("%5s %-16s %7s %-7s %6s %7s %7s\n", "id", "name", "threads", "state",
	    "perms", "sent", "recv");
	task_foreach(print_task, NULL);
}

static const char *state_name(thread_state_t s)
{
	static const char *const names[] = {
	    "new", "ready", "running", "blocked", "exited"};
	return (unsigned) s < ARRAY_SIZE(names) ? names[s] : "?";
}

/** A stopped thread's reason (proc/exc.h): a debug stop, or the fault it
 *  waits on its exception handler for. Read without the task's lock: the
 *  console runs with everything else stopped. */
static void print_thread_stop(const exc_stop_t *stop)
{
	if (stop->state == EXC_THREAD_STOPPED)
		printf("      stopped by a debugger at ip %p\n",
		    (void *) exc_context_ip(stop->ctx));
	else
		printf(
		    "      faulted: exception %u at %p, ip %p; waits for its handler\n",
		    stop->kind, (void *) stop->addr, (void *) exc_context_ip(stop->ctx));
}

/** @a t's CPU time so far, in microseconds. Read while the other CPUs are
 *  stopped, so the running thread's uncharged stretch is added. */
static uint64_t thread_cpu_us(const thread_t *t)
{
	uint64_t cycles = t->cycles;
	if (t->state == THREAD_RUNNING && t->cpu->current == t)
		cycles += arch_cycle_count() - t->run_start;
	return clock_cycles_to_ns(cycles) / 1000;
}

static void print_thread(thread_t *t, void *arg)
{
	uint64_t us = thread_cpu_us(t);
	printf("%5llu %5llu %-16s %-8s %4d %3u %7llu.%03llu %7llu %7llu\n",
	    (unsigned long long) t->id, (unsigned long long) t->task->id, t->name,
	    state_name(t->state), t->priority, t->cpu->id,
	    (unsigned long long) (us / 1000), (unsigned long long) (us % 1000),
	    (unsigned long long) t->user_ticks,
	    (unsigned long long) (t->ticks - t->user_ticks));
	if (t->exc_stop != NULL)
		print_thread_stop(t->exc_stop);
}

static void cmd_threads(int argc, char **argv)
{
	printf("%5s %5s %-16s %-8s %4s %3s %11s %7s %7s\n", "id", "task", "name", "state",
	    "prio", "cpu", "cpu-ms", "utick", "ktick");
	thread_foreach(print_thread, NULL);
}

static void cmd_cpus(int argc, char **argv)
{
	printf("%3s %5s %5s %10s %8s %10s %7s %10s\n", "cpu", "load", "queue",
	    "interrupts", "ipis", "switches", "steals", "ticks");
	for (unsigned i = 0; i < cpu_count; i++) {
		const cpu_t *c = &cpus[i]; /* counters read racily: a snapshot */
		uint64_t busy = c->busy_ticks, idle = c->idle_ticks;
		uint64_t all = busy + idle;
		printf("%3u %4llu%% %5zu %10llu %8llu %10llu %7llu %10llu\n", i,
		    (unsigned long long) (all != 0 ? busy * 100 / all : 0),
		    c->ready_count, (unsigned long long) c->interrupts,
		    (unsigned long long) c->ipis,
		    (unsigned long long) c->context_switches,
		    (unsigned long long) c->steals, (unsigned long long) all);
	}
}

/** Finds the task named by argv[1] (an id); prints why not. */
static task_t *task_arg(int argc, char **argv)
{
	bool ok = false;
	uint64_t id = argc > 1 ? parse_u64(argv[1], &ok) : 0;
	task_t *t = ok ? task_find(id) : NULL;
	if (t == NULL)
		printf("%s: give the id of an existing task (see 'tasks')\n", argv[0]);
	return t;
}

static const char *phone_state_name(phone_state_t s)
{
	static const char *const names[] = {
	    "connecting", "connected", "hung up", "slammed"};
	return (unsigned) s < ARRAY_SIZE(names) ? names[s] : "?";
}

static void print_cap(cap_handle_t h, kobject_t *obj)
{
	if (obj->type == KOBJECT_PHONE) {
		phone_t *p = (phone_t *) obj;
		printf(
		    "  %#10llx phone  %-10s to task %llu, label %#llx, %zu unanswered\n",
		    (unsigned long long) h, phone_state_name(p->state),
		    (unsigned long long) (p->callee ? p->callee->task->id : 0),
		    (unsigned long long) p->label,
		    __atomic_load_n(&p->active_calls, __ATOMIC_RELAXED));
	} else if (obj->type == KOBJECT_CALL) {
		call_t *c = (call_t *) obj;
		printf("  %#10llx call   id %llu, method %llu from task %llu\n",
		    (unsigned long long) h, (unsigned long long) c->id,
		    (unsigned long long) c->request_method,
		    (unsigned long long) (c->sender ? c->sender->id : 0));
	} else {
		printf("  %#10llx irq\n", (unsigned long long) h);
	}
}

/** Prints the capabilities of @a t, only phones if @a phones_only. */
static void print_caps(task_t *t, bool phones_only)
{
	spinlock_lock(&t->caps.lock);
	for (uint32_t i = 0; i < t->caps.size; i++) {
		cap_slot_t *s = &t->caps.slots[i];
		if (s->obj == NULL || (phones_only && s->obj->type != KOBJECT_PHONE))
			continue;
		print_cap(((cap_handle_t) s->gen << CAP_SLOT_BITS) | (i + 1), s->obj);
	}
	spinlock_unlock(&t->caps.lock);
}

static void print_call_list(const char *what, list_t *list)
{
	printf(" %s:\n", what);
	list_foreach (*list, link, call_t, c)
		printf("  call %llu, method %llu, from task %llu\n",
		    (unsigned long long) c->id, (unsigned long long) c->request_method,
		    (unsigned long long) (c->sender ? c->sender->id : 0));
}

static void cmd_ipc(int argc, char **argv)
{
	task_t *t = task_arg(argc, argv);
	if (t == NULL)
		return;
	printf("task %llu (%s): answerbox %s\n phones:\n", (unsigned long long) t->id,
	    t->name, t->box.active ? "active" : "closed");
	print_caps(t, true);
	spinlock_lock(&t->box.wq.lock);
	print_call_list("queued calls", &t->box.calls);
	print_call_list("answers", &t->box.answers);
	printf(" notifications waiting: %zu\n", list_count(&t->box.notifications));
	spinlock_unlock(&t->box.wq.lock);
	task_put(t);
}

static void cmd_caps(int argc, char **argv)
{
	task_t *t = task_arg(argc, argv);
	if (t == NULL)
		return;
	printf("task %llu (%s): %zu capabilities\n", (unsigned long long) t->id, t->name,
	    cap_count(&t->caps));
	print_caps(t, false);
	task_put(t);
}

static void print_cache(const slab_cache_t *c, void *arg)
{
	printf("  %-16s %6zu %6zu %8zu\n", c->name, c->obj_size, c->slab_count,
	    c->objs_in_use);
}

static void cmd_mem(int argc, char **argv)
{
	frame_stats_t fs;
	frame_get_stats(&fs);
	printf("frames: %zu total, %zu free, %zu used (%zu KiB used)\n", fs.total,
	    fs.free, fs.total - fs.free, (fs.total - fs.free) * 4);
	printf("  %-16s %6s %6s %8s\n", "cache", "size", "slabs", "objects");
	kmem_foreach(print_cache, NULL);
}

static void print_record(const ipclog_record_t *r)
{
	printf("%8llu.%06llu %-7s call %-5llu %3llu -> %-3llu method %-5llu rc %lld\n",
	    (unsigned long long) r->time_ns / 1000000000,
	    (unsigned long long) (r->time_ns / 1000) % 1000000, ipclog_type_name(r->type),
	    (unsigned long long) r->call_id, (unsigned long long) r->sender,
	    (unsigned long long) r->receiver, (unsigned long long) r->method,
	    (long long) r->retval);
}

static void cmd_ipclog(int argc, char **argv)
{
	bool ok = true;
	uint64_t n = argc > 1 ? parse_u64(argv[1], &ok) : 20;
	uint64_t task = argc > 2 ? parse_u64(argv[2], &ok) : UINT64_MAX;
	if (!ok) {
		printf("usage: ipclog [N] [TASK]\n");
		return;
	}
	ipclog_status_t st;
	ipclog_status(&st);
	if (!st.enabled)
		printf("(the IPC log is off: boot with 'ipclog' or use the ipclog "
		       "program)\n");
	uint64_t cursor = st.head > n ? st.head - n : 0, missed;
	ipclog_record_t r;
	while (ipclog_read(&cursor, &r, 1, &missed) == 1) {
		if (task == UINT64_MAX || r.sender == task || r.receiver == task)
			print_record(&r);
	}
}

static void cmd_test(int argc, char **argv)
{
	ktest_run(argc > 1 ? argv[1] : NULL);
}

static void cmd_halt(int argc, char **argv)
{
	printf("Halting.\n");
	system_halt(SYSTEM_HALT_NORMAL);
}

static void cmd_reboot(int argc, char **argv)
{
	printf("Rebooting.\n");
	system_reboot();
}

static void cmd_help(int argc, char **argv);

static const command_t commands[] = {
    {"help", "list the commands", cmd_help},
    {"version", "kernel version", cmd_version},
    {"uptime", "time since boot", cmd_uptime},
    {"tasks", "tasks with thread counts, permissions and IPC counts", cmd_tasks},
    {"threads", "threads with state, priority, CPU, CPU time and user/kernel ticks",
	cmd_threads},
    {"cpus", "per CPU: load since boot, run queue, interrupts, IPIs, switches, steals",
	cmd_cpus},
    {"ipc", "ipc TASK: phones, queued calls, answers (caps: received calls)", cmd_ipc},
    {"caps", "caps TASK: the task's capabilities", cmd_caps},
    {"ipclog", "ipclog [N] [TASK]: the last N IPC log records", cmd_ipclog},
    {"mem", "frames and slab caches", cmd_mem},
    {"test", "test [NAME]: run kernel self-tests (NAME: a prefix)", cmd_test},
    {"continue", "leave the console and resume the system", NULL},
    {"halt", "stop the machine", cmd_halt},
    {"reboot", "restart the machine", cmd_reboot},
};

static void cmd_help(int argc, char **argv)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %-9s %s\n", commands[i].name, commands[i].help);
}

static int split(char *line, char **argv)
{
	int argc = 0;
	for (char *p = line; *p != '\0' && argc < ARGS_MAX;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	return argc;
}

void kconsole_execute(char *line, bool after_panic, bool *leave)
{
	char *argv[ARGS_MAX];
	int argc = split(line, argv);
	*leave = false;
	if (argc == 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		if (commands[i].run != NULL) {
			commands[i].run(argc, argv);
		} else if (after_panic) {
			printf("The system panicked; it cannot continue. Use 'halt' or "
			       "'reboot'.\n");
		} else {
			*leave = true;
		}
		return;
	}
	printf("Unknown command '%s'. Type 'help' for the list.\n", argv[0]);
}

/** Waits for a character (polled); lets other threads run unless panicking
 *  or entered from user space with interrupts off. */
static int read_char(bool after_panic)
{
	for (;;) {
		int c = console_poll_char();
		if (c >= 0)
			return c;
		if (after_panic || !irq_enabled())
			cpu_relax();
		else
			thread_sleep(5000000);
	}
}

/** Reads one line with echo and backspace editing. */
static void read_line(char *buf, size_t size, bool after_panic)
{
	size_t len = 0;
	for (;;) {
		int c = read_char(after_panic);
		if (c == '\r' || c == '\n') {
			printf("\n");
			buf[len] = '\0';
			return;
		}
		if ((c == 0x7f || c == '\b') && len > 0) {
			len--;
			printf("\b \b");
		} else if (c >= ' ' && c < 0x7f && len + 1 < size) {
			buf[len++] = (char) c;
			printf("%c", c);
		}
	}
}

void kconsole_run(bool after_panic)
{
	printf("Switchboard kernel console. Type 'help' for commands, 'continue' to "
	       "leave.\n");
	for (;;) {
		char line[LINE_MAX];
		printf("kconsole> ");
		read_line(line, sizeof(line), after_panic);
		bool leave;
		kconsole_execute(line, after_panic, &leave);
		if (leave)
			return;
	}
}

sysarg_t sys_kconsole(void)
{
	if (!(THREAD->task->perms & PERM_TASK))
		return (sysarg_t) EPERM;
	/* Interrupts stay off while the console runs: the system stands still
	 * and the serial driver in user space cannot take the typed characters
	 * away from it. */
	bool enabled = irq_save();
	kconsole_run(false);
	irq_restore(enabled);
	return EOK;
}
