/*
 * Copying records of a kernel ring (the kernel log, the IPC log) to user
 * space from a cursor the caller keeps there: the shared body of their read
 * system calls.
 */
#ifndef KERN_LOG_RING_USPACE_H
#define KERN_LOG_RING_USPACE_H

#include <abi/ipc.h>
#include <types.h>

/** Reads up to @a max records from *@a cursor into @a out (advancing the
 *  cursor); *@a missed gets how many the ring lost before the cursor. */
typedef size_t (*ring_reader_t)(
    uint64_t *cursor, void *out, size_t max, uint64_t *missed);

/** Copies up to @a count records of @a rec_size bytes (at most
 *  RING_USPACE_CHUNK each) to user buffer @a buf, starting at the cursor at
 *  user address @a cursor_p, which is advanced; the records lost before it
 *  are counted into the user word at @a missed_p. Returns the number of
 *  records, or an error (EBADMEM) as a system call does. */
sysarg_t ring_read_to_uspace(ring_reader_t read, size_t rec_size, sysarg_t cursor_p,
    sysarg_t buf, sysarg_t count, sysarg_t missed_p);

#define RING_USPACE_CHUNK 1024 /* bytes copied per step (on the stack) */

#endif
