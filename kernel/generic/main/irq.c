/*
 * The IRQ table: one handler per line.
 * Lock: irq_table_lock guards registration; dispatch runs with interrupts off.
 */
#include <interrupt.h>
#include <arch/drivers.h>
#include <arch/interrupt.h>
#include <printf.h>
#include <spinlock.h>

typedef struct {
	irq_handler_t handler;
	void *arg;
	uint64_t count;
} irq_slot_t;

static irq_slot_t irq_table[IRQ_COUNT];
static spinlock_t irq_table_lock = SPINLOCK_INITIALIZER("irq_table", IRQ_TABLE);

errno_t irq_register(unsigned irq, irq_handler_t handler, void *arg)
{
	if (irq >= IRQ_COUNT || handler == NULL)
		return EINVAL;
	spinlock_lock(&irq_table_lock);
	if (irq_table[irq].handler != NULL) {
		spinlock_unlock(&irq_table_lock);
		return EBUSY;
	}
	irq_table[irq].arg = arg;
	irq_table[irq].handler = handler;
	pic_unmask(irq);
	spinlock_unlock(&irq_table_lock);
	return EOK;
}

void irq_unregister(unsigned irq)
{
	if (irq >= IRQ_COUNT)
		return;
	spinlock_lock(&irq_table_lock);
	pic_mask(irq);
	irq_table[irq].handler = NULL;
	irq_table[irq].arg = NULL;
	spinlock_unlock(&irq_table_lock);
}

void irq_dispatch(unsigned irq, struct istate *istate)
{
	irq_slot_t *slot = &irq_table[irq];
	slot->count++;
	if (slot->handler != NULL)
		slot->handler(irq, slot->arg);
}

uint64_t irq_count(unsigned irq)
{
	return irq < IRQ_COUNT ? irq_table[irq].count : 0;
}
