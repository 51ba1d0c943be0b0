/*
 * What the ACPI MADT ("APIC" table) says about the machine's interrupt
 * hardware: the local APIC of each CPU, the I/O APICs and how ISA lines map
 * to global system interrupts (GSIs). Filled once by madt_parse() on the boot
 * CPU before any other CPU runs; read-only afterwards.
 */
#ifndef ARCH_MADT_H
#define ARCH_MADT_H

#include <types.h>

#define MADT_CPUS_MAX	 256 /* CPUs listed; the kernel runs at most CPU_MAX */
#define MADT_IOAPICS_MAX 8
#define ISA_IRQ_COUNT	 16

/* Interrupt source override flags (MPS INTI flags). */
#define MADT_POLARITY_MASK 0x3
#define MADT_POLARITY_LOW  0x3
#define MADT_TRIGGER_MASK  0xc
#define MADT_TRIGGER_LEVEL 0xc

typedef struct {
	uint32_t id;
	paddr_t base;
	uint32_t gsi_base;
} madt_ioapic_t;

typedef struct {
	uint32_t gsi;	/* the I/O APIC input of the line */
	uint16_t flags; /* MADT_POLARITY_*, MADT_TRIGGER_* (0: ISA default) */
} madt_isa_t;

typedef struct {
	paddr_t lapic_base;
	bool has_8259; /* PCAT_COMPAT: a dual 8259 to be masked */
	size_t cpu_count;
	uint32_t cpu_apic_id[MADT_CPUS_MAX]; /* usable CPUs; [0] is the boot CPU */
	size_t ioapic_count;
	madt_ioapic_t ioapic[MADT_IOAPICS_MAX];
	madt_isa_t isa[ISA_IRQ_COUNT];
} madt_t;

extern madt_t madt;

/** Reads the MADT; @a boot_apic_id goes first in madt.cpu_apic_id. False if
 *  there is no usable table (no local APIC address or no I/O APIC). */
bool madt_parse(uint32_t boot_apic_id);

#endif
