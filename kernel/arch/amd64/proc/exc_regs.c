/*
 * Reading and writing a stopped user thread's saved registers (arch/exc_regs.h).
 */
#include <arch/exc_regs.h>
#include <types.h>

/* CF PF AF ZF SF TF DF OF and AC: what a debugger may change in rflags. */
#define RFLAGS_USER_MASK 0x40dd5ull

void exc_context_get(const exc_context_t *s, exc_regs_t *r)
{
	*r = (exc_regs_t){
	    .rax = s->rax,
	    .rbx = s->rbx,
	    .rcx = s->rcx,
	    .rdx = s->rdx,
	    .rsi = s->rsi,
	    .rdi = s->rdi,
	    .rbp = s->rbp,
	    .rsp = s->rsp,
	    .r8 = s->r8,
	    .r9 = s->r9,
	    .r10 = s->r10,
	    .r11 = s->r11,
	    .r12 = s->r12,
	    .r13 = s->r13,
	    .r14 = s->r14,
	    .r15 = s->r15,
	    .rip = s->rip,
	    .rflags = s->rflags,
	};
}

errno_t exc_context_set(exc_context_t *s, const exc_regs_t *r)
{
	if (!exc_user_address(r->rip) || !exc_user_address(r->rsp))
		return EINVAL;
	s->rax = r->rax;
	s->rbx = r->rbx;
	s->rcx = r->rcx;
	s->rdx = r->rdx;
	s->rsi = r->rsi;
	s->rdi = r->rdi;
	s->rbp = r->rbp;
	s->rsp = r->rsp;
	s->r8 = r->r8;
	s->r9 = r->r9;
	s->r10 = r->r10;
	s->r11 = r->r11;
	s->r12 = r->r12;
	s->r13 = r->r13;
	s->r14 = r->r14;
	s->r15 = r->r15;
	s->rip = r->rip;
	s->rflags = (s->rflags & ~RFLAGS_USER_MASK) | (r->rflags & RFLAGS_USER_MASK);
	return EOK;
}
