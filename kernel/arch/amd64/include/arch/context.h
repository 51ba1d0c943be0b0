/*
 * The saved kernel context of a switched-out thread (context.S): what
 * context_switch pushed below the thread's context_sp, and the one
 * rewritten form of it, a thread resuming straight at its return to user
 * space (ipc_regs_resume_user writes it, the hand-off's switch reads it).
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <types.h>

struct istate;

/* At context_sp, lowest first: the callee-saved registers in the order
 * context_switch pops them, then its return address. */
typedef struct {
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t rip;
} context_frame_t;

/* syscall.S: where a thread whose frame is a user resume lands. */
extern char syscall_resume_user[];

/** Saves the running thread's context at @a save_sp like context_switch,
 *  then leaves for user space with the full frame @a s at the top of the
 *  new current thread's kernel stack, and clears @a prev_on_cpu (the
 *  saved thread's on_cpu) once off its stack: the hand-off's switch to a
 *  thread resuming at its return to user space (syscall.S). Returns, like
 *  context_switch, when the saved thread is switched to again. */
void context_switch_user(
    uintptr_t *save_sp, struct istate *s, volatile bool *prev_on_cpu);

/** Makes the context saved at @a context_sp resume at its return to user
 *  space with the registers @a s (the frame its system call's entry saved
 *  at the top of its kernel stack) instead of returning through its kernel
 *  frames, which are dropped: a context_switch to it pops the frame built
 *  here, just below @a s, and returns into syscall_resume_user with RBX
 *  pointing at @a s; a hand-off goes to @a s directly
 *  (context_frame_resumes_user). */
static inline void context_frame_resume_user(uintptr_t *context_sp, struct istate *s)
{
	context_frame_t *f = (context_frame_t *) s - 1;
	/* R15..R12 left as they are: the user's come back from @a s. */
	f->rbx = (uint64_t) s;
	f->rbp = 0; /* the end of the frame-pointer chain */
	f->rip = (uint64_t) syscall_resume_user;
	*context_sp = (uintptr_t) f;
}

/** Whether the context saved at @a context_sp resumes at its return to
 *  user space (context_frame_resume_user made it). */
static inline bool context_frame_resumes_user(uintptr_t context_sp)
{
	return ((const context_frame_t *) context_sp)->rip ==
	    (uint64_t) syscall_resume_user;
}

/** The user registers of such a context. */
static inline struct istate *context_frame_user_regs(uintptr_t context_sp)
{
	return (struct istate *) ((const context_frame_t *) context_sp)->rbx;
}

#endif
