/*
 * amd64 backtraces (backtrace.h): the frame-pointer chain of a thread
 * stopped under the debug interface, and its registers.
 */
#include <backtrace.h>
#include <exc.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define BACKTRACE_FRAMES 32

/** Where "mov %rsp, %rbp" ends in the first bytes @a code of a function
 *  that begins with "push %rbp" (the compiler may schedule other
 *  instructions between the two); 0: it does not make a frame so. */
static size_t frame_made_at(const uint8_t *code, size_t size)
{
	static const uint8_t mov_rsp_rbp[3] = {0x48, 0x89, 0xe5};
	if (code[0] != 0x55)
		return 0;
	for (size_t i = 1; i + sizeof(mov_rsp_rbp) <= size; i++) {
		if (memcmp(code + i, mov_rsp_rbp, sizeof(mov_rsp_rbp)) == 0)
			return i + sizeof(mov_rsp_rbp);
	}
	return 0;
}

/** Whether the innermost function has not made its frame yet (a leaf
 *  compiled without one, or stopped before "push %rbp ... mov %rsp, %rbp"
 *  has run): then *@a ret is its return address, read at the stack
 *  pointer. */
static bool frameless_return(
    task_id_t task, const exc_regs_t *regs, const elf_symbols_t *syms, uintptr_t *ret)
{
	uintptr_t off;
	if (syms == NULL || elf_symbols_find(syms, regs->rip, &off) == NULL)
		return false;
	uint8_t code[32];
	if (debug_mem_read(task, regs->rip - off, code, sizeof(code)) != EOK)
		return false;
	size_t made = frame_made_at(code, sizeof(code));
	if (made != 0 && off >= made)
		return false; /* the frame is made: the chain starts at rbp */
	/* After the push alone, the return address is one word up. */
	uintptr_t at = regs->rsp + (made != 0 && off > 0 ? 8 : 0);
	return debug_mem_read(task, at, ret, sizeof(*ret)) == EOK;
}

void backtrace_walk(task_id_t task, const exc_regs_t *regs, const elf_symbols_t *syms,
    backtrace_line_fn_t line, void *arg)
{
	backtrace_frame_line(regs->rip, 0, syms, line, arg);
	unsigned first = 1;
	uintptr_t ret;
	if (frameless_return(task, regs, syms, &ret))
		backtrace_frame_line(ret, first++, syms, line, arg);
	uintptr_t fp = regs->rbp;
	for (unsigned n = first; n < BACKTRACE_FRAMES && fp != 0; n++) {
		uint64_t frame[2]; /* the caller's frame pointer, the return address */
		if (debug_mem_read(task, fp, frame, sizeof(frame)) != EOK ||
		    frame[1] == 0)
			return;
		backtrace_frame_line(frame[1], n, syms, line, arg);
		if (frame[0] <= fp)
			return; /* frames go up the stack; anything else is not a frame */
		fp = frame[0];
	}
}

void backtrace_regs(const exc_regs_t *r, backtrace_line_fn_t line, void *arg)
{
	char text[128];
	snprintf(text, sizeof(text), "  rip %016lx rsp %016lx rbp %016lx rflags %08lx",
	    (unsigned long) r->rip, (unsigned long) r->rsp, (unsigned long) r->rbp,
	    (unsigned long) r->rflags);
	line(arg, text);
	snprintf(text, sizeof(text), "  rax %016lx rbx %016lx rcx %016lx rdx %016lx",
	    (unsigned long) r->rax, (unsigned long) r->rbx, (unsigned long) r->rcx,
	    (unsigned long) r->rdx);
	line(arg, text);
	snprintf(text, sizeof(text), "  rsi %016lx rdi %016lx r8  %016lx r9  %016lx",
	    (unsigned long) r->rsi, (unsigned long) r->rdi, (unsigned long) r->r8,
	    (unsigned long) r->r9);
	line(arg, text);
}
