/*
 * A stopped user thread's saved registers, for exceptions as messages and the
 * debug interface (proc/exc.c): the accessors generic code uses without
 * naming a register. The context is the istate_t at the top of the thread's
 * kernel stack (an exception's or interrupt's frame).
 */
#ifndef ARCH_EXC_REGS_H
#define ARCH_EXC_REGS_H

#include <abi/exc.h>
#include <abi/proc.h>
#include <arch/interrupt.h>
#include <arch/layout.h>

typedef istate_t exc_context_t;

static inline uintptr_t exc_context_ip(const exc_context_t *s)
{
	return s->rip;
}

static inline uintptr_t exc_context_sp(const exc_context_t *s)
{
	return s->rsp;
}

static inline uint32_t exc_context_error(const exc_context_t *s)
{
	return (uint32_t) s->error;
}

/** Whether @a addr may be a user instruction or stack pointer. */
static inline bool exc_user_address(uintptr_t addr)
{
	return addr >= USER_ADDRESS_MIN && addr < USER_SPACE_END;
}

static inline void exc_context_set_ip(exc_context_t *s, uintptr_t ip)
{
	s->rip = ip;
}

static inline void exc_context_set_sp(exc_context_t *s, uintptr_t sp)
{
	s->rsp = sp;
}

/** The registers of @a s as the debug interface shows them. */
void exc_context_get(const exc_context_t *s, exc_regs_t *regs);
/** Sets the registers of @a s to @a regs; EINVAL (nothing changed) if the
 *  instruction or stack pointer is not a user address. Only the arithmetic
 *  flags, TF, DF and AC of rflags are taken (IF and IOPL stay as they are). */
errno_t exc_context_set(exc_context_t *s, const exc_regs_t *regs);

#endif
