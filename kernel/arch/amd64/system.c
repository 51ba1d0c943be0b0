/*
 * Stopping the machine. Under QEMU with isa-debug-exit (iobase 0xf4) the exit
 * status tells the harness why: 33 tests passed, 35 tests failed or panic,
 * 1 normal halt. Elsewhere the CPU just halts.
 */
#include <system.h>
#include <arch/asm.h>
#include <arch/acpi.h>
#include <arch/drivers.h>
#include <printf.h>

#define QEMU_EXIT_NORMAL 0x00 /* status 1 */
#define QEMU_EXIT_PASS	 0x10 /* status 33 */
#define QEMU_EXIT_FAIL	 0x11 /* status 35 */

bool system_test_mode;

void system_halt(system_halt_reason_t reason)
{
	irq_disable();
	switch (reason) {
	case SYSTEM_HALT_TESTS_PASSED:
		qemu_exit(QEMU_EXIT_PASS);
		break;
	case SYSTEM_HALT_TESTS_FAILED:
		qemu_exit(QEMU_EXIT_FAIL);
		break;
	case SYSTEM_HALT_PANIC:
		if (system_test_mode)
			qemu_exit(QEMU_EXIT_FAIL);
		break;
	case SYSTEM_HALT_NORMAL:
		qemu_exit(QEMU_EXIT_NORMAL);
		break;
	}
	for (;;)
		cpu_halt();
}

void system_reboot(void)
{
	irq_disable();
	/* Pulse the reset line through the keyboard controller... */
	for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
		cpu_relax();
	outb(0x64, 0xfe);
	/* ...and if that did not work, triple-fault with an empty IDT. */
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = {0, 0};
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
	for (;;)
		cpu_halt();
}

void system_poweroff(void)
{
	irq_disable();
	acpi_poweroff();
	printf("System halted.\n");
	for (;;)
		cpu_halt();
}
