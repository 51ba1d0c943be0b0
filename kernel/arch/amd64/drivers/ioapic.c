/*
 * I/O APIC driver: device lines (GSIs) become messages to one CPU's local
 * APIC. Each I/O APIC is programmed through an index register (IOREGSEL) and
 * a data window (IOWIN), so the pair must not be interleaved between CPUs:
 * ioapic_lock guards every access (a leaf lock, taken with interrupts off).
 * ISA lines map to GSIs by the MADT's overrides (madt.isa); a line without
 * one is edge-triggered and active high, as on the ISA bus.
 */
#include <arch/apic.h>
#include <arch/madt.h>
#include <arch/mm.h>
#include <printf.h>
#include <spinlock.h>

#define IOREGSEL       0x00
#define IOWIN	       0x10
#define REG_VER	       0x01
#define REG_REDIR      0x10
#define REDIR_LOW      0
#define REDIR_HIGH     1
#define RTE_ACTIVE_LOW (1u << 13)
#define RTE_LEVEL      (1u << 15)
#define RTE_MASKED     (1u << 16)

static spinlock_t ioapic_lock = SPINLOCK_INITIALIZER("ioapic", IOAPIC);
static unsigned pin_count[MADT_IOAPICS_MAX]; /* set by ioapic_init() */

/** Caller holds ioapic_lock. */
static uint32_t ioapic_read(const madt_ioapic_t *io, uint32_t reg)
{
	volatile uint32_t *base = phys_to_virt(io->base);
	base[IOREGSEL / 4] = reg;
	return base[IOWIN / 4];
}

/** Caller holds ioapic_lock. */
static void ioapic_write(const madt_ioapic_t *io, uint32_t reg, uint32_t v)
{
	volatile uint32_t *base = phys_to_virt(io->base);
	base[IOREGSEL / 4] = reg;
	base[IOWIN / 4] = v;
}

/** The I/O APIC serving @a gsi and the pin number there; NULL if none. */
static const madt_ioapic_t *ioapic_of(uint32_t gsi, unsigned *pin)
{
	for (size_t i = 0; i < madt.ioapic_count; i++) {
		const madt_ioapic_t *io = &madt.ioapic[i];
		if (gsi >= io->gsi_base && gsi - io->gsi_base < pin_count[i]) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

void ioapic_init(void)
{
	spinlock_lock(&ioapic_lock);
	for (size_t i = 0; i < madt.ioapic_count; i++) {
		const madt_ioapic_t *io = &madt.ioapic[i];
		unsigned pins = ((ioapic_read(io, REG_VER) >> 16) & 0xff) + 1;
		pin_count[i] = pins;
		for (unsigned pin = 0; pin < pins; pin++)
			ioapic_write(io, REG_REDIR + 2 * pin + REDIR_LOW, RTE_MASKED);
		printf("apic: I/O APIC %u at %#llx, GSIs %u-%u\n", io->id,
		    (unsigned long long) io->base, io->gsi_base, io->gsi_base + pins - 1);
	}
	spinlock_unlock(&ioapic_lock);
}

/** The redirection entry's low word for ISA line @a irq (still masked). */
static uint32_t isa_rte(unsigned irq, uint8_t vector)
{
	uint16_t flags = madt.isa[irq].flags;
	uint32_t rte = vector | RTE_MASKED;
	if ((flags & MADT_POLARITY_MASK) == MADT_POLARITY_LOW)
		rte |= RTE_ACTIVE_LOW;
	if ((flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL)
		rte |= RTE_LEVEL;
	return rte;
}

void ioapic_route_isa(unsigned irq, uint8_t vector, uint32_t apic_id)
{
	unsigned pin;
	const madt_ioapic_t *io = ioapic_of(madt.isa[irq].gsi, &pin);
	if (io == NULL) {
		printf("apic: IRQ %u (GSI %u) has no I/O APIC input; left masked\n", irq,
		    madt.isa[irq].gsi);
		return;
	}
	uint32_t low = isa_rte(irq, vector);
	spinlock_lock(&ioapic_lock);
	/* Masked while the destination changes, so no message goes half-made. */
	ioapic_write(io, REG_REDIR + 2 * pin + REDIR_LOW, low);
	ioapic_write(io, REG_REDIR + 2 * pin + REDIR_HIGH, apic_id << 24);
	ioapic_write(io, REG_REDIR + 2 * pin + REDIR_LOW, low & ~RTE_MASKED);
	spinlock_unlock(&ioapic_lock);
}

void ioapic_mask_isa(unsigned irq)
{
	unsigned pin;
	const madt_ioapic_t *io = ioapic_of(madt.isa[irq].gsi, &pin);
	if (io == NULL)
		return;
	spinlock_lock(&ioapic_lock);
	uint32_t low = ioapic_read(io, REG_REDIR + 2 * pin + REDIR_LOW);
	ioapic_write(io, REG_REDIR + 2 * pin + REDIR_LOW, low | RTE_MASKED);
	spinlock_unlock(&ioapic_lock);
}
