/*
 * What a child started as `tasktest --child MODE ...` does:
 *   exit N         ends with status N
 *   args A...      ends with 0 if its arguments are exactly tricky_args
 *   sleep          sleeps until killed
 *   fault          writes to address 0x10
 *   perms          ends with its permissions (PERM_*) as its status
 *   hardware       maps BIOS memory, enables a port, subscribes a free IRQ
 *                  and prints what each gave ("hardware: physmem EOK, ...");
 *                  ends with 0 when all succeeded, 1 otherwise
 *   env E...       ends with 0 if its environment is exactly E... in order
 *   server NAME    registers service NAME (TT_IFACE), reports ready with
 *                  task_retval(0) and answers TT_PING with its task id
 *   spin NAME      renames itself NAME and uses the CPU until killed (a
 *                  known busy task for top's test); it yields every
 *                  millisecond, so the tasks it shares the CPU with get
 *                  their turns at once, not a slice later
 *   loader-areas   walks the areas that follow one another from the
 *                  loader's image base (LOADER_IMAGE_BASE) on: ends with 0
 *                  when the loader's text is there and none of them is
 *                  writable, 1 when one is, 3 when the text is missing
 */
#include "tasktest.h"
#include <as.h>
#include <async.h>
#include <ddi.h>
#include <ipc.h>
#include <fibril.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <thread.h>
#include <time.h>
#include <unistd.h>

const char *const tricky_args[] = {
    "a b", "c\"d", "'e f'", "", " lead", "trail ", "back\\slash", "x=1;y=2", NULL};

static int check_args(int argc, char *argv[])
{
	int i = 0;
	for (; tricky_args[i] != NULL; i++) {
		if (3 + i >= argc || strcmp(argv[3 + i], tricky_args[i]) != 0) {
			printf("tasktest child: argument %d differs\n", i);
			return 1;
		}
	}
	return 3 + i == argc ? 0 : 1;
}

/** Whether environ holds exactly argv[3..argc) in that order. */
static int check_env(int argc, char *argv[])
{
	int i = 3;
	for (char **e = environ; *e != NULL; e++, i++) {
		if (i >= argc || strcmp(*e, argv[i]) != 0) {
			printf("tasktest child: environment entry %d differs\n", i - 3);
			return 1;
		}
	}
	return i == argc ? 0 : 1;
}

static void serve_call(ipc_call_t *call, void *arg)
{
	if (call->imethod == TT_PING)
		DISCARD(answer, async_answer_1(call, EOK, task_get_id()));
	else
		DISCARD(answer, async_answer_0(call, ENOTSUP));
}

static void serve(ipc_call_t *icall, void *arg)
{
	async_serve(icall, serve_call, NULL);
}

static int run_server(const char *name)
{
	errno_t rc = service_register(service_id_from_name(name), TT_IFACE, serve, NULL);
	if (rc == EOK)
		rc = task_retval(0);
	if (rc != EOK) {
		printf("tasktest child: cannot serve %s: %s\n", name, str_error(rc));
		return 1;
	}
	async_manager();
}

/* What the hardware mode asks for: nothing a driver owns (the BIOS area,
 * the POST diagnostic port, the parallel port's unused IRQ). */
#define HW_MEM_BASE 0xf0000
#define HW_IO_PORT  0x80
#define HW_IRQ	    7

/** The hardware mode: each kind of hardware access, reported by name. */
static int try_hardware(void)
{
	uintptr_t base;
	errno_t mem = physmem_map(HW_MEM_BASE, 4096, AS_AREA_READ, &base);
	if (mem == EOK)
		DISCARD(best_effort, as_area_destroy(base));
	errno_t io = iospace_enable(HW_IO_PORT, 1);
	irq_cmd_t accept = {.cmd = IRQ_CMD_ACCEPT};
	cap_handle_t h;
	errno_t irq = ipc_irq_subscribe(HW_IRQ, 1024, &accept, 1, &h);
	if (irq == EOK)
		DISCARD(best_effort, ipc_irq_unsubscribe(h));
	printf("hardware: physmem %s, io %s, irq %s\n", str_error(mem), str_error(io),
	    str_error(irq));
	return mem == EOK && io == EOK && irq == EOK ? 0 : 1;
}

#define SPIN_TURN_NS 1000000ull

static int spin_named(const char *name)
{
	if (task_set_name(name) != EOK)
		return 1;
	for (;;) {
		uint64_t end = clock_ns() + SPIN_TURN_NS;
		while (clock_ns() < end)
			;
		thread_yield();
	}
}

/** The loader-areas mode: what of the loader's image the loader left
 *  under this program. */
static int loader_areas_check(void)
{
	as_area_info_t info;
	if (as_area_query(LOADER_IMAGE_BASE, &info) != EOK ||
	    info.base != LOADER_IMAGE_BASE || (info.flags & AS_AREA_WRITE))
		return 3;
	while (as_area_query(info.base + info.size, &info) == EOK) {
		if (info.flags & AS_AREA_WRITE) {
			printf("tasktest child: the loader's area at %#llx is writable\n",
			    (unsigned long long) info.base);
			return 1;
		}
	}
	return 0;
}

int child_main(int argc, char *argv[])
{
	const char *mode = argc > 2 ? argv[2] : "";
	if (strcmp(mode, "exit") == 0 && argc > 3)
		return atoi(argv[3]);
	if (strcmp(mode, "args") == 0)
		return check_args(argc, argv);
	if (strcmp(mode, "sleep") == 0) {
		for (;;)
			fibril_sleep(60);
	}
	if (strcmp(mode, "perms") == 0)
		return (int) perm_get();
	if (strcmp(mode, "env") == 0)
		return check_env(argc, argv);
	if (strcmp(mode, "hardware") == 0)
		return try_hardware();
	if (strcmp(mode, "fault") == 0) {
		uintptr_t volatile low = 0x10; /* hidden from the compiler */
		*(volatile int *) low = 1;
		return 0;
	}
	if (strcmp(mode, "server") == 0 && argc > 3)
		return run_server(argv[3]);
	if (strcmp(mode, "spin") == 0 && argc > 3)
		return spin_named(argv[3]);
	if (strcmp(mode, "loader-areas") == 0)
		return loader_areas_check();
	printf("tasktest child: unknown mode %s\n", mode);
	return 2;
}
