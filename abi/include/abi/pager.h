/*
 * User-space pagers (docs/kernel.md, "Pagers"): an area whose pages come
 * from a pager connection instead of zeroed frames.
 *
 * SYS_AS_AREA_CREATE_PAGER(uintptr_t *base, size_t size, unsigned flags,
 * const as_pager_t *pager) makes an area of @a size bytes with AS_AREA_*
 * @a flags whose page at byte offset o (from the area's base) is, on its
 * first touch, asked of the pager with an IPC_M_PAGE_IN call sent on behalf
 * of the faulting task:
 *   request:  args[0] = pager->offset + o (the page's offset in the pager's
 *             object, page aligned), args[1] = size (the page size),
 *             args[2] = pager->arg (the pager's name for the object)
 *   answer:   EOK with args[0] = the address of the page's bytes in the
 *             answerer, args[1] = size (exactly the size asked for); or an
 *             error. The kernel copies the bytes into a new frame that
 *             belongs to the area alone (writes to a writable area stay
 *             private: copy-on-write of the pager's data), maps it, and the
 *             faulting thread goes on.
 *   answerer: EINVAL for a size other than the one asked for, EBADMEM for
 *             an unreadable address, ENOMEM; the faulting task is then
 *             killed, the reason logged.
 * With AS_PAGER_WRITEBACK (a writable area): a clean page is mapped
 * read-only and its first write marks it dirty; SYS_AS_AREA_SYNC, munmap,
 * the task's end and the area's end send each dirty page back in an
 * IPC_M_PAGE_OUT call (same request words as PAGE_IN); the pager copies the
 * bytes with SYS_PAGER_PAGE_OUT_READ, stores them, then answers EOK or an
 * error (the page stays dirty). See docs/kernel.md, "Write-back".
 * A pager that refuses (any error) or hangs up kills the faulting task with
 * the reason logged; a pager that never answers leaves the thread waiting
 * until the task is killed. The area holds its own reference to the pager's
 * phone for as long as it lives.
 */
#ifndef ABI_PAGER_H
#define ABI_PAGER_H

#include <abi/cap.h>
#include <stdint.h>

/* as_pager_t.flags */
#define AS_PAGER_TO_ME \
	0x1 /* the pager is the caller's own answerbox: a new
			    * connection whose calls carry label @a label */
#define AS_PAGER_TAKE \
	0x2 /* the phone's handle leaves the caller's table:
			    * the area holds the connection alone and hangs
			    * it up when it ends */

#define AS_PAGER_WRITEBACK \
	0x4 /* shared writable: pages written in the area go
			    * back to the pager (IPC_M_PAGE_OUT) on
			    * SYS_AS_AREA_SYNC, munmap and the area's end */

/** The pager of a new area (SYS_AS_AREA_CREATE_PAGER). */
typedef struct {
	uint64_t phone;	 /* cap_handle_t of the pager connection (not TO_ME) */
	uint64_t label;	 /* TO_ME: the new connection's label */
	uint64_t arg;	 /* passed in every IPC_M_PAGE_IN (args[2]) */
	uint64_t offset; /* the area's first byte in the pager's object (page aligned) */
	uint64_t flags;	 /* AS_PAGER_* */
} as_pager_t;

#endif
