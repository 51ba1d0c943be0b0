/*
 * Kernel console output fan-out.
 * Lock: console_spin guards the sink list and serialises output.
 */
#include <console.h>
#include <klog.h>
#include <spinlock.h>

static const console_sink_t *sinks[CONSOLE_SINKS_MAX];
static size_t sink_count;
static spinlock_t console_spin = SPINLOCK_INITIALIZER("console", CONSOLE);
static bool panic_mode;
static int (*input_poll)(void);

void console_register(const console_sink_t *sink)
{
	console_lock();
	if (sink_count < CONSOLE_SINKS_MAX)
		sinks[sink_count++] = sink;
	console_unlock();
}

void console_lock(void)
{
	if (!panic_mode)
		spinlock_lock(&console_spin);
}

void console_unlock(void)
{
	if (panic_mode)
		return;
	/* Posting EVENT_KLOG takes the events lock and a box lock, which come
	 * before the console lock in the lock order, and before any lock a
	 * caller of printf may hold. Interrupts on at the start means this CPU
	 * holds no spinlock (holders run with interrupts off): post now. Else
	 * the next clock tick posts it (klog_notify is a tick hook). */
	bool may_post = console_spin.irq_was_enabled;
	spinlock_unlock(&console_spin);
	if (may_post)
		klog_notify();
}

void console_write_locked(const char *buf, size_t len)
{
	for (size_t i = 0; i < sink_count; i++)
		sinks[i]->write(buf, len);
	klog_write(buf, len);
}

void console_write(const char *buf, size_t len)
{
	console_lock();
	console_write_locked(buf, len);
	console_unlock();
}

void console_enter_panic_mode(void)
{
	panic_mode = true;
}

void console_set_input(int (*poll)(void))
{
	input_poll = poll;
}

int console_poll_char(void)
{
	return input_poll != NULL ? input_poll() : -1;
}
