/*
 * ACPI: the firmware's tables and soft power-off (S5).
 */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <types.h>

/** The table with signature @a sig (4 characters) that the RSDT lists, its
 *  checksum verified, and its length in *@a length; NULL if there is none.
 *  Tables are read through the direct map and never change. */
const uint8_t *acpi_table_find(const char *sig, uint32_t *length);

/** Puts the machine in S5 (power off). Returns only when the tables are
 *  missing or unusable, or the chipset did not act on them. */
void acpi_poweroff(void);

#endif
