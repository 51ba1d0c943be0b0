/*
 * The privileged child's paths: the calls that need PERM_TASK, PERM_IO,
 * PERM_IRQ, PERM_PHYSMEM or PERM_IPCLOG, made with the permission held, in a
 * sandbox that keeps the machine up:
 *   - SYSTEM_POWER only with modes that are not one (EINVAL is checked: any
 *     other answer ends the child with a report), and KCONSOLE never (it
 *     would stop the system until someone types);
 *   - SPAWN_MODULE only of "fuzz --idle" (and bogus names), whose tasks it
 *     kills and collects; TASK_KILL of those, of its siblings (servers and
 *     fuzzing children of the same parent, which the parent replaces), of
 *     nobody and rarely of itself; never of anything older than the parent;
 *   - PERM_GRANT and HWRES_GRANT to its own tasks, itself or nobody;
 *   - I/O space only for the RTC's ports and the POST port, so that IRQ
 *     programs can touch nothing else;
 *   - IRQ programs on the RTC's line 8, which fires at 256 Hz once the
 *     periodic interrupt is on: one program acknowledges it like a driver
 *     would (reading register C re-arms the RTC), others are random; every
 *     so often the child re-arms the RTC itself from user space.
 */
#include "fuzz.h"
#include <ddi.h>
#include <ipc.h>
#include <libarch/pio.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <thread.h>

#define RTC_INDEX 0x70
#define RTC_DATA  0x71
#define RTC_A	  0x0a
#define RTC_B	  0x0b
#define RTC_C	  0x0c
#define RTC_RATE  0x28 /* 32.768 kHz base, rate 8: 256 Hz */
#define RTC_PIE	  0x40 /* register B: periodic interrupt enable */
#define RTC_IRQ	  8
#define SPAWNED	  4
#define IRQ_SUBS  4

static uint64_t self_id, parent_id;
static uint64_t spawned[SPAWNED];	/* our "fuzz --idle" tasks */
static cap_handle_t irq_subs[IRQ_SUBS]; /* our IRQ subscriptions */

static uint8_t rtc_read(uint8_t reg)
{
	pio_write_8(RTC_INDEX, reg);
	return pio_read_8(RTC_DATA);
}

static void rtc_write(uint8_t reg, uint8_t v)
{
	pio_write_8(RTC_INDEX, reg);
	pio_write_8(RTC_DATA, v);
}

/** Periodic interrupts on, and any pending one acknowledged (so that the
 *  next one raises the line again). Random IRQ programs may have changed
 *  the registers meanwhile. */
static void rtc_arm(void)
{
	rtc_write(RTC_A, RTC_RATE);
	rtc_write(RTC_B, (uint8_t) (rtc_read(RTC_B) | RTC_PIE));
	(void) rtc_read(RTC_C);
}

/** The program a driver would give: accept only when register C says the
 *  periodic interrupt fired (reading it acknowledges it). */
static size_t rtc_program(irq_cmd_t *c)
{
	c[0] = (irq_cmd_t){.cmd = IRQ_CMD_PIO_WRITE_8, .port = RTC_INDEX, .value = RTC_C};
	c[1] = (irq_cmd_t){.cmd = IRQ_CMD_PIO_READ_8, .port = RTC_DATA, .dst = 1};
	c[2] = (irq_cmd_t){.cmd = IRQ_CMD_AND, .src = 1, .dst = 2, .value = RTC_PIE};
	c[3] = (irq_cmd_t){.cmd = IRQ_CMD_PREDICATE, .src = 2, .value = 1};
	c[4] = (irq_cmd_t){.cmd = IRQ_CMD_ACCEPT};
	c[5] = (irq_cmd_t){.cmd = IRQ_CMD_DECLINE};
	return 6;
}

/** Subscribes a program to line 8 (or a random line), keeping the handle
 *  in a slot; the subscription it displaces is ended. */
static void irq_subscribe_fuzz(fuzzer_t *f)
{
	irq_cmd_t cmds[IRQ_CODE_MAX_CMDS + 1];
	size_t count;
	if (rnd(f) % 2) {
		count = rtc_program(cmds);
	} else {
		count = rnd(f) % (IRQ_CODE_MAX_CMDS + 2);
		fuzz_irq_program(f, cmds, count);
	}
	const uint64_t lines[] = {RTC_IRQ, RTC_IRQ, RTC_IRQ, 0, 5, 15, 16, rnd(f)};
	cap_handle_t h = 0;
	if (fz_call(f, SYS_IRQ_SUBSCRIBE, PICK(f, lines), M_FUZZ_IRQ, (sysarg_t) cmds,
		count, (sysarg_t) &h, 0) != EOK)
		return;
	size_t slot = rnd(f) % IRQ_SUBS;
	cap_handle_t old = irq_subs[slot];
	irq_subs[slot] = h;
	if (old != 0)
		fz_call(f, SYS_IRQ_UNSUBSCRIBE, old, 0, 0, 0, 0, 0);
}

/** Kills and collects the idle task in @a slot, if any. */
static void spawned_end(fuzzer_t *f, size_t slot)
{
	uint64_t id = spawned[slot];
	spawned[slot] = 0;
	if (id == 0)
		return;
	task_exit_t e;
	fz_call(f, SYS_TASK_KILL, id, 0, 0, 0, 0, 0);
	fz_call(f, SYS_TASK_WAIT, id, (sysarg_t) &e, 1000000, 0, 0, 0);
}

static void spawn_fuzz(fuzzer_t *f)
{
	static const char *const cmds[] = {
	    "fuzz --idle", "fuzz --idle", "no-such-module", "", "idle"};
	const char *cmd = cmds[rnd(f) % 5];
	uint64_t id = 0;
	bool good = rnd(f) % 4 != 0;
	if (fz_call(f, SYS_TASK_SPAWN_MODULE, good ? (sysarg_t) cmd : gen_pointer(f),
		good ? strlen(cmd) : gen_size(f), good ? (sysarg_t) &id : gen_pointer(f),
		0, 0, 0) != EOK ||
	    !good)
		return;
	size_t slot = rnd(f) % SPAWNED;
	spawned_end(f, slot);
	spawned[slot] = id;
}

/** A task we may act on without harm: ours, ourselves, or nobody. */
static uint64_t own_target(fuzzer_t *f)
{
	const uint64_t ids[] = {
	    spawned[rnd(f) % SPAWNED], self_id, UINT64_MAX, 0, parent_id + (1ull << 40)};
	return PICK(f, ids);
}

/** Whether @a id is a sibling (a child of our parent other than us). */
static bool is_sibling(uint64_t id)
{
	task_info_t info;
	return id != self_id && task_get_info(id, &info) == EOK &&
	    info.parent_id == parent_id;
}

static void kill_fuzz(fuzzer_t *f)
{
	uint64_t id = own_target(f);
	if (id == self_id && rnd(f) % 512 != 0)
		id = spawned[0]; /* ourselves only rarely */
	if (rnd(f) % 64 == 0) {
		uint64_t sibling = parent_id + 1 + rnd(f) % (self_id - parent_id + 16);
		if (is_sibling(sibling))
			id = sibling; /* the parent replaces what we kill */
	}
	fz_call(f, SYS_TASK_KILL, id, 0, 0, 0, 0, 0);
	for (size_t i = 0; i < SPAWNED; i++)
		if (spawned[i] == id && id != 0)
			spawned_end(f, i);
}

static void power_fuzz(fuzzer_t *f)
{
	const uint64_t not_modes[] = {0, 3, 4, 0xff, 1ull << 32 | 1, UINT64_MAX};
	uint64_t mode = PICK(f, not_modes);
	errno_t rc = (errno_t) fz_call(f, SYS_SYSTEM_POWER, mode, 0, 0, 0, 0, 0);
	if (rc != EINVAL) {
		printf(
		    "fuzz: SYSTEM_POWER(%#llx) with PERM_TASK returned %d, not EINVAL\n",
		    (unsigned long long) mode, rc);
		task_exit(EXIT_WATCHDOG);
	}
}

static void iospace_fuzz(fuzzer_t *f)
{
	const uint64_t ports[] = {RTC_INDEX, 0x80, 0x10000, UINT64_MAX};
	const uint64_t sizes[] = {2, 1, 0, 0x10001, UINT64_MAX};
	uint64_t port = PICK(f, ports), size = PICK(f, sizes);
	if (port == RTC_INDEX || port == 0x80)
		size = port == RTC_INDEX ? 2 - rnd(f) % 3 : rnd(f) % 2;
	fz_call(f, SYS_IOSPACE_ENABLE, port, size, 0, 0, 0, 0);
}

static void ipclog_fuzz(fuzzer_t *f)
{
	/* The status (any buffer), filters no type can pass, unknown commands;
	 * never a resize or enabling, which would outlast the run. */
	const uint64_t cmds[] = {7, 7, 5, 0, 8, UINT64_MAX};
	uint64_t cmd = PICK(f, cmds);
	uint64_t arg = cmd == 7 ? (rnd(f) % 2 ? SANDBOX : gen_pointer(f))
				: (1ull << 32) + rnd(f) % 8;
	fz_call(f, SYS_IPCLOG_CONTROL, cmd, arg, gen_any(f), 0, 0, 0);
}

static void hwres_fuzz(fuzzer_t *f)
{
	const uint64_t bases[] = {0, 0x3f8, 0xb8000, 0xfffe, 0x10000, rnd(f)};
	const uint64_t sizes[] = {0, 1, 8, 0x1000, 0x10000, gen_size(f)};
	fz_call(f, SYS_HWRES_GRANT, own_target(f), rnd(f) % 5, PICK(f, bases),
	    PICK(f, sizes), 0, 0);
}

static void physmem_fuzz(fuzzer_t *f)
{
	uintptr_t base = 0;
	bool good = rnd(f) % 2;
	if (fz_call(f, SYS_PHYSMEM_MAP, rnd(f) % 2 ? 0xb8000 : rnd(f),
		gen_size(f) % (1 << 20), rnd(f) % 16,
		good ? (sysarg_t) &base : gen_pointer(f), 0, 0) == EOK &&
	    good)
		fz_call(f, SYS_AS_AREA_DESTROY, base, 0, 0, 0, 0, 0); /* never touched */
}

static void dmamem_fuzz(fuzzer_t *f)
{
	uintptr_t base = 0;
	uint64_t phys = 0;
	bool good = rnd(f) % 2;
	const uint64_t sizes[] = {0, 1, 4096, DMAMEM_MAX, DMAMEM_MAX + 1, gen_size(f)};
	if (fz_call(f, SYS_DMAMEM_MAP, PICK(f, sizes), rnd(f) % 4,
		good ? (sysarg_t) &base : gen_pointer(f),
		good ? (sysarg_t) &phys : gen_pointer(f), 0, 0) == EOK &&
	    good)
		fz_call(f, SYS_AS_AREA_DESTROY, base, 0, 0, 0, 0, 0);
}

void irq_ack_fuzz(fuzzer_t *f)
{
	cap_handle_t h = rnd(f) % 4 ? irq_subs[rnd(f) % IRQ_SUBS] : gen_handle(f);
	fz_call(f, SYS_IRQ_ACK, h, 0, 0, 0, 0, 0);
}

/** Module hand-over with names no module has (taking a real one would
 *  leave it gone for the rest of the run) and bad outputs. */
static void module_take_fuzz(fuzzer_t *f)
{
	static const char *const names[] = {"", "no-such", "hello x", "hello "};
	const char *name = names[rnd(f) % 4];
	uint64_t name_ptr = rnd(f) % 8 ? (uint64_t) name : gen_pointer(f);
	uint64_t len = rnd(f) % 8 ? strlen(name) : gen_size(f);
	fz_call(f, SYS_MODULE_TAKE, name_ptr, len, gen_pointer(f), gen_pointer(f), 0, 0);
}

bool priv_call(fuzzer_t *f, sysarg_t num)
{
	switch (num) {
	case SYS_TASK_SPAWN_MODULE:
		spawn_fuzz(f);
		return true;
	case SYS_TASK_KILL:
		kill_fuzz(f);
		return true;
	case SYS_SYSTEM_POWER:
		power_fuzz(f);
		return true;
	case SYS_KCONSOLE:
		return true;
	case SYS_PERM_GRANT:
		fz_call(
		    f, num, own_target(f), rnd(f) % 2 ? rnd(f) % 64 : rnd(f), 0, 0, 0, 0);
		return true;
	case SYS_HWRES_GRANT:
		hwres_fuzz(f);
		return true;
	case SYS_IOSPACE_ENABLE:
		iospace_fuzz(f);
		return true;
	case SYS_IRQ_SUBSCRIBE:
		irq_subscribe_fuzz(f);
		return true;
	case SYS_PHYSMEM_MAP:
		physmem_fuzz(f);
		return true;
	case SYS_DMAMEM_MAP:
		dmamem_fuzz(f);
		return true;
	case SYS_IPCLOG_CONTROL:
		ipclog_fuzz(f);
		return true;
	case SYS_MODULE_TAKE:
		module_take_fuzz(f);
		return true;
	default:
		return false;
	}
}

void priv_tick(fuzzer_t *f)
{
	static unsigned ticks;
	if (f->main && ++ticks % 64 == 0)
		rtc_arm();
}

void priv_setup(fuzzer_t *f)
{
	self_id = task_get_id();
	task_info_t info;
	if (task_get_info(self_id, &info) == EOK)
		parent_id = info.parent_id;
	/* The parent grants our permissions after we start. */
	for (int i = 0; i < 5000 && (perm_get() & PERM_ALL) != PERM_ALL; i++)
		DISCARD(woken, thread_sleep(1000));
	if (iospace_enable(RTC_INDEX, 2) != EOK || iospace_enable(0x80, 1) != EOK) {
		printf("fuzz: the privileged child has no I/O ports\n");
		task_exit(EXIT_WATCHDOG);
	}
	rtc_arm();
	irq_cmd_t cmds[IRQ_CODE_MAX_CMDS];
	size_t count = rtc_program(cmds);
	if (ipc_irq_subscribe(RTC_IRQ, M_FUZZ_IRQ, cmds, count, &irq_subs[0]) != EOK)
		printf("fuzz: line %d is taken: IRQ programs will not run\n", RTC_IRQ);
	(void) f;
}
