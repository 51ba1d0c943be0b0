/*
 * System-wide state: boot mode and stopping the machine.
 */
#ifndef KERN_SYSTEM_H
#define KERN_SYSTEM_H

#include <types.h>

typedef enum {
	SYSTEM_HALT_NORMAL,
	SYSTEM_HALT_TESTS_PASSED,
	SYSTEM_HALT_TESTS_FAILED,
	SYSTEM_HALT_PANIC,
} system_halt_reason_t;

/** True when booted with the `test` option: failures end the run. */
extern bool system_test_mode;

/** Restarts the machine. */
NORETURN void system_reboot(void);

/** Powers the machine off (ACPI S5); where that fails, prints "System
 *  halted." and halts the CPU. */
NORETURN void system_poweroff(void);

/** Stops the machine. Under QEMU, exits with a status that tells the reason. */
NORETURN void system_halt(system_halt_reason_t reason);

#endif
