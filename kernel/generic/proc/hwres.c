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

/** Whether @a base .. @a base + @a size - 1 is a valid range of @a kind. */
static bool hwres_valid(uint32_t kind, uint64_t base, uint64_t size)
{
	switch (kind) {
	case HWRES_IO:
		return size > 0 && base < IO_PORTS && size <= IO_PORTS - base;
	case HWRES_MEM:
		return size > 0 && base % MEM_ALIGN == 0 && base + size > base;
	case HWRES_IRQ:
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
