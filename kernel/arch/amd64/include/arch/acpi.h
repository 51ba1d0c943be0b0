/*
 * ACPI soft power-off (S5) from the firmware's tables.
 */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <types.h>

/** Puts the machine in S5 (power off). Returns only when the tables are
 *  missing or unusable, or the chipset did not act on them. */
void acpi_poweroff(void);

#endif
