/*
 * kmain(): the generic start-up sequence, from the first C code to the
 * self-tests or the init tasks.
 */
#include <arch.h>
#include <arch/asm.h>
#include <arch/cycle.h>
#include <arch/cpu.h>
#include <boot.h>
#include <cmdline.h>
#include <kconsole.h>
#include <klog.h>
#include <mm/frame.h>
#include <mm/as.h>
#include <ipc/ipc.h>
#include <synch/futex.h>
#include <synch/lockdep.h>
#include <log/ipclog.h>

void ipc_irq_init(void);
#include <mm/kmalloc.h>
#include <printf.h>
#include <system.h>
#include <test.h>
#include <time/clock.h>
#include <time/rtc.h>
#include <arch/fpu.h>
#include <proc/scheduler.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <panic.h>
#include <smp.h>

void kmain(uintptr_t boot_magic, uintptr_t boot_info_pa);

/** TSC at kernel entry: under QEMU -icount, guest instructions since power-on. */
static uint64_t kernel_entry_tsc;
void init_start_user(void);

static void print_banner(void)
{
	frame_stats_t fs;
	frame_get_stats(&fs);
	printf("Switchboard %s (%s), a microkernel\n", CONFIG_VERSION, CONFIG_ARCH);
	printf("boot: loader \"%s\", command line \"%s\"\n", boot_info.loader_name,
	    boot_info.cmdline);
	printf("memory: %zu MiB usable (%zu frames, %zu free), %zu map entries\n",
	    fs.total * FRAME_SIZE >> 20, fs.total, fs.free, boot_info.memmap_count);
	for (size_t i = 0; i < boot_info.module_count; i++) {
		const boot_module_t *m = &boot_info.modules[i];
		printf("module %zu: %#llx-%#llx (%llu bytes) \"%s\"\n", i,
		    (unsigned long long) m->start, (unsigned long long) m->end,
		    (unsigned long long) (m->end - m->start), m->cmdline);
	}
	if (boot_info.framebuffer.present)
		printf("framebuffer: %ux%u, %u bpp, type %u at %#llx\n",
		    boot_info.framebuffer.width, boot_info.framebuffer.height,
		    boot_info.framebuffer.bpp, boot_info.framebuffer.type,
		    (unsigned long long) boot_info.framebuffer.addr);
	cpu_print_features();
	printf("boot: kernel entered at %llu TSC ticks since power-on\n",
	    (unsigned long long) kernel_entry_tsc);
}

/** Runs the self-tests selected on the command line, then powers off. */
static NORETURN void run_self_tests(void)
{
	char filter[64];
	const char *f = cmdline_get(boot_info.cmdline, "test", filter, sizeof(filter)) ==
		EOK
	    ? filter
	    : NULL;
	printf("Running kernel self-tests%s%s\n", f ? " matching " : "", f ? f : "");
	unsigned failed = ktest_run(f);
	system_halt(failed == 0 ? SYSTEM_HALT_TESTS_PASSED : SYSTEM_HALT_TESTS_FAILED);
}

/** The first kernel thread: everything after start-up that may block. */
/** A tick hook: posts what was printed with locks held (klog.c). */
static void klog_tick(bool user)
{
	(void) user;
	klog_notify();
}

static void kinit(void *arg)
{
	print_banner();
	if (system_test_mode)
		run_self_tests();
	if (cmdline_has(boot_info.cmdline, "kconsole"))
		kconsole_run(false);
	init_start_user();
}

void kmain(uintptr_t boot_magic, uintptr_t boot_info_pa)
{
	kernel_entry_tsc = arch_cycle_count();
	arch_early_init(boot_magic, boot_info_pa);
	lockdep_init(); /* the per-CPU pointer is set */
	system_test_mode = cmdline_has(boot_info.cmdline, "test");
	frame_init();
	arch_mm_init();
	kmalloc_init();
	as_init();
	ipc_init();
	ipc_irq_init();
	futex_init();
	arch_late_init();
	scheduler_init();
	task_init();
	thread_init();
	clock_init();
	realtime_init();
	clock_on_tick(scheduler_tick);
	clock_on_tick(klog_tick); /* what was printed with locks held */
	smp_start();
	ipclog_boot(boot_info.cmdline);
	ipc_fastpath_boot(boot_info.cmdline);

	thread_t *init;
	if (thread_create(NULL, kinit, NULL, "kinit", &init) != EOK)
		panic("cannot create the kinit thread");
	thread_detach(init);
	thread_start(init);
	thread_become_idle();
}
