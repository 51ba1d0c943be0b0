/*
 * ACPI MADT parsing (see arch/madt.h). The table is a 44-byte header (the
 * standard 36 plus the local APIC address and flags) followed by entries of
 * (type, length, body). The entries used here:
 *   0 processor local APIC  (ACPI id, APIC id, flags: bit 0 enabled, bit 1 online capable)
 *   1 I/O APIC              (id, reserved, address, GSI base)
 *   2 interrupt override    (bus, ISA source, GSI, MPS INTI flags)
 *   5 local APIC address    (64-bit override of the header's address)
 *   9 processor x2APIC      (reserved, x2APIC id, flags, ACPI id)
 * State: `madt`, written once by the boot CPU before the others start.
 */
#include <arch/acpi.h>
#include <arch/madt.h>
#include <printf.h>
#include <string.h>

#define MADT_HEADER	     44
#define MADT_LAPIC_ADDR	     36
#define MADT_FLAGS	     40
#define MADT_PCAT_COMPAT     0x1
#define ENTRY_LAPIC	     0
#define ENTRY_IOAPIC	     1
#define ENTRY_OVERRIDE	     2
#define ENTRY_LAPIC_ADDR     5
#define ENTRY_X2APIC	     9
#define LAPIC_ENABLED	     0x1
#define LAPIC_ONLINE_CAPABLE 0x2

madt_t madt;

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/** Lists a CPU (the boot CPU is already first; duplicates are dropped). */
static void add_cpu(uint32_t apic_id, uint32_t flags)
{
	if (!(flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE)))
		return;
	for (size_t i = 0; i < madt.cpu_count; i++) {
		if (madt.cpu_apic_id[i] == apic_id)
			return;
	}
	if (madt.cpu_count < MADT_CPUS_MAX)
		madt.cpu_apic_id[madt.cpu_count++] = apic_id;
}

static void add_ioapic(const uint8_t *e)
{
	if (madt.ioapic_count == MADT_IOAPICS_MAX)
		return;
	madt.ioapic[madt.ioapic_count++] = (madt_ioapic_t){
	    .id = e[2], .base = get32(e + 4), .gsi_base = get32(e + 8)};
}

static void add_override(const uint8_t *e)
{
	uint8_t bus = e[2], source = e[3];
	if (bus != 0 || source >= ISA_IRQ_COUNT)
		return;
	madt.isa[source] = (madt_isa_t){.gsi = get32(e + 4), .flags = get16(e + 8)};
}

static void parse_entry(const uint8_t *e, uint8_t len)
{
	switch (e[0]) {
	case ENTRY_LAPIC:
		if (len >= 8)
			add_cpu(e[3], get32(e + 4));
		break;
	case ENTRY_IOAPIC:
		if (len >= 12)
			add_ioapic(e);
		break;
	case ENTRY_OVERRIDE:
		if (len >= 10)
			add_override(e);
		break;
	case ENTRY_LAPIC_ADDR:
		if (len >= 12)
			memcpy(&madt.lapic_base, e + 4, sizeof(uint64_t));
		break;
	case ENTRY_X2APIC:
		if (len >= 16)
			add_cpu(get32(e + 4), get32(e + 8));
		break;
	}
}

bool madt_parse(uint32_t boot_apic_id)
{
	uint32_t len;
	const uint8_t *t = acpi_table_find("APIC", &len);
	if (t == NULL || len < MADT_HEADER)
		return false;
	madt.lapic_base = get32(t + MADT_LAPIC_ADDR);
	madt.has_8259 = (get32(t + MADT_FLAGS) & MADT_PCAT_COMPAT) != 0;
	for (unsigned irq = 0; irq < ISA_IRQ_COUNT; irq++)
		madt.isa[irq] = (madt_isa_t){.gsi = irq, .flags = 0};
	madt.cpu_count = 1;
	madt.cpu_apic_id[0] = boot_apic_id;
	for (uint32_t off = MADT_HEADER; off + 2 <= len;) {
		uint8_t elen = t[off + 1];
		if (elen < 2 || off + elen > len)
			break;
		parse_entry(t + off, elen);
		off += elen;
	}
	return madt.lapic_base != 0 && madt.ioapic_count > 0;
}
