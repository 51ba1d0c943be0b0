/*
 * One random system call: every number of the table and numbers past its
 * end, with arguments from the generators. Calls that would end the task,
 * block it for long or enter the kernel console are shaped; the paths that
 * need permissions go to priv.c in the privileged child. Whatever a call
 * hands us (a received call, a phone, an area) goes into a slot of the
 * task's pools, and what it displaces is answered, hung up or destroyed, so
 * that a long run does not pile up capabilities.
 *
 * Pools are shared by the task's threads without locks, on purpose: the
 * kernel must cope with one thread answering or hanging up what another is
 * using. A thread only touches memory it has not yet published.
 */
#include "fuzz.h"
#include <abi/irq.h>
#include <as.h>
#include <string.h>
#include <syscall.h>

cap_handle_t fuzz_phones[POOL];
cap_handle_t fuzz_calls[POOL];
uintptr_t fuzz_areas[POOL];
static uint64_t loader_ids[POOL]; /* loader tasks (our children) behind phones */
volatile uint64_t fuzz_irq_notifs;
uint64_t fuzz_trace_from = UINT64_MAX;

/* Labels of our calls say their method, so that an answer that brings a
 * phone (CONNECT_ME_TO) is recognised and the phone kept. */
#define LABEL_TAG 0x1abe1000000ull

bool fuzz_sandbox_create(void)
{
	uintptr_t base = SANDBOX;
	return as_area_create(&base, SANDBOX_SIZE, AS_AREA_READ | AS_AREA_WRITE) == EOK;
}

void fuzz_answer_slot(fuzzer_t *f, size_t slot)
{
	cap_handle_t call = fuzz_calls[slot];
	fuzz_calls[slot] = 0;
	if (call == 0)
		return;
	sysarg_t a[10] = {call, (sysarg_t) ENOENT};
	fz_call_ipc(f, SYS_IPC_ANSWER, a); /* fails harmlessly if already answered */
}

void fuzz_keep_call(fuzzer_t *f, cap_handle_t call)
{
	size_t slot = rnd(f) % POOL;
	fuzz_answer_slot(f, slot);
	fuzz_calls[slot] = call;
}

/** Remembers @a phone (to a loader task @a loader, or 0), hanging up the
 *  phone it displaces; a loader ends when its phone is hung up. */
static void keep_phone(fuzzer_t *f, cap_handle_t phone, uint64_t loader)
{
	size_t slot = rnd(f) % POOL;
	if (fuzz_phones[slot] > 1) {
		sysarg_t r[10] = {fuzz_phones[slot], IPC_HANGUP_RELEASE};
		fz_call_ipc(f, SYS_IPC_HANGUP, r);
	}
	fuzz_phones[slot] = phone;
	loader_ids[slot] = loader;
}

/** What an IPC call that returns an event brought: a call to keep, a phone
 *  from an accepted CONNECT_ME_TO, a callback phone, an IRQ notification. */
static void take_event(fuzzer_t *f, const sysarg_t r[10])
{
	switch (IPC_EVENT_KIND(r[0])) {
	case IPC_EVENT_REQUEST:
		if (r[1] == IPC_M_CONNECT_TO_ME) {
			/* A server calls back: accept and keep its phone. */
			sysarg_t a[10] = {r[8], EOK};
			if ((errno_t) fz_call_ipc(f, SYS_IPC_ANSWER, a) == EOK)
				keep_phone(f, r[6], 0);
		} else {
			fuzz_keep_call(f, r[8]);
		}
		break;
	case IPC_EVENT_ANSWER:
		if (r[7] == (LABEL_TAG | IPC_M_CONNECT_ME_TO) && (errno_t) r[1] == EOK)
			keep_phone(f, r[6], 0);
		break;
	case IPC_EVENT_NOTIF:
		if (r[1] == M_FUZZ_IRQ)
			fuzz_irq_notifs += r[7]; /* interrupts coalesced into it */
		break;
	default:
		break;
	}
}

static void ipc_shape(fuzzer_t *f, sysarg_t num, sysarg_t r[10])
{
	r[0] = rnd(f) % 4 ? fuzz_phones[rnd(f) % POOL] : gen_handle(f);
	switch (num) {
	case SYS_IPC_WAIT:
		r[0] = 1 + rnd(f) % 1000; /* never block for long (0 would be forever) */
		r[1] = rnd(f) % 3 ? IPC_WAIT_NONBLOCKING : rnd(f) % 4;
		break;
	case SYS_IPC_ANSWER:
	case SYS_IPC_ANSWER_SLOW:
	case SYS_IPC_FORWARD:
	case SYS_IPC_FORWARD_SLOW:
		r[0] = fuzz_calls[rnd(f) % POOL];
		break;
	case SYS_IPC_CALL:
	case SYS_IPC_CALL_WAIT:
		r[1] = gen_method(f);
		if (rnd(f) % 2)
			r[7] = LABEL_TAG | r[1];
		r[8] = 1 + rnd(f) % 1000; /* call-and-wait timeout in µs */
		break;
	case SYS_IPC_ANSWER_WAIT:
		r[0] = fuzz_calls[rnd(f) % POOL];
		r[7] = 1 + rnd(f) % 1000;
		r[8] = rnd(f) % 2;
		break;
	default:
		break;
	}
}

static void ipc_fuzz(fuzzer_t *f, sysarg_t num)
{
	sysarg_t r[10];
	for (int i = 0; i < 10; i++)
		r[i] = gen_any(f);
	ipc_shape(f, num, r);
	if (num == SYS_IPC_HANGUP && (r[0] == 1 || rnd(f) % 8 != 0))
		return; /* keep phones mostly alive, and the parent's always */
	sysarg_t label = r[7];
	errno_t rc = (errno_t) fz_call_ipc(f, num, r);
	if (rc != EOK)
		return;
	if (num == SYS_IPC_WAIT || num == SYS_IPC_ANSWER_WAIT)
		take_event(f, r);
	else if (num == SYS_IPC_CALL_WAIT && IPC_EVENT_KIND(r[0]) == IPC_EVENT_ANSWER &&
	    r[7] == label)
		take_event(f, r);
}

/** Physical addresses for memory reads: VGA text memory and the firmware
 *  ROM (device memory whose reads change nothing), misaligned, RAM, one
 *  that wraps. Never a random one: some device registers clear on read. */
static uint64_t gen_mem_address(fuzzer_t *f)
{
	const uint64_t addrs[] = {
	    0xb8000, 0xb8ffc, 0xb8001, 0xb8002, 0xffff0000, 0x100000, UINT64_MAX - 3, 0};
	return PICK(f, addrs);
}

void fuzz_irq_program(fuzzer_t *f, irq_cmd_t *cmds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cmds[i].cmd = (uint32_t) (rnd(f) % (IRQ_CMD_LAST + 2));
		cmds[i].port = rnd(f) % 2 ? 0x70 + rnd(f) % 2 : (uint32_t) rnd(f);
		bool mem = cmds[i].cmd >= IRQ_CMD_MEM_READ_8 &&
		    cmds[i].cmd <= IRQ_CMD_MEM_READ_32;
		cmds[i].value = mem ? gen_mem_address(f) : rnd(f) % 8;
		cmds[i].src = (uint32_t) (rnd(f) % 8);
		cmds[i].dst = (uint32_t) (rnd(f) % 8);
	}
}

/** A random IRQ program on a random line: valid and invalid commands,
 *  counts from 0 to one past the limit (the array has room for all). */
static void irq_fuzz(fuzzer_t *f)
{
	irq_cmd_t cmds[IRQ_CODE_MAX_CMDS + 1];
	size_t count = rnd(f) % 2 ? 1 + rnd(f) % 4 : rnd(f) % (IRQ_CODE_MAX_CMDS + 2);
	fuzz_irq_program(f, cmds, count);
	const uint64_t lines[] = {8, 5, 9, 10, 11, 0, 15, 16, 99};
	cap_handle_t h;
	uint64_t where = rnd(f) % 4 ? (uint64_t) &h : gen_pointer(f);
	if (fz_call(f, SYS_IRQ_SUBSCRIBE, PICK(f, lines),
		rnd(f) % 2 ? M_FUZZ_IRQ : gen_method(f),
		rnd(f) % 4 ? (uint64_t) cmds : gen_pointer(f), count, where, 0) == EOK &&
	    where == (uint64_t) &h)
		fz_call(f, SYS_IRQ_UNSUBSCRIBE, h, 0, 0, 0, 0, 0);
}

/** SYS_AS_AREA_UNMAP of a part of the area at @a old (slot @a slot),
 *  sometimes unaligned or running past its end. Only that area is touched
 *  (a neighbour may be the fuzzer's own memory): a part left after a cut in
 *  its middle is destroyed at once, and the slot keeps the area's start
 *  while a part there remains. */
static void area_unmap_fuzz(fuzzer_t *f, size_t slot, uintptr_t old)
{
	as_area_info_t info;
	if (as_area_query(old, &info) != EOK || info.base != old)
		return;
	size_t pages = info.size / 4096;
	size_t first = rnd(f) % pages; /* 0: from its start */
	uintptr_t at = old + first * 4096 + (rnd(f) % 8 == 0);
	uint64_t size = rnd(f) % 2 ? (pages - first) * 4096 : gen_size(f);
	sysarg_t rc = fz_call(f, SYS_AS_AREA_UNMAP, at, size, 0, 0, 0, 0);
	/* size < info.size: no overflow in rounding it up. */
	uintptr_t rest = size < info.size ? at + ((size + 4095) & ~4095ull) : 0;
	if (rc == EOK && rest != 0 && rest < old + info.size)
		fz_call(f, SYS_AS_AREA_DESTROY, rest, 0, 0, 0, 0, 0);
	fuzz_areas[slot] = rc != EOK || first > 0 ? old : 0;
}

static void area_fuzz(fuzzer_t *f)
{
	size_t slot = rnd(f) % POOL;
	uintptr_t old = fuzz_areas[slot];
	if (old != 0 && rnd(f) % 2) {
		fuzz_areas[slot] = 0;
		unsigned how = rnd(f) % 3;
		if (how == 0)
			fz_call(f, SYS_AS_AREA_DESTROY, old, 0, 0, 0, 0, 0);
		else if (how == 1)
			fz_call(f, SYS_AS_AREA_RESIZE, old, gen_size(f), 0, 0, 0, 0);
		else
			area_unmap_fuzz(f, slot, old);
		return;
	}
	/* Fixed addresses come from their own region, so that the "bad" pointers
	 * of gen_pointer() stay unmapped; some are invalid on purpose. */
	const uint64_t bases[] = {AS_AREA_ANY,
	    0x500000000000ull + (rnd(f) % 64) * 0x100000, 0, 0x1000, KERNEL_ADDR,
	    USER_END, 0x500000000001ull};
	uintptr_t base = PICK(f, bases);
	unsigned flags = (unsigned) (rnd(f) % 16);
	if (fz_call(f, SYS_AS_AREA_CREATE, (sysarg_t) &base, gen_size(f) % (1 << 22),
		flags, 0, 0, 0) != EOK)
		return;
	if (flags & AS_AREA_WRITE)
		*(volatile uint8_t *) base = 1; /* demand paging, before it is shared */
	uintptr_t displaced = fuzz_areas[slot];
	fuzz_areas[slot] = base;
	if (displaced != 0)
		fz_call(f, SYS_AS_AREA_DESTROY, displaced, 0, 0, 0, 0, 0);
}

/** A loader task now and then, kept as an IPC peer (our child, which we may
 *  kill in the middle of a call); mostly bad result pointers. */
static void loader_fuzz(fuzzer_t *f)
{
	cap_handle_t phone;
	uint64_t id;
	bool good = rnd(f) % 8 == 0; /* a task each time: costly */
	uint64_t phone_at = good ? (uint64_t) &phone : gen_pointer(f);
	uint64_t id_at = good ? (uint64_t) &id : gen_pointer(f);
	if (id_at == phone_at)
		id_at += sizeof(uint64_t); /* so that the phone can be read back */
	if (fz_call(f, SYS_TASK_SPAWN_LOADER, phone_at, id_at, 0, 0, 0, 0) != EOK)
		return;
	/* Both copies succeeded, so both words are readable. */
	keep_phone(f, *(volatile cap_handle_t *) phone_at, *(volatile uint64_t *) id_at);
}

/** Boot-module reads: real and bogus names, offsets and sizes at and past
 *  the end, bad buffers. */
static void module_fuzz(fuzzer_t *f, sysarg_t num)
{
	static const char *const names[] = {"hello", "fuzz", "", "no-such", "hello x"};
	const char *name = names[rnd(f) % 5];
	uint64_t name_ptr = rnd(f) % 8 ? (uint64_t) name : gen_pointer(f);
	uint64_t len = rnd(f) % 8 ? strlen(name) : gen_size(f);
	uint64_t buf = rnd(f) % 2 ? SANDBOX : gen_pointer(f);
	if (num == SYS_MODULE_SIZE)
		fz_call(f, num, name_ptr, len, buf, 0, 0, 0);
	else
		fz_call(f, num, name_ptr, len, gen_size(f), buf,
		    gen_size(f) % SANDBOX_SIZE, 0);
}

/** New rights for our own areas (never the sandbox: the kernel must be able
 *  to write there) or for addresses with no area of ours. */
static void change_flags_fuzz(fuzzer_t *f)
{
	const uint64_t bad[] = {0, 0x1000, KERNEL_ADDR, USER_END, SANDBOX + 1};
	uint64_t base = rnd(f) % 2 ? fuzz_areas[rnd(f) % POOL] : PICK(f, bad);
	fz_call(f, SYS_AS_AREA_CHANGE_FLAGS, base, rnd(f) % 32, 0, 0, 0, 0);
}

/* A thread that needs no stack: it yields once and ends. Created with any
 * stack pointer, valid or not, it must run and end cleanly. */
#define STR(x)	#x
#define XSTR(x) STR(x)
void fuzz_raw_thread(void);
__asm__(".text\n"
	".globl fuzz_raw_thread\n"
	"fuzz_raw_thread:\n"
	"	mov $" XSTR(SYS_THREAD_YIELD) ", %eax\n"
					      "	syscall\n"
					      "	mov $" XSTR(SYS_THREAD_EXIT) ", %eax\n"
									     "	syscall\n"
									     "	ud2\n");

/** THREAD_CREATE with the stackless entry above or a bad one, and good or
 *  bad stacks, names and result pointers. */
static void thread_create_fuzz(fuzzer_t *f)
{
	uint64_t tid;
	const uint64_t entries[] = {(uint64_t) fuzz_raw_thread,
	    (uint64_t) fuzz_raw_thread, USER_END, KERNEL_ADDR, UINT64_MAX};
	const uint64_t stacks[] = {
	    SANDBOX + SANDBOX_SIZE, 0, 8, USER_END, USER_END + 16, rnd(f)};
	static const char name[] = "fuzz-raw";
	fz_call(f, SYS_THREAD_CREATE, PICK(f, entries), PICK(f, stacks), gen_any(f),
	    rnd(f) % 4 ? (uint64_t) name : gen_pointer(f),
	    rnd(f) % 4 ? sizeof(name) - 1 : gen_size(f),
	    rnd(f) % 2 ? (uint64_t) &tid : gen_pointer(f));
}

/** A valid thread-local base (our sandbox) and back, or an invalid one. */
static void set_tls_fuzz(fuzzer_t *f)
{
	uint64_t mine;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(mine));
	if (rnd(f) % 2) {
		fz_call(f, SYS_THREAD_SET_TLS, rnd(f) % 2 ? KERNEL_ADDR : USER_END, 0, 0,
		    0, 0, 0);
		return;
	}
	/* Nothing between the two calls uses thread-local data. */
	fz_call(f, SYS_THREAD_SET_TLS, SANDBOX + (rnd(f) % 512) * 8, 0, 0, 0, 0, 0);
	fz_call(f, SYS_THREAD_SET_TLS, mine, 0, 0, 0, 0, 0);
}

/** The task's own children and others: loaders we started (killed in the
 *  middle of their calls), low ids, nobody, rarely ourselves. */
static void task_kill_fuzz(fuzzer_t *f)
{
	uint64_t self = 0;
	syscall1(SYS_TASK_GET_ID, (sysarg_t) &self);
	const uint64_t ids[] = {loader_ids[rnd(f) % POOL], loader_ids[rnd(f) % POOL],
	    rnd(f) % 64, 0, UINT64_MAX, rnd(f) % 1024 == 0 ? self : 0};
	fz_call(f, SYS_TASK_KILL, PICK(f, ids), 0, 0, 0, 0, 0);
}

/** Calls with the permissions a fuzzing child lacks: all must say EPERM (or
 *  fail on an argument first). */
static void unprivileged_call(fuzzer_t *f, sysarg_t num)
{
	switch (num) {
	case SYS_TASK_SPAWN_MODULE:
		fz_call(f, num, gen_pointer(f), gen_size(f), gen_pointer(f), 0, 0, 0);
		break;
	case SYS_SYSTEM_POWER:
	case SYS_KCONSOLE:
		fz_call(f, num, rnd(f) % 4, 0, 0, 0, 0, 0);
		break;
	case SYS_IRQ_SUBSCRIBE:
		irq_fuzz(f);
		break;
	default:
		fz_call(f, num, gen_any(f), gen_any(f), gen_any(f), gen_any(f),
		    gen_any(f), gen_any(f));
		break;
	}
}

/** Numbers mostly from the table, now and then at and past its end. */
static sysarg_t gen_number(fuzzer_t *f)
{
	if (rnd(f) % 32 != 0)
		return rnd(f) % SYSCALL_COUNT;
	const uint64_t beyond[] = {SYSCALL_COUNT, SYSCALL_COUNT + 1, 63, 64, 255, 256,
	    0xffff, 1ull << 31, 1ull << 32, 1ull << 63, UINT64_MAX, rnd(f)};
	return PICK(f, beyond);
}

/** SYS_QUOTA_GET of any task; SYS_QUOTA_SET of tasks that do not exist,
 *  that we do not control (unprivileged), or of our loaders: there only
 *  QUOTA_TASKS, which a loader never uses (one starved of threads or memory
 *  aborts, which the parent counts as a failure), and kinds past the last.
 *  Never of ourselves (0 is us: a fuzzer without threads or memory fuzzes
 *  nothing) and, holding PERM_TASK, never of the system's servers. */
static void quota_fuzz(fuzzer_t *f, sysarg_t num)
{
	const uint64_t ids[] = {loader_ids[rnd(f) % POOL], 1, 2, 999999, UINT64_MAX};
	const uint64_t limits[] = {0, 1, 2, 64, QUOTA_UNLIMITED, rnd(f)};
	if (num == SYS_QUOTA_GET) {
		fz_call(
		    f, num, rnd(f) % 4 ? PICK(f, ids) : 0, gen_pointer(f), 0, 0, 0, 0);
		return;
	}
	uint64_t id = f->privileged ? ids[0] : PICK(f, ids);
	const sysarg_t kinds[] = {QUOTA_TASKS, QUOTA_COUNT, QUOTA_COUNT + 1, gen_any(f)};
	sysarg_t kind = PICK(f, kinds);
	if (id == 0 || (id == ids[0] && kind < QUOTA_COUNT && kind != QUOTA_TASKS))
		id = 999999; /* an empty loader slot (0 would be us), or a kind it uses */
	fz_call(f, num, id, kind, PICK(f, limits), 0, 0, 0);
}

/** Rights to derive with: all, each kind's, single ones, none, and bits of
 *  another kind or unknown ones (EINVAL). */
static sysarg_t gen_rights(fuzzer_t *f)
{
	const sysarg_t rights[] = {CAP_RIGHTS_ALL, CAP_RIGHTS_PHONE, CAP_RIGHTS_CALL,
	    CAP_RIGHT_CALL, CAP_RIGHT_CALL | CAP_RIGHT_CLONE, CAP_RIGHT_ANSWER, 0,
	    CAP_RIGHT_ACK, 0x80, gen_any(f)};
	return PICK(f, rights);
}

/** SYS_CAP_DERIVE, SYS_CAP_REVOKE and SYS_CAP_INFO on pooled phones and
 *  calls, bad and stale handles, bad pointers. A derived phone goes into
 *  the phone pool (hung up when displaced); a call derived with fewer rights
 *  replaces its pooled handle, which goes stale. */
static void cap_fuzz(fuzzer_t *f, sysarg_t num)
{
	size_t slot = rnd(f) % POOL;
	bool call = rnd(f) % 4 == 0;
	cap_handle_t h = rnd(f) % 4 ? (call ? fuzz_calls[slot] : fuzz_phones[slot])
				    : gen_handle(f);
	if (num == SYS_CAP_INFO) {
		cap_info_t info;
		fz_call(f, num, h, rnd(f) % 4 ? (uint64_t) &info : gen_pointer(f), 0, 0,
		    0, 0);
		return;
	}
	if (num == SYS_CAP_REVOKE) {
		if (h != 1) /* the parent's phone is not ours to derive, but keep it */
			fz_call(f, num, h, 0, 0, 0, 0, 0);
		return;
	}
	cap_handle_t out = CAP_NULL;
	uint64_t where = rnd(f) % 8 ? (uint64_t) &out : gen_pointer(f);
	/* A pooled call keeps its answer right mostly, so that it is answered. */
	sysarg_t rights = call && rnd(f) % 8 ? CAP_RIGHT_ANSWER : gen_rights(f);
	if (fz_call(f, num, h, rights, where, 0, 0, 0) != EOK || where != (uint64_t) &out)
		return;
	if (call && fuzz_calls[slot] == h)
		fuzz_calls[slot] = out;
	else if (!call)
		keep_phone(f, out, 0);
}

/** Calls that need a shape of their own; false for the rest. */
static bool shaped_call(fuzzer_t *f, sysarg_t num)
{
	switch (num) {
	case SYS_THREAD_EXIT:
		f->stop = !f->main && rnd(f) % 16 == 0; /* its loop ends, libc exits */
		return true;
	case SYS_TASK_EXIT:
		if (!f->privileged && rnd(f) % 256 == 0)
			fz_call(f, num, EXIT_VOLUNTARY, 0, 0, 0, 0, 0);
		return true;
	case SYS_THREAD_SLEEP:
		fz_call(f, num, rnd(f) % 100, 0, 0, 0, 0, 0);
		return true;
	case SYS_KIO_WRITE: {
		/* Bad pointers with any size, or nothing to print: no console noise. */
		const uint64_t bad[] = {
		    0, KERNEL_ADDR, 0x700000000000ull, USER_END - 8, UINT64_MAX - 7};
		if (rnd(f) % 8)
			fz_call(f, num, PICK(f, bad), gen_size(f), 0, 0, 0, 0);
		else
			fz_call(f, num, SANDBOX, 0, 0, 0, 0, 0);
		return true;
	}
	case SYS_THREAD_CREATE:
		thread_create_fuzz(f);
		return true;
	case SYS_THREAD_SET_TLS:
		set_tls_fuzz(f);
		return true;
	case SYS_TASK_WAIT:
		fz_call(f, num, rnd(f) % 2 ? loader_ids[rnd(f) % POOL] : rnd(f) % 64,
		    gen_pointer(f), 1 + rnd(f) % 100, 0, 0, 0);
		return true;
	case SYS_AS_AREA_CREATE:
	case SYS_AS_AREA_RESIZE:
	case SYS_AS_AREA_DESTROY:
	case SYS_AS_AREA_UNMAP:
		area_fuzz(f);
		return true;
	case SYS_FUTEX_WAIT:
		fz_call(f, num, gen_pointer(f), rnd(f) % 4, 1 + rnd(f) % 100, 0, 0,
		    0); /* never forever */
		return true;
	case SYS_TASK_SPAWN_LOADER:
		loader_fuzz(f);
		return true;
	case SYS_MODULE_SIZE:
	case SYS_MODULE_READ:
		module_fuzz(f, num);
		return true;
	case SYS_AS_AREA_CHANGE_FLAGS:
		change_flags_fuzz(f);
		return true;
	case SYS_KLOG_READ:
		fz_call(f, num, gen_pointer(f), gen_pointer(f), gen_size(f),
		    gen_pointer(f), 0, 0);
		return true;
	case SYS_QUOTA_GET:
	case SYS_QUOTA_SET:
		quota_fuzz(f, num);
		return true;
	case SYS_CAP_DERIVE:
	case SYS_CAP_REVOKE:
	case SYS_CAP_INFO:
		cap_fuzz(f, num);
		return true;
	case SYS_IRQ_ACK:
		irq_ack_fuzz(f);
		return true;
	default:
		return false;
	}
}

/** Calls whose permission the privileged child has and the others lack. */
static bool needs_permission(sysarg_t num)
{
	switch (num) {
	case SYS_TASK_SPAWN_MODULE:
	case SYS_TASK_KILL:
	case SYS_SYSTEM_POWER:
	case SYS_KCONSOLE:
	case SYS_PERM_GRANT:
	case SYS_HWRES_GRANT:
	case SYS_IOSPACE_ENABLE:
	case SYS_IRQ_SUBSCRIBE:
	case SYS_PHYSMEM_MAP:
	case SYS_DMAMEM_MAP:
	case SYS_IPCLOG_CONTROL:
	case SYS_MODULE_TAKE:
		return true;
	default:
		return false;
	}
}

void fuzz_one_call(fuzzer_t *f)
{
	sysarg_t num = gen_number(f);
	if (shaped_call(f, num))
		return;
	if (num == SYS_TASK_KILL && !f->privileged) {
		task_kill_fuzz(f);
		return;
	}
	if (needs_permission(num)) {
		if (f->privileged)
			priv_call(f, num);
		else
			unprivileged_call(f, num);
		return;
	}
	if (num >= SYS_IPC_FIRST && num <= SYS_IPC_LAST) {
		ipc_fuzz(f, num);
		return;
	}
	if (num >= SYSCALL_COUNT && rnd(f) % 2) {
		sysarg_t r[10];
		for (int i = 0; i < 10; i++)
			r[i] = gen_any(f);
		fz_call_ipc(f, num, r); /* the full entry path, with R12-R15 */
		return;
	}
	fz_call(f, num, gen_any(f), gen_any(f), gen_any(f), gen_any(f), gen_any(f),
	    gen_any(f));
}

void fuzz_connect(fuzzer_t *f)
{
	sysarg_t r[10] = {1, IPC_M_CONNECT_ME_TO, 0, 0, 0, 0, 0,
	    LABEL_TAG | IPC_M_CONNECT_ME_TO, 100000};
	if ((errno_t) fz_call_ipc(f, SYS_IPC_CALL_WAIT, r) == EOK &&
	    IPC_EVENT_KIND(r[0]) == IPC_EVENT_ANSWER)
		take_event(f, r);
	/* On a timeout the answer comes later, to a wait, with our label. */
}
