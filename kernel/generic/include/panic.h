/*
 * panic() stops the system: it prints the reason, a backtrace and (for
 * exceptions) the registers on every console, then halts. In self-test mode
 * it powers QEMU off with a failure status instead.
 */
#ifndef KERN_PANIC_H
#define KERN_PANIC_H

#include <types.h>

struct istate;

NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);
/** Panic for a CPU exception: @a istate holds the registers at the fault. */
NORETURN void panic_istate(const struct istate *istate, const char *fmt, ...)
    PRINTF_LIKE(2, 3);

#define assert(expr) \
	do { \
		if (unlikely(!(expr))) \
			panic("assertion failed: %s, %s:%d, %s()", #expr, __FILE__, \
			    __LINE__, __func__); \
	} while (0)

#ifdef CONFIG_DEBUG
#define debug_assert(expr) assert(expr)
#else
#define debug_assert(expr) ((void) 0)
#endif

/* An assertion on the IPC hand-off's hot path (the fast path, the
 * scheduler's hand-off): checked in the test builds (CONFIG_LOCKDEP, which
 * every suite of `make test` runs but the nodebug one), compiled out of the
 * benchmark's kernel and of non-debug builds, where the path is kept free
 * of checks its callers already guarantee. */
#ifdef CONFIG_LOCKDEP
#define assert_hot(expr) assert(expr)
#else
#define assert_hot(expr) ((void) 0)
#endif

#endif
