/*
 * The application processors' first code. A STARTUP IPI starts a CPU in real
 * mode at TRAMPOLINE_PA (CS = TRAMPOLINE_PA / 16, IP = 0), where the boot CPU
 * copied this block. It goes straight to long mode (PAE, the page table and
 * EFER.LME from the parameter block, then PE and PG at once), jumps to its
 * 64-bit part through the small GDT here, and calls the parameter block's
 * entry with its cpu_t on the given stack. The code is position-dependent
 * only on TRAMPOLINE_PA; it lives in .rodata and is only ever run as a copy.
 */
#include <arch/layout.h>
#include <arch/smp.h>

#define ABS(sym)	(TRAMPOLINE_PA + (sym) - trampoline_start)
#define MSR_EFER	0xc0000080
#define CR4_PAE		(1 << 5)
#define CR0_PE_PG	0x80000001

	.section .rodata
	.code16
	.globl trampoline_start, trampoline_params, trampoline_end
	.align 16
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	tramp_gdtr - trampoline_start
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	movl	trampoline_params - trampoline_start, %eax	/* cr3 */
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	orl	trampoline_params + 4 - trampoline_start, %eax	/* efer */
	wrmsr
	mov	%cr0, %eax
	or	$CR0_PE_PG, %eax
	mov	%eax, %cr0
	ljmpl	$GDT_KCODE, $ABS(tramp_long)

	.code64
tramp_long:
	mov	$GDT_KDATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
	mov	ABS(trampoline_params) + 8, %rsp		/* stack */
	mov	ABS(trampoline_params) + 16, %rdi		/* cpu */
	mov	ABS(trampoline_params) + 24, %rax		/* entry */
	xor	%ebp, %ebp		/* end of the frame-pointer chain */
	pushq	$0			/* a return address that is none */
	jmp	*%rax

	.align 8
tramp_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* GDT_KCODE: 64-bit code */
	.quad 0x00cf92000000ffff	/* GDT_KDATA: data */
tramp_gdtr:
	.short tramp_gdtr - tramp_gdt - 1
	.long ABS(tramp_gdt)

	.align 8
trampoline_params:			/* trampoline_params_t */
	.skip 32
trampoline_end:

	.section .note.GNU-stack, "", @progbits
