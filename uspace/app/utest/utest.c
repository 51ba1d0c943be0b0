/*
 * utest: the kernel's user-mode test task (boot option testtask=utest).
 *
 * Without arguments it calls the system calls with bad arguments (NULL,
 * kernel, unmapped and read-only pointers, ranges straddling the end of user
 * space, huge sizes, bad ids) and checks the error codes; exercises areas,
 * threads and the FPU; and spawns copies of itself that fault, lack
 * permissions, or wait to be killed, checking how each one ended. Output:
 *   utest: PASS <name> | utest: FAIL <name>: <what>
 *   utest: N passed, N failed
 * The exit status is the number of failures (0: all passed).
 *
 * With an argument it is one of those children (see child_modes).
 */
#include <as.h>
#include <ddi.h>
#include <stdbool.h>
#include <ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <testsuite.h>
#include "utest.h"
#include <task.h>
#include <thread.h>
#include <time.h>
#include <errno.h>
#include <futex.h>
#include <getopt.h>

#define USAGE "(a test program; tester runs it)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {"--exit", "--noperm", "--granted", "--sleep",
    "--fault", "--read-kernel", "--write-code", "--exec-data", "--ud2", "--flood",
    "--quota-checks", "--subscribe", "--shootdown", "--spread", "--int", "--regs-server",
    "--io-every-cpu", "--io-denied", "--drain", NULL};

#define KERNEL_ADDR 0xffffffff80100000ull
#define UNMAPPED    0x0000700000000000ull
#define USER_END    0x0000800000000000ull

static const char rodata_word[8] = "ro";

static void test_bad_pointers_get_ebadmem(void)
{
	uint64_t bad[] = {0, KERNEL_ADDR, UNMAPPED, USER_END - 4, (uint64_t) rodata_word};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t p = bad[i];
		CHECK_RC(syscall1(SYS_THREAD_GET_ID, p), EBADMEM);
		CHECK_RC(syscall1(SYS_TASK_GET_ID, p), EBADMEM);
		CHECK_RC(syscall1(SYS_CLOCK_GET, p), EBADMEM);
		CHECK_RC(syscall1(SYS_CLOCK_PARAMS, p), EBADMEM);
		CHECK_RC(syscall1(SYS_CLOCK_REALTIME, p), EBADMEM);
		CHECK_RC(syscall1(SYS_PERM_GET, p), EBADMEM);
		CHECK_RC(syscall3(SYS_AS_AREA_CREATE, p, 4096, AS_AREA_READ), EBADMEM);
		CHECK_RC(
		    syscall2(SYS_AS_AREA_QUERY, (uint64_t) &rodata_word, p), EBADMEM);
		CHECK_RC(syscall3(SYS_TASK_WAIT, task_get_id(), p, 0), EBADMEM);
		CHECK_RC(syscall2(SYS_TASK_INFO, task_get_id(), p), EBADMEM);
		CHECK_RC(syscall2(SYS_TASK_LIST, p, 4), EBADMEM);
		if (i < 4) { /* read-only memory is fine to read from */
			CHECK_RC(syscall2(SYS_KIO_WRITE, p, 8), EBADMEM);
			CHECK_RC(syscall2(SYS_TASK_SET_NAME, p, 4), EBADMEM);
		}
	}
	uint64_t id;
	CHECK_RC(syscall6(SYS_THREAD_CREATE, 0x400000, 0x500000, 0, KERNEL_ADDR, 4,
		     (uint64_t) &id),
	    EBADMEM);
	CHECK_RC(syscall3(SYS_TASK_SPAWN_MODULE, UNMAPPED, 5, (uint64_t) &id), EBADMEM);
	CHECK_RC(syscall5(SYS_IRQ_SUBSCRIBE, 5, 1024, KERNEL_ADDR, 2, (uint64_t) &id),
	    EBADMEM);
	/* Ranges that wrap or cross the end of user space. */
	CHECK_RC(syscall2(SYS_KIO_WRITE, USER_END - 16, 64), EBADMEM);
	CHECK_RC(syscall2(SYS_KIO_WRITE, UINT64_MAX - 8, 64), EBADMEM);
	CHECK_RC(syscall2(SYS_KIO_WRITE, (uint64_t) "x", 1u << 30), ELIMIT);
}

/* libc's clock_ns() computes the kernel's clock from the TSC: it must give
 * what SYS_CLOCK_GET gives, never going backwards across the two. */
static void test_user_clock_matches_the_kernel(void)
{
	uint64_t prev = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t before = clock_ns();
		uint64_t kernel = 0;
		CHECK_RC(syscall1(SYS_CLOCK_GET, (sysarg_t) &kernel), EOK);
		uint64_t after = clock_ns();
		CHECK(prev <= before && before <= kernel && kernel <= after);
		prev = after;
	}
	DISCARD(woken, thread_sleep(2000));
	CHECK(clock_ns() >= prev + 2000000);
}

static void test_bad_ids_and_numbers(void)
{
	task_exit_t e;
	CHECK_RC(task_join(999999, &e, 0), ENOENT);
	CHECK_RC(task_kill(999999), ENOENT);
	CHECK_RC(task_kill(0), EPERM); /* the kernel */
	CHECK_RC(perm_grant(999999, 0), ENOENT);
	CHECK_RC(perm_grant(task_get_id(), 0x100), EINVAL);
	CHECK_RC(as_area_destroy(0x12345000), ENOENT);
	CHECK_RC(as_area_resize(0x12345000, 4096), ENOENT);
	CHECK_RC(syscall1(SYS_IRQ_UNSUBSCRIBE, 0xbad), ENOENT);
	task_info_t info;
	CHECK_RC(syscall2(SYS_TASK_INFO, 999999, (uint64_t) &info), ENOENT);
	CHECK_RC(syscall2(SYS_TASK_INFO, task_get_id(), (uint64_t) &info), EOK);
	CHECK(strcmp(info.name, "utest") == 0 && info.threads >= 1);
	uint64_t ids[4];
	CHECK(
	    (int64_t) syscall2(SYS_TASK_LIST, (uint64_t) ids, 4) >= 2); /* kernel + us */
	CHECK_RC(syscall2(SYS_TASK_LIST, (uint64_t) ids, 1ull << 40), EINVAL);
	CHECK_RC(syscall0(12345), ENOSYS);
	CHECK_RC(syscall0(SYSCALL_COUNT), ENOSYS);
	CHECK_RC(syscall0(UINT64_MAX), ENOSYS);
	CHECK_RC(task_spawn_module("no-such-program", &(task_id_t){0}), ENOENT);
	CHECK_RC(task_spawn_module("", &(task_id_t){0}), ENOENT);
	CHECK_RC(syscall2(SYS_TASK_SET_NAME,
		     (uint64_t) "0123456789012345678901234567890123", 34),
	    ENAMETOOLONG);
	CHECK_RC(syscall2(SYS_TASK_SET_NAME, (uint64_t) "", 0), EINVAL);
	CHECK_RC(syscall2(SYS_EVENT_SUBSCRIBE, 99, 1024), EINVAL);
	CHECK_RC(syscall1(SYS_EVENT_UNMASK, 0), ENOENT);
	CHECK_RC(syscall3(SYS_IPCLOG_CONTROL, 99, 0, 0), EINVAL);
	/* The combined calls check flags and handles before sending anything. */
	sysarg_t r[10] = {1, 1024 + 1, 0, 0, 0, 0, 0, 0, 0, 0x2};
	CHECK_RC(__syscall_ipc(SYS_IPC_CALL_WAIT, r), EINVAL); /* unknown flag */
	sysarg_t r2[10] = {0xbad, 1024 + 1, 0, 0, 0, 0, 0, 0, 0, IPC_CALL_WAIT_ANY};
	CHECK_RC(__syscall_ipc(SYS_IPC_CALL_WAIT, r2), ENOENT); /* no such phone */
	sysarg_t r3[10] = {0xbad, EOK};
	CHECK_RC(__syscall_ipc(SYS_IPC_ANSWER_WAIT, r3), ENOENT); /* no such call */
	sysarg_t r4[10] = {0xbad, EOK, 0, 0, 0, 0, 0, 0, 0x10};
	CHECK_RC(__syscall_ipc(SYS_IPC_ANSWER_WAIT, r4), EINVAL); /* unknown wait flag */
}

static void test_areas_and_demand_paging(void)
{
	uintptr_t base = AS_AREA_ANY;
	CHECK_RC(as_area_create(&base, 0, AS_AREA_READ), EINVAL);
	CHECK_RC(as_area_create(&base, 4096, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_EXEC),
	    EINVAL);
	CHECK_RC(as_area_create(&base, (size_t) 1 << 60, AS_AREA_READ), EINVAL);
	uintptr_t low = 0x1000;
	CHECK_RC(as_area_create(&low, 4096, AS_AREA_READ), EINVAL);
	CHECK_RC(as_area_create(&base, 64 * 4096, AS_AREA_READ | AS_AREA_WRITE), EOK);
	volatile uint8_t *p = (volatile uint8_t *) base;
	for (int i = 0; i < 64; i++) {
		CHECK(p[i * 4096] == 0); /* zero-filled on first touch */
		p[i * 4096 + 7] = (uint8_t) i;
	}
	as_area_info_t info;
	CHECK_RC(as_area_query(base + 5000, &info), EOK);
	CHECK(info.base == base && info.size == 64 * 4096);
	uintptr_t clash = base + 4096;
	CHECK_RC(as_area_create(&clash, 4096, AS_AREA_READ), EEXIST);
	CHECK_RC(as_area_resize(base, 2 * 4096), EOK);
	CHECK(p[4096 + 7] == 1);
	CHECK_RC(as_area_resize(base, 128 * 4096), EOK);
	CHECK(p[100 * 4096] == 0);
	CHECK(p[40 * 4096 + 7] == 0); /* shrinking dropped the old contents */
	CHECK_RC(as_area_destroy(base), EOK);
	CHECK_RC(as_area_query(base, &info), ENOENT);
}

static volatile uint64_t counter;

static void count_thread(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
		if (i % 100 == 0)
			thread_yield();
	}
	__atomic_add_fetch(&counter, 1000000, __ATOMIC_RELAXED);
	thread_exit();
}

static void test_threads_run_concurrently(void)
{
	counter = 0;
	thread_id_t ids[8];
	for (int i = 0; i < 8; i++) {
		CHECK_RC(thread_create(count_thread, NULL, "count", &ids[i]), EOK);
		CHECK(ids[i] != thread_get_id());
	}
	uint64_t start = clock_ns();
	while (counter != 8 * 1001000 && clock_ns() - start < 5000000000ull)
		DISCARD(woken, thread_sleep(1 * MS));
	CHECK(counter == 8 * 1001000);
	start = clock_ns();
	CHECK_RC(thread_sleep(20 * MS), EOK);
	CHECK(clock_ns() - start >= 20000000);
}

static volatile int fpu_ok;

static void fpu_thread(void *arg)
{
	double x = (double) (uintptr_t) arg;
	double acc = 0;
	for (int i = 1; i <= 2000; i++) {
		acc += x / i;
		if (i % 200 == 0)
			thread_yield(); /* let the other threads clobber the FPU */
	}
	double expect = 0;
	for (int i = 1; i <= 2000; i++)
		expect += x / i;
	if (acc == expect)
		__atomic_add_fetch(&fpu_ok, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&fpu_ok, 100, __ATOMIC_RELAXED);
	thread_exit();
}

static void test_fpu_state_survives_switches(void)
{
	fpu_ok = 0;
	for (uintptr_t i = 1; i <= 4; i++)
		CHECK_RC(thread_create(fpu_thread, (void *) (i * 3), "fpu", NULL), EOK);
	uint64_t start = clock_ns();
	while (fpu_ok < 400 && clock_ns() - start < 5000000000ull)
		DISCARD(woken, thread_sleep(1 * MS));
	CHECK(fpu_ok == 404);
}

static void test_affinity_rejects_empty_and_missing_cpus(void)
{
	unsigned cpu, count;
	CHECK_RC(cpu_info(&cpu, &count), EOK);
	CHECK(count >= 1 && cpu < count);
	CHECK_RC(thread_set_affinity(0), EINVAL);
	if (count < 64) {
		CHECK_RC(thread_set_affinity(1ull << count), EINVAL);
		CHECK_RC(thread_set_affinity(~0ull), EINVAL);
	}
	CHECK_RC((errno_t) syscall2(SYS_CPU_INFO, 0, KERNEL_ADDR), EBADMEM);
	CHECK_RC(thread_set_affinity(count >= 64 ? ~0ull : (1ull << count) - 1), EOK);
}

/** Pins the calling thread to CPU @a cpu with @a value in xmm7 across the
 *  system call (nothing but the thread's FPU state carries it over);
 *  returns what xmm7 holds after. */
static uint64_t pin_with_xmm7(unsigned cpu, uint64_t value, errno_t *rc)
{
	uint64_t out;
	sysarg_t ret;
	__asm__ volatile(
	    "movq %[v], %%xmm7\n\t"
	    "syscall\n\t"
	    "movq %%xmm7, %[o]"
	    : [o] "=r"(out), "=a"(ret)
	    : [v] "r"(value), "a"((sysarg_t) SYS_THREAD_SET_AFFINITY), "D"(1ull << cpu)
	    : "rcx", "r11", "xmm7", "memory");
	*rc = (errno_t) ret;
	return out;
}

/** The thread visits every CPU in turn, its FPU live in xmm7 each time;
 *  with other threads using the FPU meanwhile (fpu_thread). */
static void test_affinity_moves_a_thread_with_its_fpu_state(void)
{
	unsigned cpu, count;
	CHECK_RC(cpu_info(&cpu, &count), EOK);
	fpu_ok = 0;
	for (uintptr_t i = 1; i <= 2; i++)
		CHECK_RC(thread_create(fpu_thread, (void *) (i * 5), "fpu", NULL), EOK);
	for (unsigned round = 0; round < 3 * count; round++) {
		unsigned to = round % count;
		uint64_t value = 0x5157000000000000ull + round;
		errno_t rc;
		CHECK(pin_with_xmm7(to, value, &rc) == value);
		CHECK_RC(rc, EOK);
		CHECK_RC(cpu_info(&cpu, &count), EOK);
		CHECK(cpu == to);
	}
	uint64_t start = clock_ns();
	while (fpu_ok < 200 && clock_ns() - start < 5000000000ull)
		DISCARD(woken, thread_sleep(1 * MS));
	CHECK(fpu_ok == 202);
	CHECK_RC(thread_set_affinity(count >= 64 ? ~0ull : (1ull << count) - 1), EOK);
}

static volatile uint32_t futex_word;
static futex_mutex_t counter_lock = FUTEX_MUTEX_INITIALIZER;
static uint64_t locked_counter;
static volatile errno_t thread_errno_seen;

static void lock_thread(void *arg)
{
	for (int i = 0; i < 2000; i++) {
		futex_mutex_lock(&counter_lock);
		uint64_t v = locked_counter;
		if (i % 64 == 0)
			thread_yield(); /* hold the lock across a switch now and then */
		locked_counter = v + 1;
		futex_mutex_unlock(&counter_lock);
	}
	errno = ERANGE; /* this thread's errno only */
	thread_errno_seen = errno;
}

static void futex_sleeper(void *arg)
{
	while (futex_word == 0)
		DISCARD(woken, futex_wait(&futex_word, 0, 0));
}

static void test_futex_mutex_join_and_errno(void)
{
	CHECK_RC(futex_wait(&futex_word, 1, 0), EAGAIN); /* the value differs */
	CHECK_RC(futex_wait(&futex_word, 0, 1000), ETIMEOUT);
	CHECK_RC(futex_wait((volatile uint32_t *) 0x700000000000ull, 0, 0), EBADMEM);
	CHECK_RC(futex_wait((volatile uint32_t *) ((uintptr_t) &futex_word + 1), 0, 0),
	    EINVAL);
	thread_id_t sleeper;
	CHECK_RC(thread_create(futex_sleeper, NULL, "sleeper", &sleeper), EOK);
	DISCARD(woken, thread_sleep(5 * MS));
	futex_word = 1;
	CHECK(futex_wake(&futex_word, 10) == 1);
	CHECK_RC(thread_join(sleeper), EOK);
	CHECK_RC(thread_join(sleeper), ENOENT); /* joined already */
	CHECK_RC(thread_join(thread_get_id()), EINVAL);

	errno = EOK;
	locked_counter = 0;
	thread_id_t ids[4];
	for (int i = 0; i < 4; i++)
		CHECK_RC(thread_create(lock_thread, NULL, "locker", &ids[i]), EOK);
	for (int i = 0; i < 4; i++)
		CHECK_RC(thread_join(ids[i]), EOK);
	CHECK(locked_counter == 8000);
	CHECK(thread_errno_seen == ERANGE);
	CHECK(errno == EOK); /* the threads' errno was their own */
	CHECK(futex_mutex_trylock(&counter_lock) == EOK);
	CHECK(futex_mutex_trylock(&counter_lock) == EBUSY);
	futex_mutex_unlock(&counter_lock);
	thread_id_t d;
	CHECK_RC(thread_create(lock_thread, NULL, "detached", &d), EOK);
	CHECK_RC(thread_detach(d), EOK);
	CHECK_RC(thread_join(d), ENOENT);
}

errno_t utest_child(const char *mode, task_exit_t *e)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "utest %s", mode);
	task_id_t id;
	errno_t rc = task_spawn_module(cmd, &id);
	if (rc != EOK)
		return rc;
	return task_join(id, e, 10000 * MS);
}

static void test_faulting_children_are_killed(void)
{
	static const char *const modes[] = {
	    "--fault", "--exec-data", "--write-code", "--read-kernel", "--ud2"};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		task_exit_t e;
		CHECK_RC(utest_child(modes[i], &e), EOK);
		if (e.how != TASK_EXIT_FAULT)
			printf("utest:   %s ended how=%d status=%d\n", modes[i], e.how,
			    e.status);
		CHECK(e.how == TASK_EXIT_FAULT);
	}
	task_exit_t e;
	CHECK_RC(utest_child("--fault", &e), EOK);
	CHECK(e.fault_addr == 0x10);
}

static void test_child_exit_status_and_kill(void)
{
	task_exit_t e;
	CHECK_RC(utest_child("--exit 7", &e), EOK);
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 7);
	CHECK_RC(utest_child("--noperm", &e), EOK);
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 0);
	task_id_t id;
	CHECK_RC(task_spawn_module("utest --sleep", &id), EOK);
	CHECK_RC(task_join(id, &e, 10 * MS), ETIMEOUT);
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
	CHECK(e.how == TASK_EXIT_KILLED);
	CHECK_RC(task_join(id, &e, 0), ENOENT); /* collected */
}

/** What a driver gets from the device manager: resources granted to a
 *  child that holds no permissions, usable exactly as granted. */
static void test_granted_resources(void)
{
	task_id_t id;
	CHECK_RC(task_spawn_module("utest --granted", &id), EOK);
	/* Nothing a driver of the full system owns (utest runs there too). */
	hw_resource_t mem = {.kind = HWRES_MEM, .base = 0xd0000, .size = 0x1000};
	hw_resource_t irq = {.kind = HWRES_IRQ, .base = 5, .size = 1};
	hw_resource_t io = {.kind = HWRES_IO, .base = 0x3e8, .size = 8};
	hw_resource_t bad_io = {.kind = HWRES_IO, .base = 0xffff, .size = 2};
	hw_resource_t bad_kind = {.kind = 9, .base = 0, .size = 1};
	CHECK_RC(hwres_grant(999999, &io), ENOENT);
	CHECK_RC(hwres_grant(id, &bad_io), EINVAL);
	CHECK_RC(hwres_grant(id, &bad_kind), EINVAL);
	CHECK_RC(hwres_grant(id, &mem), EOK);
	CHECK_RC(hwres_grant(id, &irq), EOK);
	CHECK_RC(hwres_grant(id, &io), EOK); /* last: the child waits for it */
	task_exit_t e;
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
	if (e.how != TASK_EXIT_NORMAL || e.status != 0)
		printf("utest:   --granted ended how=%d status=%d\n", e.how, e.status);
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 0);
}

/** Kills the sleeping child @a id and collects it. */
static void kill_sleeper(task_id_t id)
{
	task_exit_t e;
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
}

/** What devman relies on: a port range, an IRQ line and device memory
 *  granted to one task are EBUSY for every other (by grant or by
 *  permission) until that task ends; the PCI configuration ports are out
 *  of PERM_IO's reach. Resources no driver of the full system owns. */
static void test_owned_hardware_is_busy_for_others(void)
{
	task_id_t a, b;
	CHECK_RC(task_spawn_module("utest --sleep", &a), EOK);
	CHECK_RC(task_spawn_module("utest --sleep", &b), EOK);
	hw_resource_t io = {.kind = HWRES_IO, .base = 0x2e8, .size = 8};
	hw_resource_t overlap = {.kind = HWRES_IO, .base = 0x2ef, .size = 2};
	hw_resource_t irq = {.kind = HWRES_IRQ, .base = 3, .size = 1};
	hw_resource_t mem = {.kind = HWRES_MEM, .base = 0xe0000, .size = 0x2000};
	hw_resource_t mem_part = {.kind = HWRES_MEM, .base = 0xe1000, .size = 0x1000};
	const hw_resource_t *all[] = {&io, &irq, &mem};
	for (size_t i = 0; i < 3; i++) {
		CHECK_RC(hwres_grant(a, all[i]), EOK);
		CHECK_RC(hwres_grant(a, all[i]), EOK); /* again: its own */
		CHECK_RC(hwres_grant(b, all[i]), EBUSY);
	}
	CHECK_RC(hwres_grant(b, &overlap), EBUSY);
	CHECK_RC(hwres_grant(b, &mem_part), EBUSY);
	/* Holding PERM_IO, PERM_IRQ and PERM_PHYSMEM does not get past an owner. */
	uintptr_t base;
	cap_handle_t h;
	irq_cmd_t accept = {.cmd = IRQ_CMD_ACCEPT};
	CHECK_RC(iospace_enable(0x2ec, 1), EBUSY);
	CHECK_RC(ipc_irq_subscribe(3, 1024, &accept, 1, &h), EBUSY);
	CHECK_RC(physmem_map(0xe1000, 4096, AS_AREA_READ, &base), EBUSY);
	CHECK_RC(iospace_enable(0xcfc, 4), EPERM); /* the PCI driver's only */
	/* A line granted shared (as a PCI INTx line is) to both: PERM_IRQ does not
	 * get it, nor does an exclusive grant. */
	hw_resource_t intx = {.kind = HWRES_IRQ_SHARED, .base = 7, .size = 1};
	hw_resource_t intx_own = {.kind = HWRES_IRQ, .base = 7, .size = 1};
	CHECK_RC(hwres_grant(a, &intx), EOK);
	CHECK_RC(hwres_grant(b, &intx), EOK);
	CHECK_RC(ipc_irq_subscribe(7, 1024, &accept, 1, &h), EBUSY);
	CHECK_RC(hwres_grant(task_get_id(), &intx_own), EBUSY);
	hw_resource_t pci = {.kind = HWRES_IO, .base = 0xcf8, .size = 8};
	/* What devman does for the PCI driver, which has them in the full system. */
	errno_t pci_rc = hwres_grant(b, &pci);
	CHECK(pci_rc == EOK || pci_rc == EBUSY);
	CHECK_RC(hwres_grant(a, &pci), EBUSY);
	kill_sleeper(a); /* its claims go with it */
	for (size_t i = 0; i < 3; i++)
		CHECK_RC(hwres_grant(b, all[i]), EOK);
	kill_sleeper(b);
	/* Used under a permission, a port range is ours until we end. */
	CHECK_RC(iospace_enable(0x2e8, 8), EOK);
	CHECK_RC(task_spawn_module("utest --sleep", &a), EOK);
	CHECK_RC(hwres_grant(a, &io), EBUSY);
	kill_sleeper(a);
}

/* Children. */

/** Waits (polling, up to a second) until the parent granted the ports. */
static bool wait_for_io_grant(void)
{
	for (int i = 0; i < 100; i++) {
		if (iospace_enable(0x3e8, 8) == EOK)
			return true;
		DISCARD(woken, thread_sleep(10 * MS));
	}
	return false;
}

/** DMA memory for a driver (the child holds grants): zeroed, writable,
 *  page-aligned below 4 GiB when asked, arguments checked. How many failed. */
/** DMA memory counts in QUOTA_MEMORY while mapped (this task, a child,
 *  keeps the limit lowered); the failed checks. */
static int child_dmamem_quota(void)
{
	quota_info_t q;
	void *virt, *more;
	uintptr_t phys;
	if (quota_get(0, &q) != EOK)
		return 1;
	uint64_t used = q.used[QUOTA_MEMORY];
	if (dmamem_map_anonymous(4 * 4096, 0, &virt, &phys) != EOK)
		return 1;
	int bad = quota_get(0, &q) != EOK || q.used[QUOTA_MEMORY] != used + 4;
	bad += quota_set(0, QUOTA_MEMORY, used + 4) != EOK;
	bad += dmamem_map_anonymous(4096, 0, &more, &phys) != ELIMIT;
	bad += as_area_resize((uintptr_t) virt, 4096) != ENOTSUP; /* kept whole */
	bad += as_area_destroy((uintptr_t) virt) != EOK;
	bad += quota_get(0, &q) != EOK || q.used[QUOTA_MEMORY] != used;
	if (dmamem_map_anonymous(4 * 4096, 0, &virt, &phys) == EOK)
		bad += as_area_destroy((uintptr_t) virt) != EOK;
	else
		bad++;
	if (bad != 0)
		printf("utest:   DMA memory and QUOTA_MEMORY: %d checks failed\n", bad);
	return bad;
}

static int child_dmamem(void)
{
	int bad = 0;
	void *virt;
	uintptr_t phys;
	bad += dmamem_map_anonymous(0, 0, &virt, &phys) != EINVAL;
	bad += dmamem_map_anonymous(DMAMEM_MAX + 1, 0, &virt, &phys) != EINVAL;
	bad += dmamem_map_anonymous(4096, 0x80, &virt, &phys) != EINVAL;
	bad += (errno_t) syscall4(SYS_DMAMEM_MAP, 4096, 0, 8, (sysarg_t) &phys) !=
	    EBADMEM;
	bad += (errno_t) syscall4(SYS_DMAMEM_MAP, 4096, 0, (sysarg_t) &phys, 8) !=
	    EBADMEM;
	if (dmamem_map_anonymous(3 * 4096 + 1, DMAMEM_BELOW_4G, &virt, &phys) != EOK)
		return bad + 1;
	uint8_t *bytes = virt;
	for (size_t i = 0; i < 4 * 4096; i += 512)
		bad += bytes[i] != 0;
	bytes[4 * 4096 - 1] = 0x5a; /* the rounded-up last page is there too */
	bad += phys % 4096 != 0 || phys + 4 * 4096 > (1ull << 32);
	bad += as_area_destroy((uintptr_t) virt) != EOK;
	return bad + child_dmamem_quota();
}

/** An IRQ program subscribed with one memory read at @a addr. */
static errno_t subscribe_mem_read(uint32_t cmd, uint64_t addr)
{
	irq_cmd_t prog[] = {
	    {.cmd = cmd, .value = addr, .dst = 1}, {.cmd = IRQ_CMD_ACCEPT}};
	cap_handle_t h;
	errno_t rc = ipc_irq_subscribe(5, 1024, prog, 2, &h);
	if (rc == EOK && ipc_irq_unsubscribe(h) != EOK)
		return EIO;
	return rc;
}

/** IRQ programs read device memory inside the grant (0xd0000, one page)
 *  only, naturally aligned: how many checks failed. */
static int child_irq_mem_reads(void)
{
	int bad = 0;
	bad += subscribe_mem_read(IRQ_CMD_MEM_READ_8, 0xd0000) != EOK;
	bad += subscribe_mem_read(IRQ_CMD_MEM_READ_32, 0xd0ffc) != EOK;
	bad += subscribe_mem_read(IRQ_CMD_MEM_READ_8, 0xd1000) != EPERM;
	bad += subscribe_mem_read(IRQ_CMD_MEM_READ_32, 0xcfffc) != EPERM;
	bad += subscribe_mem_read(IRQ_CMD_MEM_READ_32, 0x100000) != EPERM; /* RAM */
	bad += subscribe_mem_read(IRQ_CMD_MEM_READ_16, 0xd0001) != EINVAL;
	bad += subscribe_mem_read(IRQ_CMD_MEM_READ_32, UINT64_MAX - 3) != EINVAL;
	bad += subscribe_mem_read(IRQ_CMD_LAST + 1, 0xd0000) != EINVAL;
	/* Subscribed and unsubscribed over and over: the kernel's mappings go
	 * with the subscriptions (its window has 4,096 pages). */
	for (int i = 0; i < 5000 && bad == 0; i++)
		bad += subscribe_mem_read(IRQ_CMD_MEM_READ_32, 0xd0010) != EOK;
	return bad;
}

/** The checks of test_granted_resources, in the child: how many failed. */
static int child_granted(void)
{
	if (!wait_for_io_grant())
		return 100;
	int bad = 0;
	uintptr_t base;
	bad += iospace_enable(0x3e9, 7) != EOK;
	bad += iospace_enable(0x3e8, 9) != EPERM; /* one port too many */
	bad += iospace_enable(0x2f8, 8) != EPERM;
	bad += physmem_map(0xd1000, 4096, AS_AREA_READ, &base) != EPERM;
	if (physmem_map(0xd0000, 4096, AS_AREA_READ, &base) == EOK)
		bad += as_area_destroy(base) != EOK;
	else
		bad++;
	irq_cmd_t accept = {.cmd = IRQ_CMD_ACCEPT};
	cap_handle_t h;
	bad += ipc_irq_subscribe(6, 1024, &accept, 1, &h) != EPERM;
	if (ipc_irq_subscribe(5, 1024, &accept, 1, &h) == EOK)
		bad += ipc_irq_unsubscribe(h) != EOK;
	else
		bad++;
	hw_resource_t more = {.kind = HWRES_IO, .base = 0x2f8, .size = 8};
	bad += hwres_grant(task_get_id(), &more) != EPERM; /* no PERM_IO */
	return bad + child_irq_mem_reads() + child_dmamem();
}

static int child_noperm(void)
{
	uintptr_t base;
	uint64_t id;
	int bad = 0;
	bad += physmem_map(0xb8000, 4096, AS_AREA_READ, &base) != EPERM;
	void *virt;
	uintptr_t phys;
	bad += dmamem_map_anonymous(4096, 0, &virt, &phys) != EPERM;
	bad += (errno_t) syscall2(SYS_IOSPACE_ENABLE, 0x3f8, 8) != EPERM;
	bad += (errno_t) syscall5(SYS_IRQ_SUBSCRIBE, 5, 1024, 0, 1, (uint64_t) &id) !=
	    EPERM;
	bad += task_spawn_module("utest --exit 0", &id) != EPERM;
	bad += (errno_t) syscall3(SYS_IPCLOG_CONTROL, 1, 1, 0) != EPERM;
	bad += (errno_t) syscall0(SYS_KCONSOLE) != EPERM;
	bad += perm_grant(task_get_id(), PERM_IO) != EPERM; /* cannot give itself more */
	bad += task_kill(1) != EPERM && task_kill(1) != ENOENT;
	return bad;
}

static void jump_to(uintptr_t addr)
{
	((void (*)(void)) addr)();
}

int main(int argc, char **argv);

static int run_child(int argc, char **argv)
{
	const char *mode = argv[1];
	if (strcmp(mode, "--exit") == 0 && argc > 2)
		return atoi(argv[2]);
	if (strcmp(mode, "--noperm") == 0)
		return child_noperm();
	if (strcmp(mode, "--granted") == 0)
		return child_granted();
	if (strcmp(mode, "--flood") == 0)
		return child_flood(argc, argv);
	if (strcmp(mode, "--quota-checks") == 0)
		return child_quota_checks();
	if (strcmp(mode, "--subscribe") == 0)
		return child_subscribe();
	if (strcmp(mode, "--shootdown") == 0 && argc > 2)
		return child_shootdown(argv[2]);
	if (strcmp(mode, "--spread") == 0)
		return child_spread();
	if (strcmp(mode, "--regs-server") == 0)
		return child_regs_server();
	if (strcmp(mode, "--int") == 0 && argc > 2)
		return child_int(argv[2]);
	if (strcmp(mode, "--io-every-cpu") == 0)
		return child_io_every_cpu();
	if (strcmp(mode, "--io-denied") == 0 && argc > 2)
		return child_io_denied(argv[2]);
	if (strcmp(mode, "--drain") == 0)
		return child_drain();
	if (strcmp(mode, "--sleep") == 0) {
		DISCARD(woken, thread_sleep(60000 * MS));
		return 1;
	}
	/* Addresses laundered through volatiles so the compiler cannot see them. */
	uintptr_t volatile low = 0x10, kernel = KERNEL_ADDR;
	if (strcmp(mode, "--fault") == 0)
		*(volatile uint64_t *) low = 1;
	if (strcmp(mode, "--read-kernel") == 0)
		return (int) *(volatile uint64_t *) kernel;
	if (strcmp(mode, "--write-code") == 0)
		*(volatile uint8_t *) (uintptr_t) main = 0xc3;
	if (strcmp(mode, "--exec-data") == 0) {
		static uint8_t ret_insn[16] = {0xc3}; /* NX: data is not code */
		jump_to((uintptr_t) ret_insn);
	}
	if (strcmp(mode, "--ud2") == 0)
		__asm__ volatile("ud2");
	return 99; /* should not get here */
}

int main(int argc, char **argv)
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 1)
		return run_child(argc, argv);
	test_suite_start("utest");
	test_run("bad_pointers_get_ebadmem", test_bad_pointers_get_ebadmem);
	test_run("bad_ids_and_numbers", test_bad_ids_and_numbers);
	test_run("user_clock_matches_the_kernel", test_user_clock_matches_the_kernel);
	test_run("areas_and_demand_paging", test_areas_and_demand_paging);
	test_run("threads_run_concurrently", test_threads_run_concurrently);
	test_run("fpu_state_survives_switches", test_fpu_state_survives_switches);
	test_run("affinity_rejects_empty_and_missing_cpus",
	    test_affinity_rejects_empty_and_missing_cpus);
	test_run("affinity_moves_a_thread_with_its_fpu_state",
	    test_affinity_moves_a_thread_with_its_fpu_state);
	test_run("spinlock_and_mutex_hammered_from_every_cpu",
	    test_spinlock_and_mutex_hammered_from_every_cpu);
	test_run(
	    "unmap_is_shot_down_on_another_cpu", test_unmap_is_shot_down_on_another_cpu);
	test_run("task_killed_on_every_cpu_leaves_no_leak",
	    test_task_killed_on_every_cpu_leaves_no_leak);
	test_run("task_end_is_seen_after_its_threads_are_gone",
	    test_task_end_is_seen_after_its_threads_are_gone);
	test_run("runnable_threads_spread_over_every_cpu",
	    test_runnable_threads_spread_over_every_cpu);
	test_run("threads_of_one_task_spread_without_affinity",
	    test_threads_of_one_task_spread_without_affinity);
	test_run("debug_stop_holds_threads_on_every_cpu",
	    test_debug_stop_holds_threads_on_every_cpu);
	test_run("user_space_cannot_send_ipis_or_reach_the_apics",
	    test_user_space_cannot_send_ipis_or_reach_the_apics);
	test_run("irq_lines_go_to_a_chosen_cpu", test_irq_lines_go_to_a_chosen_cpu);
	test_run("cpu_stats_of_every_cpu_and_bad_input",
	    test_cpu_stats_of_every_cpu_and_bad_input);
	test_run("futex_mutex_join_and_errno", test_futex_mutex_join_and_errno);
	test_run(
	    "registers_survive_ipc_round_trips", test_registers_survive_ipc_round_trips);
	test_run("registers_survive_ipc_round_trips_while_a_task_is_stopped",
	    test_registers_survive_ipc_round_trips_while_a_task_is_stopped);
	test_run("a_server_killed_in_answer_wait_is_not_resumed_with_a_request",
	    test_a_server_killed_in_answer_wait_is_not_resumed_with_a_request);
	test_run("faulting_children_are_killed", test_faulting_children_are_killed);
	test_run("child_exit_status_and_kill", test_child_exit_status_and_kill);
	test_run("granted_resources", test_granted_resources);
	test_run(
	    "owned_hardware_is_busy_for_others", test_owned_hardware_is_busy_for_others);
	test_run("io_ports_enabled_work_on_every_cpu",
	    test_io_ports_enabled_work_on_every_cpu);
	test_run("io_ports_denied_where_a_granted_task_ran",
	    test_io_ports_denied_where_a_granted_task_ran);
	test_run("quotas_are_inherited_and_only_lowered",
	    test_quotas_are_inherited_and_only_lowered);
	test_run("loader_flood_stops_at_the_task_quota",
	    test_loader_flood_stops_at_the_task_quota);
	test_run("capability_flood_stops_at_its_quota",
	    test_capability_flood_stops_at_its_quota);
	test_run("thread_and_memory_quotas", test_thread_and_memory_quotas);
	test_run("events_have_several_subscribers", test_events_have_several_subscribers);
	test_run("capability_rights_system_calls", test_capability_rights_system_calls);
	test_run("thread_info_bad_input_gets_clear_errors",
	    test_thread_info_bad_input_gets_clear_errors);
	test_run("thread_cpu_time_grows_while_it_runs",
	    test_thread_cpu_time_grows_while_it_runs);
	test_run("every_cpu_has_an_idle_thread", test_every_cpu_has_an_idle_thread);
	test_run("ipc_drain_needs_a_single_runner", test_ipc_drain_needs_a_single_runner);
	return test_suite_end_count();
}
