/*
 * panic(): stop the system with as much information as possible. The first
 * CPU to panic stops the others (smp_stop_others), names itself in the
 * report and says whether every other CPU confirmed it stopped; a nested
 * panic, or a panic on a second CPU meanwhile, stops that CPU at once.
 */
#include <panic.h>
#include <arch/asm.h>
#include <arch/frame.h>
#include <arch/interrupt.h>
#include <console.h>
#include <cpu.h>
#include <kconsole.h>
#include <printf.h>
#include <smp.h>
#include <symtab.h>
#include <synch/lockdep.h>
#include <system.h>

static volatile int panicking;

static NORETURN void panic_finish(void)
{
	if (!system_test_mode)
		kconsole_run(true); /* returns only if it could not run */
	printf("System halted.\n");
	system_halt(SYSTEM_HALT_PANIC);
}

static void panic_header(const char *fmt, va_list ap)
{
	irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST) != 0)
		smp_stopped(); /* counted as stopped by the first to panic */
	unsigned running = smp_stop_others();
	lockdep_disable(); /* the report must get out whatever is held */
	console_enter_panic_mode();
	printf("\nPANIC: ");
	vprintf(fmt, ap);
	printf("\n");
	if (running == 0)
		printf("on CPU %u of %u (the others are stopped)\n", CPU->id, cpu_count);
	else
		printf("on CPU %u of %u (%u of the others did not stop)\n", CPU->id,
		    cpu_count, running);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_header(fmt, ap);
	va_end(ap);
	/* Start at our caller: its return address and its frame pointer. */
	uintptr_t fp = (uintptr_t) __builtin_frame_address(0);
	backtrace_print(arch_frame_return_pc(fp), arch_frame_caller_fp(fp));
	panic_finish();
}

void panic_istate(const istate_t *istate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_header(fmt, ap);
	va_end(ap);
	istate_print(istate);
	backtrace_print(istate_pc(istate), istate_fp(istate));
	panic_finish();
}
