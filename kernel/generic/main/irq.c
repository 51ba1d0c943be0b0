/*
 * The IRQ table: one handler per line, each line delivered to one CPU
 * (CPU 0 unless irq_set_cpu() chose another).
 * Lock: irq_table_lock guards registration and the target CPU; dispatch runs
 * with interrupts off on the line's CPU, and a line is delivered to one CPU
 * at a time, so a handler never runs twice at once.
 */
#include <interrupt.h>
#include <cpu.h>
#include <intc.h>
#include <smp.h>
#include <arch/interrupt.h>
#include <printf.h>
#include <spinlock.h>

typedef struct {
	irq_handler_t handler;
	void *arg;
	unsigned cpu;	/* the CPU the line is delivered to */
	bool reserved;	/* the kernel's own device: never registered */
	uint64_t count; /* atomic: the line may move between CPUs */
} irq_slot_t;

static irq_slot_t irq_table[IRQ_COUNT];
static spinlock_t irq_table_lock = SPINLOCK_INITIALIZER("irq_table", IRQ_TABLE);

errno_t irq_register(unsigned irq, irq_handler_t handler, void *arg)
{
	if (irq >= IRQ_COUNT || handler == NULL)
		return EINVAL;
	spinlock_lock(&irq_table_lock);
	if (irq_table[irq].handler != NULL || irq_table[irq].reserved) {
		spinlock_unlock(&irq_table_lock);
		return EBUSY;
	}
	irq_table[irq].arg = arg;
	irq_table[irq].handler = handler;
	arch_irq_unmask(irq, irq_table[irq].cpu);
	spinlock_unlock(&irq_table_lock);
	return EOK;
}

void irq_unregister(unsigned irq)
{
	if (irq >= IRQ_COUNT)
		return;
	spinlock_lock(&irq_table_lock);
	arch_irq_mask(irq);
	irq_table[irq].handler = NULL;
	irq_table[irq].arg = NULL;
	spinlock_unlock(&irq_table_lock);
}

void irq_line_hold(unsigned irq)
{
	if (irq < IRQ_COUNT)
		arch_irq_mask(irq);
}

void irq_line_release(unsigned irq)
{
	if (irq >= IRQ_COUNT)
		return;
	spinlock_lock(&irq_table_lock);
	if (irq_table[irq].handler != NULL)
		arch_irq_unmask(irq, irq_table[irq].cpu);
	spinlock_unlock(&irq_table_lock);
}

void irq_dispatch(unsigned irq, struct istate *istate)
{
	irq_slot_t *slot = &irq_table[irq];
	__atomic_fetch_add(&slot->count, 1, __ATOMIC_RELAXED);
	CPU->interrupts++;
	if (slot->handler != NULL)
		slot->handler(irq, slot->arg);
}

uint64_t irq_count(unsigned irq)
{
	return irq < IRQ_COUNT ? __atomic_load_n(&irq_table[irq].count, __ATOMIC_RELAXED)
			       : 0;
}

void irq_reserve(unsigned irq)
{
	spinlock_lock(&irq_table_lock);
	irq_table[irq].reserved = true;
	spinlock_unlock(&irq_table_lock);
}

errno_t irq_set_cpu(unsigned irq, unsigned cpu)
{
	if (irq >= IRQ_COUNT || !cpu_id_valid(cpu))
		return EINVAL;
	spinlock_lock(&irq_table_lock);
	irq_table[irq].cpu = cpu;
	if (irq_table[irq].handler != NULL)
		arch_irq_unmask(irq, cpu);
	spinlock_unlock(&irq_table_lock);
	return EOK;
}
