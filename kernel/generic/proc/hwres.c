/*
 * Sets of granted hardware resources (proc/hwres.h). Pure logic, tested on
 * the host as well.
 */
#include <proc/hwres.h>

#define IO_PORTS  0x10000ull
#define MEM_ALIGN 0x1000ull

/** Whether @a r holds all of @a base .. @a base + @a size - 1. */
static bool range_holds(const hwres_range_t *r, uint64_t base, uint64_t size)
{
	return base >= r->base && size <= r->size && base - r->base <= r->size - size;
}

static bool ranges_hold(
    const hwres_range_t *r, size_t count, uint64_t base, uint64_t size)
{
	for (size_t i = 0; i < count; i++) {
		if (range_holds(&r[i], base, size))
			return true;
	}
	return false;
}

static errno_t ranges_add(
    hwres_range_t *r, uint8_t *count, size_t max, uint64_t base, uint64_t size)
{
	if (ranges_hold(r, *count, base, size))
		return EOK;
	if (*count >= max)
		return ELIMIT;
	r[*count].base = base;
	r[*count].size = size;
	(*count)++;
	return EOK;
}

bool hwres_valid(uint32_t kind, uint64_t base, uint64_t size)
{
	switch (kind) {
	case HWRES_IO:
		return size > 0 && base < IO_PORTS && size <= IO_PORTS - base;
	case HWRES_MEM:
		return size > 0 && base % MEM_ALIGN == 0 && base + size > base;
	case HWRES_IRQ:
	case HWRES_IRQ_SHARED:
		return size == 1 && base < HWRES_IRQ_MAX;
	default:
		return false;
	}
}

errno_t hwres_set_add(hwres_set_t *set, uint32_t kind, uint64_t base, uint64_t size)
{
	if (!hwres_valid(kind, base, size))
		return EINVAL;
	switch (kind) {
	case HWRES_IO:
		return ranges_add(set->io, &set->io_count, HWRES_IO_MAX, base, size);
	case HWRES_MEM:
		return ranges_add(set->mem, &set->mem_count, HWRES_MEM_MAX, base, size);
	default:
		set->irq[base / 64] |= 1ull << (base % 64);
		return EOK;
	}
}

bool hwres_set_any(const hwres_set_t *set)
{
	for (size_t i = 0; i < HWRES_IRQ_MAX / 64; i++) {
		if (set->irq[i] != 0)
			return true;
	}
	return set->io_count > 0 || set->mem_count > 0;
}

bool hwres_set_covers(const hwres_set_t *set, uint32_t kind, uint64_t base, uint64_t size)
{
	if (!hwres_valid(kind, base, size))
		return false;
	switch (kind) {
	case HWRES_IO:
		return ranges_hold(set->io, set->io_count, base, size);
	case HWRES_MEM:
		return ranges_hold(set->mem, set->mem_count, base, size);
	default:
		return (set->irq[base / 64] >> (base % 64)) & 1;
	}
}

/** Whether @a a .. @a a + @a as - 1 and @a b .. @a b + @a bs - 1 share a unit. */
static bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a - b < bs || b - a < as;
}

/** The kind a claim of @a kind is recorded as (a shared line is a line). */
static uint32_t claim_kind(uint32_t kind)
{
	return kind == HWRES_IRQ_SHARED ? HWRES_IRQ : kind;
}

uint64_t hwres_claims_other_owner(
    const hwres_claims_t *c, uint32_t kind, uint64_t base, uint64_t size, uint64_t self)
{
	bool shared = kind == HWRES_IRQ_SHARED;
	for (size_t i = 0; i < c->count; i++) {
		const hwres_claim_t *k = &c->claims[i];
		if (k->kind == claim_kind(kind) && k->owner != self &&
		    !(shared && k->shared) &&
		    ranges_overlap(k->base, k->size, base, size))
			return k->owner;
	}
	return 0;
}

/** Whether @a owner already claims all of the range. */
static bool claims_hold(
    const hwres_claims_t *c, uint32_t kind, uint64_t base, uint64_t size, uint64_t owner)
{
	for (size_t i = 0; i < c->count; i++) {
		const hwres_claim_t *k = &c->claims[i];
		if (k->kind == claim_kind(kind) && k->owner == owner &&
		    range_holds(&(hwres_range_t){k->base, k->size}, base, size))
			return true;
	}
	return false;
}

errno_t hwres_claims_add(
    hwres_claims_t *c, uint32_t kind, uint64_t base, uint64_t size, uint64_t owner)
{
	if (!hwres_valid(kind, base, size))
		return EINVAL;
	if (hwres_claims_other_owner(c, kind, base, size, owner) != 0)
		return EBUSY;
	if (claims_hold(c, kind, base, size, owner))
		return EOK;
	if (c->count >= HWRES_CLAIMS_MAX)
		return ELIMIT;
	c->claims[c->count++] = (hwres_claim_t){
	    claim_kind(kind), base, size, owner, kind == HWRES_IRQ_SHARED};
	return EOK;
}

void hwres_claims_release(hwres_claims_t *c, uint64_t owner)
{
	size_t kept = 0;
	for (size_t i = 0; i < c->count; i++) {
		if (c->claims[i].owner != owner)
			c->claims[kept++] = c->claims[i];
	}
	c->count = kept;
}

#define PCI_CONFIG_BASE	 0xcf8
#define PCI_CONFIG_PORTS 8

bool hwres_is_pci_config(uint32_t kind, uint64_t base, uint64_t size)
{
	return kind == HWRES_IO &&
	    ranges_overlap(base, size, PCI_CONFIG_BASE, PCI_CONFIG_PORTS);
}
