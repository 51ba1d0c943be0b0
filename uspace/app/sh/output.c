/*
 * The shell's own output: messages, prompts and builtin output (the
 * console turns '\n' into "\r\n" on the serial line, in raw mode too).
 */
#include "sh.h"
#include <stdarg.h>
#include <stdio.h>
#include <term.h>
#include <unistd.h>

#define SH_OUT_MAX 512

void sh_write(sh_t *sh, int fd, const char *buf, size_t size)
{
	if (fd >= 0) {
		if (write(fd, buf, size) != (ssize_t) size)
			sh_error(sh, "write error");
	} else if (sh->term != NULL) {
		/* A failed write loses output; there is nowhere to report it. */
		DISCARD(best_effort, term_write(sh->term, buf, size));
	} else {
		fwrite(buf, 1, size, stdout);
		fflush(stdout);
	}
}

static void sh_vprintf(sh_t *sh, int fd, const char *fmt, va_list ap)
{
	char buf[SH_OUT_MAX];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	if ((size_t) n >= sizeof(buf))
		n = sizeof(buf) - 1;
	sh_write(sh, fd, buf, n);
}

void sh_printf(sh_t *sh, int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sh_vprintf(sh, fd, fmt, ap);
	va_end(ap);
}

void sh_error(sh_t *sh, const char *fmt, ...)
{
	sh_write(sh, -1, "sh: ", 4);
	va_list ap;
	va_start(ap, fmt);
	sh_vprintf(sh, -1, fmt, ap);
	va_end(ap);
	sh_write(sh, -1, "\n", 1);
}
