/*
 * Kernel printf: formats straight into the console sinks, holding the console
 * lock for the whole message so concurrent messages do not interleave.
 */
#include <printf.h>
#include <console.h>

static void console_sink_write(void *ctx, const char *buf, size_t len)
{
	console_write_locked(buf, len);
}

int vprintf(const char *fmt, va_list ap)
{
	console_lock();
	int n = printf_core(fmt, ap, console_sink_write, NULL);
	console_unlock();
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
