/*
 * Compiler attributes the library headers share.
 *
 * _NODISCARD marks a function whose result must be looked at: every
 * errno_t-returning function of libc, libasync and libdrv carries it, and
 * uspace builds with -Werror, so an ignored error does not compile (a bare
 * (void) cast does not silence gcc here). Where a result truly cannot
 * change what the caller does, DISCARD(why, expr) drops it and names the
 * reason, one word of this list:
 *   answer       the result of answering a call: the kernel drops an answer
 *                to a caller that died without an error, and a system
 *                method's failed answer reaches the caller as its result,
 *                so the server goes on the same either way;
 *   cleanup      releasing something on a path that ends anyway (hang-up,
 *                unmapping, joining, killing): the error, if any, that led
 *                here is the one reported;
 *   best_effort  output, readiness signals and re-arming whose failure the
 *                caller could only report through the same broken channel;
 *   woken        a wait whose caller checks the state it waited for itself,
 *                so how the wait ended does not matter;
 *   measured     a benchmark's operation: the bench measures time, the
 *                functional suites check the result;
 *   fuzzing      the fuzzer's calls, which are meant to fail at random.
 */
#ifndef LIBC_DISCARD_H
#define LIBC_DISCARD_H

#define _NODISCARD __attribute__((warn_unused_result))

/** Evaluates @a expr and drops its result on purpose, for the reason @a why
 *  (one word of the list above; it becomes part of a variable's name). */
#define DISCARD(why, expr) \
	do { \
		__typeof__(expr) discarded_##why = (expr); \
		(void) discarded_##why; \
	} while (0)

#endif
