/*
 * Timeout list: sorted insertion, expiry from the tick. A timeout goes on
 * the list of the CPU that arms it (t->cpu) and fires there; disarming may
 * happen on any CPU and takes that list's lock.
 * Lock: cpu->timeout_lock (handlers run without it held).
 */
#include <time/timeout.h>
#include <time/clock.h>
#include <arch/asm.h>
#include <cpu.h>

void timeout_init(timeout_t *t)
{
	link_initialize(&t->link);
	t->pending = false;
	t->firing = false;
	t->handler = NULL;
	t->arg = NULL;
	t->deadline = 0;
	t->cpu = NULL;
}

void timeout_register(
    timeout_t *t, uint64_t delay_ns, timeout_handler_t handler, void *arg)
{
	timeout_register_at(t, clock_ns() + delay_ns, handler, arg);
}

void timeout_register_at(
    timeout_t *t, uint64_t deadline_ns, timeout_handler_t handler, void *arg)
{
	cpu_t *cpu = CPU;
	t->deadline = deadline_ns;
	t->handler = handler;
	t->arg = arg;
	spinlock_lock(&cpu->timeout_lock);
	t->cpu = cpu;
	link_t *before = &cpu->timeouts.head;
	for (link_t *l = cpu->timeouts.head.next; l != &cpu->timeouts.head; l = l->next) {
		if (list_get_instance(l, timeout_t, link)->deadline > t->deadline) {
			before = l;
			break;
		}
	}
	list_insert_before(&t->link, before);
	t->pending = true;
	spinlock_unlock(&cpu->timeout_lock);
}

bool timeout_unregister(timeout_t *t)
{
	cpu_t *cpu = t->cpu;
	if (cpu == NULL)
		return false; /* never armed */
	spinlock_lock(&cpu->timeout_lock);
	bool was_pending = t->pending;
	if (was_pending) {
		list_remove(&t->link);
		t->pending = false;
	}
	spinlock_unlock(&cpu->timeout_lock);
	while (__atomic_load_n(&t->firing, __ATOMIC_ACQUIRE))
		cpu_relax();
	return was_pending;
}

void timeout_process(void)
{
	cpu_t *cpu = CPU;
	uint64_t now = clock_ns();
	for (;;) {
		spinlock_lock(&cpu->timeout_lock);
		link_t *l = list_first(&cpu->timeouts);
		timeout_t *t = l ? list_get_instance(l, timeout_t, link) : NULL;
		if (t == NULL || t->deadline > now) {
			spinlock_unlock(&cpu->timeout_lock);
			return;
		}
		list_remove(&t->link);
		t->pending = false;
		t->firing = true;
		timeout_handler_t handler = t->handler;
		void *arg = t->arg;
		spinlock_unlock(&cpu->timeout_lock);
		handler(arg);
		__atomic_store_n(&t->firing, false, __ATOMIC_RELEASE);
	}
}
