/*
 * The loader's last step: giving back its own memory before the jump.
 * Serving the parent wrote some 25 pages of the loader's writable areas
 * (its libc's data and bss, its heap with the async framework's records,
 * the stack of the fibril that served the parent, the main stack) that
 * would otherwise stay resident under the program until it ends. The
 * program needs none of them: crt0 starts it on its own stack and its libc
 * sets up afresh. leave_areas() names those areas: the data segment's by
 * its link-time start, the serving fibril's stack by fibril_stack_area(),
 * the others by an address known to lie in each;
 * loader_enter_program() destroys them once it runs on the program's stack
 * (registers only, as __thread_exit_unmap does). The
 * loader's text and read-only data stay: the jump runs from the text, and
 * they are shared with every other task (proc/image.h).
 */
#include "loader.h"
#include <abi/proc.h>
#include <as.h>
#include <fibril.h>

/* The start of the loader's data and bss (link.ld): the base of the area
 * the kernel maps them in. */
extern char __data_start[];

/** Adds the base of the area holding @a addr to @a bases (@a count so far,
 *  room for LEAVE_AREAS_MAX) when it is a writable area of the loader's:
 *  above the program's room, not the program's stack at @a program_stack,
 *  not listed yet. An address in no area adds nothing. */
static size_t area_add(
    uintptr_t *bases, size_t count, uintptr_t addr, uintptr_t program_stack)
{
	as_area_info_t info;
	if (count == LEAVE_AREAS_MAX || as_area_query(addr, &info) != EOK)
		return count;
	if (!(info.flags & AS_AREA_WRITE) || info.base < program_space_end() ||
	    info.base == program_stack)
		return count;
	for (size_t i = 0; i < count; i++) {
		if (bases[i] == info.base)
			return count;
	}
	bases[count] = info.base;
	return count + 1;
}

size_t leave_areas(uintptr_t bases[LEAVE_AREAS_MAX], uintptr_t main_stack,
    const void *heap_block, uintptr_t program_stack)
{
	uintptr_t known[] = {main_stack, (uintptr_t) heap_block};
	/* Known without asking: the data segment's and the serving fibril's. */
	bases[0] = (uintptr_t) __data_start;
	bases[1] = fibril_stack_area();
	size_t count = bases[1] != 0 ? 2 : 1;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		count = area_add(bases, count, known[i], program_stack);
	return count;
}
