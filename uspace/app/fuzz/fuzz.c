/*
 * fuzz: the system-call fuzzer. Calls every system call with generated
 * arguments that know their types: handles of the right and wrong type,
 * stale and random ones; pointers that are NULL, kernel, unmapped, read-only,
 * straddling the end of user space or valid; sizes around every limit; random
 * methods and IRQ code. Several fuzzing tasks run at once and are killed at
 * random points while new ones are spawned. Everything follows from the seed,
 * so a run can be repeated; the kernel must never panic or hang.
 *
 *   fuzz [--seed N] [--calls N] [--seconds N] [--trace I]
 *                                                  the parent (testtask=fuzz);
 *                                                  --trace prints every call from
 *                                                  number I on (to find a crash)
 *   fuzz --child SEED                              a fuzzing child
 *   fuzz --server                                  an IPC peer for the fuzzers
 *
 * Output: `fuzz: seed S: N calls, T tasks spawned, K killed: ok` (exit 0).
 */
#include <abi/ipc.h>
#include <stdbool.h>
#include <abi/irq.h>
#include <as.h>
#include <ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <getopt.h>

#define USAGE "[--seed N] [--calls N] [--seconds N] [--trace N] (make fuzz boots it)"
#include <time.h>

#define USER_END    0x0000800000000000ull
#define KERNEL_ADDR 0xffffffff80100000ull
#define CHILDREN    3
#define POOL	    8

static uint64_t rng_state;
/* "Valid" pointers point into a sandbox area with nothing mapped after it, so
 * whatever size the kernel is told, it can only write there (or fail). */
#define SANDBOX	     0x600000000000ull
#define SANDBOX_SIZE (1u << 20)
static uint8_t *const buffer = (uint8_t *) SANDBOX;
static const uint8_t rodata_bytes[64] = {1};
static cap_handle_t phones[POOL]; /* phones (and later stale handles) */
static cap_handle_t calls[POOL];  /* call handles we received */
static uintptr_t areas[POOL];	  /* areas we created */

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static uint64_t pick(const uint64_t *values, size_t n)
{
	return values[rnd() % n];
}

static uint64_t gen_pointer(void)
{
	const uint64_t p[] = {0, KERNEL_ADDR, 0x700000000000ull, (uint64_t) rodata_bytes,
	    USER_END - 8, USER_END - 4096, UINT64_MAX - 7, (uint64_t) buffer,
	    (uint64_t) buffer + 4000, rnd()};
	return pick(p, sizeof(p) / sizeof(p[0]));
}

static uint64_t gen_size(void)
{
	const uint64_t s[] = {0, 1, 7, 8, 31, 32, 64, 255, 4095, 4096, 4097, 65536, 65537,
	    1ull << 30, UINT64_MAX, rnd() % 10000};
	return pick(s, sizeof(s) / sizeof(s[0]));
}

static uint64_t gen_handle(void)
{
	const uint64_t h[] = {0, 1, phones[rnd() % POOL], calls[rnd() % POOL],
	    phones[rnd() % POOL] + (1ull << 24), 0xdeadbeef, rnd()};
	return pick(h, sizeof(h) / sizeof(h[0]));
}

static uint64_t gen_method(void)
{
	return rnd() % 2 ? rnd() % 16 : IPC_FIRST_USER_METHOD + rnd() % 8;
}

static uint64_t gen_any(void)
{
	switch (rnd() % 4) {
	case 0:
		return gen_pointer();
	case 1:
		return gen_size();
	case 2:
		return gen_handle();
	default:
		return rnd();
	}
}

static void ipc_fuzz(sysarg_t num)
{
	sysarg_t r[10];
	for (int i = 0; i < 10; i++)
		r[i] = gen_any();
	r[0] = rnd() % 4 ? phones[rnd() % POOL] : gen_handle();
	if (num == SYS_IPC_WAIT) {
		r[0] = 1 + rnd() % 1000; /* never block for long (0 would be forever) */
		r[1] = rnd() % 3 ? IPC_WAIT_NONBLOCKING : rnd() % 4;
	} else if (num == SYS_IPC_ANSWER || num == SYS_IPC_ANSWER_SLOW ||
	    num == SYS_IPC_FORWARD || num == SYS_IPC_FORWARD_SLOW) {
		r[0] = calls[rnd() % POOL];
	} else if (num == SYS_IPC_CALL || num == SYS_IPC_CALL_WAIT) {
		r[1] = gen_method();
		r[8] = 1 + rnd() % 1000; /* call-and-wait timeout in µs */
	} else if (num == SYS_IPC_ANSWER_WAIT) {
		r[0] = calls[rnd() % POOL];
		r[7] = 1 + rnd() % 1000;
		r[8] = rnd() % 2;
	} else if (num == SYS_IPC_HANGUP && rnd() % 8 != 0) {
		return; /* keep the phones mostly alive */
	}
	errno_t rc = (errno_t) __syscall_ipc(num, r);
	if (num == SYS_IPC_WAIT && rc == EOK && r[0] == IPC_EVENT_REQUEST)
		calls[rnd() % POOL] = r[8];
}

/** Grants of every kind, valid and not, to ourselves, children that may be
 *  gone and tasks that are not ours. */
static void hwres_fuzz(void)
{
	const uint64_t tasks[] = {0, 1, 999999, rnd() % 64, UINT64_MAX};
	const uint64_t bases[] = {0, 0x3f8, 0xb8000, 0xfffe, 0x10000, rnd()};
	const uint64_t sizes[] = {0, 1, 8, 0x1000, 0x10000, gen_size()};
	syscall4(
	    SYS_HWRES_GRANT, pick(tasks, 5), rnd() % 5, pick(bases, 6), pick(sizes, 6));
}

static void irq_fuzz(void)
{
	irq_cmd_t cmds[4];
	for (int i = 0; i < 4; i++) {
		cmds[i].cmd = (uint32_t) (rnd() % (IRQ_CMD_LAST + 2));
		cmds[i].port = rnd() % 2 ? 0x80 : (uint32_t) rnd();
		cmds[i].value = rnd() % 8;
		cmds[i].src = (uint32_t) (rnd() % 8);
		cmds[i].dst = (uint32_t) (rnd() % 8);
	}
	const uint64_t lines[] = {5, 9, 10, 11, 0, 99};
	cap_handle_t h;
	uint64_t where = rnd() % 4 ? (uint64_t) &h : gen_pointer();
	if (syscall5(SYS_IRQ_SUBSCRIBE, pick(lines, 6), gen_method(),
		rnd() % 4 ? (uint64_t) cmds : gen_pointer(), rnd() % 6, where) == EOK &&
	    rnd() % 2)
		syscall1(SYS_IRQ_UNSUBSCRIBE, h);
}

static void area_fuzz(void)
{
	size_t slot = rnd() % POOL;
	if (areas[slot] != 0 && rnd() % 2) {
		if (rnd() % 2)
			DISCARD(fuzzing, as_area_destroy(areas[slot]));
		else
			DISCARD(fuzzing, as_area_resize(areas[slot], gen_size()));
		areas[slot] = 0;
		return;
	}
	/* Fixed addresses come from their own region, so that the "bad" pointers
	 * of gen_pointer() stay unmapped; some are invalid on purpose. */
	const uint64_t bases[] = {AS_AREA_ANY,
	    0x500000000000ull + (rnd() % 64) * 0x100000, 0, 0x1000, KERNEL_ADDR, USER_END,
	    0x500000000001ull};
	uintptr_t base = pick(bases, sizeof(bases) / sizeof(bases[0]));
	unsigned flags = (unsigned) (rnd() % 16);
	if (as_area_create(&base, gen_size() % (1 << 22), flags) == EOK) {
		if (areas[slot] != 0)
			DISCARD(fuzzing, as_area_destroy(areas[slot]));
		areas[slot] = base;
		if (flags & AS_AREA_WRITE)
			*(volatile uint8_t *) base = 1; /* demand paging */
	}
}

/** A loader task now and then (its phone hung up at once, so it ends);
 *  mostly bad result pointers. */
static void loader_fuzz(void)
{
	cap_handle_t phone;
	uint64_t id;
	bool good = rnd() % 4 == 0;
	if (syscall2(SYS_TASK_SPAWN_LOADER, good ? (uint64_t) &phone : gen_pointer(),
		good ? (uint64_t) &id : gen_pointer()) == EOK &&
	    good)
		DISCARD(fuzzing, ipc_hangup(phone, IPC_HANGUP_RELEASE));
}

/** Boot-module reads: real and bogus names, offsets and sizes at and past
 *  the end, bad buffers. */
static void module_fuzz(sysarg_t num)
{
	static const char *const names[] = {"hello", "fuzz", "", "no-such", "hello x"};
	const char *name = names[rnd() % 5];
	uint64_t name_ptr = rnd() % 8 ? (uint64_t) name : gen_pointer();
	uint64_t len = rnd() % 8 ? strlen(name) : gen_size();
	if (num == SYS_MODULE_SIZE)
		syscall3(
		    num, name_ptr, len, rnd() % 2 ? (uint64_t) buffer : gen_pointer());
	else
		syscall5(num, name_ptr, len, gen_size(),
		    rnd() % 2 ? (uint64_t) buffer : gen_pointer(),
		    gen_size() % SANDBOX_SIZE);
}

/** New rights for our own areas (never the sandbox: the kernel must be able
 *  to write there) or for addresses with no area of ours. */
static void change_flags_fuzz(void)
{
	const uint64_t bad[] = {0, 0x1000, KERNEL_ADDR, USER_END, SANDBOX + 1};
	uint64_t base = rnd() % 2 ? areas[rnd() % POOL] : pick(bad, 5);
	syscall2(SYS_AS_AREA_CHANGE_FLAGS, base, rnd() % 32);
}

static uint64_t trace_from = UINT64_MAX; /* print every call from this one on */
static uint64_t call_index;

/** One random system call. Calls that would end or block us are shaped. */
static void one_call(bool privileged)
{
	sysarg_t num = rnd() % SYSCALL_COUNT;
	if (++call_index >= trace_from)
		printf("fuzz: call %llu: number %llu (rng %llx)\n",
		    (unsigned long long) call_index, (unsigned long long) num,
		    (unsigned long long) rng_state);
	switch (num) {
	case SYS_THREAD_EXIT:
	case SYS_TASK_EXIT:
	case SYS_KCONSOLE:
		return; /* would end the fuzzer or enter the console */
	case SYS_THREAD_SLEEP:
		syscall1(num, rnd() % 100);
		return;
	case SYS_KIO_WRITE: {
		/* Bad pointers with any size, or nothing to print: no console noise. */
		const uint64_t bad[] = {
		    0, KERNEL_ADDR, 0x700000000000ull, USER_END - 8, UINT64_MAX - 7};
		if (rnd() % 8)
			syscall2(num, pick(bad, 5), gen_size());
		else
			syscall2(num, (uint64_t) buffer, 0);
		return;
	}
	case SYS_THREAD_CREATE:
		return; /* covered by utest: a random entry point would just fault */
	case SYS_TASK_KILL:
	case SYS_TASK_WAIT:
		if (num == SYS_TASK_WAIT)
			syscall3(num, rnd() % 64, gen_pointer(), 1 + rnd() % 100);
		else if (!privileged)
			syscall1(num, rnd() % 64); /* no PERM_TASK: EPERM or ENOENT */
		return;
	case SYS_TASK_SPAWN_MODULE:
		if (!privileged)
			syscall3(num, gen_pointer(), gen_size(), gen_pointer());
		return;
	case SYS_AS_AREA_CREATE:
	case SYS_AS_AREA_RESIZE:
	case SYS_AS_AREA_DESTROY:
		area_fuzz();
		return;
	case SYS_IRQ_SUBSCRIBE:
		irq_fuzz();
		return;
	case SYS_FUTEX_WAIT:
		syscall3(
		    num, gen_pointer(), rnd() % 4, 1 + rnd() % 100); /* never forever */
		return;
	case SYS_THREAD_SET_TLS:
		/* Only invalid bases: a valid one would take libc's errno away. */
		syscall1(num, rnd() % 2 ? KERNEL_ADDR : USER_END);
		return;
	case SYS_PERM_GRANT:
		/* Never PERM_TASK: a child with it could kill the fuzzer itself. */
		syscall2(num, rnd() % 64, rnd() & ~(uint64_t) PERM_TASK);
		return;
	case SYS_IOSPACE_ENABLE:
		syscall2(num, rnd() % 2 ? 0x80 : rnd(), rnd() % 16);
		return;
	case SYS_TASK_SPAWN_LOADER:
		loader_fuzz();
		return;
	case SYS_MODULE_SIZE:
	case SYS_MODULE_READ:
		module_fuzz(num);
		return;
	case SYS_AS_AREA_CHANGE_FLAGS:
		change_flags_fuzz();
		return;
	case SYS_SYSTEM_POWER:
		/* Only without PERM_TASK (EPERM, or EINVAL for a bad mode): with it
		 * the machine would go down. */
		if (!privileged)
			syscall1(num, rnd() % 4);
		return;
	case SYS_KLOG_READ:
		syscall4(num, gen_pointer(), gen_pointer(), gen_size(), gen_pointer());
		return;
	case SYS_HWRES_GRANT:
		hwres_fuzz();
		return;
	case SYS_PHYSMEM_MAP: {
		uintptr_t base;
		if (syscall4(num, rnd() % 2 ? 0xb8000 : rnd(), gen_size() % (1 << 20),
			rnd() % 16, rnd() % 2 ? (uint64_t) &base : gen_pointer()) == EOK)
			DISCARD(fuzzing, as_area_destroy(base));
		return;
	}
	default:
		break;
	}
	if (num >= SYS_IPC_FIRST && num <= SYS_IPC_LAST) {
		ipc_fuzz(num);
		return;
	}
	syscall6(num, gen_any(), gen_any(), gen_any(), gen_any(), gen_any(), gen_any());
}

/** A peer that answers (or refuses, or ignores) whatever arrives. */
static _Noreturn void serve(void)
{
	sysarg_t r[10] = {1, IPC_M_CONNECT_TO_ME, 0, 0, 0, 0, 0, 5};
	__syscall_ipc(SYS_IPC_CALL, r);
	rng_state = 0x5e4e4;
	for (;;) {
		memset(r, 0, sizeof(r));
		if ((errno_t) __syscall_ipc(SYS_IPC_WAIT, r) != EOK)
			continue;
		if (r[0] != IPC_EVENT_REQUEST || rnd() % 16 == 0)
			continue; /* now and then a call stays unanswered */
		sysarg_t a[10] = {
		    r[8], rnd() % 2 ? EOK : (sysarg_t) ENOENT, gen_pointer(), gen_size()};
		__syscall_ipc(SYS_IPC_ANSWER, a);
	}
}

/** Starts a server and accepts its registration; returns the phone. */
static cap_handle_t start_server(void)
{
	task_id_t id;
	if (task_spawn_module("fuzz --server", &id) != EOK)
		return 0;
	for (int tries = 0; tries < 1000; tries++) {
		sysarg_t r[10] = {100000, 0};
		if ((errno_t) __syscall_ipc(SYS_IPC_WAIT, r) != EOK)
			continue;
		if (r[0] == IPC_EVENT_REQUEST && r[1] == IPC_M_CONNECT_TO_ME) {
			sysarg_t a[10] = {r[8], EOK};
			__syscall_ipc(SYS_IPC_ANSWER, a);
			return r[6];
		}
	}
	return 0;
}

static _Noreturn void fuzz_child(uint64_t seed)
{
	rng_state = seed | 1;
	uintptr_t sandbox = SANDBOX;
	DISCARD(fuzzing,
	    as_area_create(&sandbox, SANDBOX_SIZE, AS_AREA_READ | AS_AREA_WRITE));
	for (;;)
		one_call(false);
}

/** The options that take a number; the modes its own children run in
 *  (--child N, --server) come first and alone. */
static const char *const number_options[] = {
    "--seed", "--calls", "--seconds", "--trace", "--child", NULL};

/** True when argv is "--server" or pairs of a number option and a number;
 *  otherwise reports the first bad word with the usage. */
static bool arguments_ok(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--server") == 0)
		return true;
	for (int i = 1; i < argc; i += 2) {
		bool known = false;
		for (const char *const *o = number_options; *o != NULL; o++)
			known |= strcmp(argv[i], *o) == 0;
		char *end = NULL;
		if (known && i + 1 < argc)
			(void) strtoull(argv[i + 1], &end, 0);
		if (!known || end == NULL || end == argv[i + 1] || *end != '\0') {
			if (known)
				fprintf(
				    stderr, "fuzz: option %s needs a number\n", argv[i]);
			else
				fprintf(stderr, "fuzz: unknown option %s\n", argv[i]);
			cmd_usage_error(argv[0], USAGE);
			return false;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (!arguments_ok(argc, argv))
		return CMD_EXIT_USAGE;
	uint64_t seed = 1, calls_wanted = 100000, seconds = 0;
	for (int i = 1; i + 1 < argc; i += 2) {
		uint64_t v = strtoull(argv[i + 1], NULL, 0);
		if (strcmp(argv[i], "--seed") == 0)
			seed = v;
		else if (strcmp(argv[i], "--calls") == 0)
			calls_wanted = v;
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = v;
		else if (strcmp(argv[i], "--trace") == 0)
			trace_from = v;
		else if (strcmp(argv[i], "--child") == 0)
			fuzz_child(v);
	}
	if (argc > 1 && strcmp(argv[1], "--server") == 0)
		serve();
	rng_state = seed | 1;
	uintptr_t sandbox = SANDBOX;
	if (as_area_create(&sandbox, SANDBOX_SIZE, AS_AREA_READ | AS_AREA_WRITE) != EOK) {
		printf("fuzz: cannot create the sandbox area\n");
		return 1;
	}
	printf("fuzz: seed %llu, %llu calls%s\n", (unsigned long long) seed,
	    (unsigned long long) calls_wanted, seconds ? " (or the time limit)" : "");
	for (int i = 0; i < POOL; i++)
		phones[i] = start_server();
	task_id_t children[CHILDREN] = {0};
	unsigned spawned = 0, killed = 0;
	uint64_t start = clock_ns(), n;
	for (n = 0;
	     seconds ? clock_ns() - start < seconds * 1000000000ull : n < calls_wanted;
	     n++) {
		if (n % 2000 == 0) {
			size_t c = rnd() % CHILDREN;
			if (children[c] != 0 && task_kill(children[c]) == EOK) {
				task_exit_t e;
				DISCARD(fuzzing, task_join(children[c], &e, 0));
				killed++;
			}
			char cmd[48];
			snprintf(cmd, sizeof(cmd), "fuzz --child %llu",
			    (unsigned long long) rnd());
			children[c] = task_spawn_module(cmd, &children[c]) == EOK
			    ? children[c]
			    : 0;
			spawned += children[c] != 0;
		}
		one_call(true);
		if ((n + 1) % 10000 == 0)
			printf("fuzz: %llu calls\n", (unsigned long long) n + 1);
	}
	for (size_t c = 0; c < CHILDREN; c++) {
		if (children[c] != 0 && task_kill(children[c]) == EOK) {
			task_exit_t e;
			DISCARD(fuzzing, task_join(children[c], &e, 0));
			killed++;
		}
	}
	printf("fuzz: seed %llu: %llu calls, %u tasks spawned, %u killed: ok\n",
	    (unsigned long long) seed, (unsigned long long) n, spawned, killed);
	return 0;
}
