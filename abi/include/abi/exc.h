/*
 * Exceptions as messages and the debug interface (docs/kernel.md,
 * "Exceptions as messages" and "The debug interface").
 *
 * A fault the kernel does not resolve itself, in a thread whose task (or the
 * thread itself) has an exception handler, becomes an IPC_M_EXCEPTION call to
 * the handler, sent on behalf of the faulting task (the sender id is its id):
 *   args[0] = kind (EXC_KIND_*, low 32 bits) | error code << 32
 *   args[1] = thread id, args[2] = instruction pointer,
 *   args[3] = fault address (page faults; 0 otherwise), args[4] = stack pointer
 * The thread stays stopped until the answer: EOK with args[0] = EXC_RESUME
 * (args[1] a new instruction pointer, args[2] a new stack pointer; 0 keeps
 * the old one) or EXC_KILL. Any other answer kills the task with a logged
 * reason; an answer the kernel refuses (unknown verdict, an instruction or
 * stack pointer outside user space) is EINVAL to the answerer too.
 */
#ifndef ABI_EXC_H
#define ABI_EXC_H

#include <stdint.h>

/* The kinds of fault: the CPU's exception vectors. */
#define EXC_KIND_DIVIDE	    0
#define EXC_KIND_BREAKPOINT 3
#define EXC_KIND_OVERFLOW   4
#define EXC_KIND_BOUND	    5
#define EXC_KIND_OPCODE	    6
#define EXC_KIND_SEGMENT    11 /* segment not present */
#define EXC_KIND_STACK	    12 /* stack-segment fault */
#define EXC_KIND_GENERAL    13 /* general protection */
#define EXC_KIND_PAGE	    14
#define EXC_KIND_X87	    16
#define EXC_KIND_ALIGNMENT  17
#define EXC_KIND_SIMD	    19

/* Verdicts (answer args[0]). */
#define EXC_RESUME 1
#define EXC_KILL   2

/* SYS_EXC_HANDLER_SET flags. Without EXC_HANDLER_TO_ME the handler is the
 * caller's phone given (CAP_NULL: none); with it, a new connection to the
 * caller's own answerbox whose calls carry the label given. */
#define EXC_HANDLER_TO_ME 0x1

/* SYS_DEBUG_CONTROL commands. */
/* EXC_DEBUG_STOP: every thread stops at its next return to user mode (from
 * an interrupt, a fault or a system call). */
#define EXC_DEBUG_STOP	 1
#define EXC_DEBUG_RESUME 2 /* stopped threads go on (not those stopped at a fault) */

/* exc_thread_info_t.state */
#define EXC_THREAD_RUNNING 0 /* running or in the kernel: no registers */
#define EXC_THREAD_STOPPED 1 /* stopped by EXC_DEBUG_STOP */
#define EXC_THREAD_FAULTED 2 /* stopped at a fault, waiting for its handler */

/* exc_thread_info_t.kind of a STOPPED thread: where it waits. */
#define EXC_STOPPED_AT_EXIT 0 /* on its way to user mode (registers writable) */
/* Inside a system call that blocks (an IPC or futex wait): its registers are
 * those saved at the call's entry (rax the call's number, or its result once
 * it has one; an IPC wait's event may already be in rdi..r15) and read-only
 * (SYS_DEBUG_REGS_SET: EBUSY). When the call ends while the task is stopped,
 * the thread stops on its way out (EXC_STOPPED_AT_EXIT). */
#define EXC_STOPPED_IN_SYSCALL 1

/** A user thread's registers (amd64), as saved when it entered the kernel. */
typedef struct {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
} exc_regs_t;

/** One thread of a debugged task (SYS_DEBUG_THREADS). */
typedef struct {
	uint64_t id;
	uint32_t state; /* EXC_THREAD_* */
	uint32_t kind;	/* FAULTED: EXC_KIND_*; STOPPED: EXC_STOPPED_* */
	uint64_t fault_addr;
	uint64_t ip; /* STOPPED, FAULTED: where */
	char name[32];
} exc_thread_info_t;

/** The payload of an IPC_M_EXCEPTION call, decoded. */
typedef struct {
	uint32_t kind;
	uint32_t error;
	uint64_t thread_id;
	uint64_t ip;
	uint64_t fault_addr;
	uint64_t sp;
} exc_info_t;

#endif
