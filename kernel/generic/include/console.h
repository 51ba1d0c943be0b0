/*
 * The kernel console: every kernel message goes to all registered output
 * sinks (serial, VGA) and into the kernel log. Guarded by console_lock.
 */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <types.h>

typedef struct {
	const char *name;
	void (*write)(const char *buf, size_t len);
} console_sink_t;

#define CONSOLE_SINKS_MAX 4

void console_register(const console_sink_t *sink);
/** Writes to all sinks and the kernel log, atomically with respect to other writers. */
void console_write(const char *buf, size_t len);
/** Runs @a fn with the console locked so a multi-part message stays together. */
void console_lock(void);
void console_unlock(void);
/** Writes without taking the lock; caller holds it (or we are panicking). */
void console_write_locked(const char *buf, size_t len);
/** After this, writers no longer take the lock (a panic may have interrupted a holder). */
void console_enter_panic_mode(void);

/** Polled input (serial), -1 when no character is waiting. */
int console_poll_char(void);
void console_set_input(int (*poll)(void));

#endif
