/*
 * amd64 stack frames as the kernel is compiled (frame pointers kept): a
 * frame pointer points at the caller's saved frame pointer, with the return
 * address one word above it. Generic backtraces (lib/symtab.c, panic) walk
 * frames only through these accessors.
 */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <types.h>

/** The frame pointer saved in frame @a fp: the caller's frame. */
static inline uintptr_t arch_frame_caller_fp(uintptr_t fp)
{
	return ((const uintptr_t *) fp)[0];
}

/** The return address saved in frame @a fp: where its function returns. */
static inline uintptr_t arch_frame_return_pc(uintptr_t fp)
{
	return ((const uintptr_t *) fp)[1];
}

#endif
