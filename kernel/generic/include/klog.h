/*
 * The kernel log: a ring buffer holding the most recent kernel messages
 * (KLOG_SIZE bytes), readable from a cursor. Guarded by the console lock
 * (writers) and klog_lock (readers).
 */
#ifndef KERN_KLOG_H
#define KERN_KLOG_H

#include <types.h>

#define KLOG_SIZE 65536

/** Appends @a len bytes. Called with the console lock held. */
void klog_write(const char *buf, size_t len);
/** Posts EVENT_KLOG if text came since the last post. Called holding no
 *  spinlock: by console_unlock() when printing began with interrupts on,
 *  else by the next clock tick. */
void klog_notify(void);
/** Copies up to @a max bytes from @a *cursor; returns the count, sets @a missed. */
size_t klog_read(uint64_t *cursor, char *out, size_t max, uint64_t *missed);
/** Total bytes ever logged: a cursor at the end of the log. */
uint64_t klog_head(void);

#endif
