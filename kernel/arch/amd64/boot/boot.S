/*
 * Multiboot2 entry: GRUB leaves us in 32-bit protected mode without paging.
 * We build boot page tables that map the first 4 GiB three times (identity,
 * direct map, kernel image at -2 GiB), enter long mode and call kmain() on the
 * higher half. The identity map lives until the kernel loads its own tables.
 *
 * In: EAX = multiboot2 magic, EBX = physical address of the boot information.
 */
#include <arch/layout.h>

#define MB2_MAGIC		0xe85250d6
#define PTE_P			0x1
#define PTE_W			0x2
#define PTE_PS			0x80
#define EFER_MSR		0xc0000080
#define EFER_LME		(1 << 8)
#define EFER_NXE		(1 << 11)

	.section .multiboot, "a"
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0				/* architecture: i386 protected mode */
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
	.align 8			/* end tag */
	.short 0
	.short 0
	.long 8
mb2_header_end:

	.section .boot.bss, "aw", @nobits
	.align 4096
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4 * 4096		/* 4 GiB in 2 MiB pages */
boot_tables_end:

	.section .boot.data, "aw"
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdtr:
	.short boot_gdtr - boot_gdt - 1
	.long boot_gdt
no_lm_msg:
	.ascii "Switchboard needs a 64-bit (long mode) CPU."
no_lm_msg_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov	%eax, %edi		/* keep magic and info pointer for kmain */
	mov	%ebx, %esi

	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode
	mov	%edx, %ebp		/* EDX bit 20: NX */

	/* Zero the tables: the loader's bss zeroing is not relied upon. */
	mov	$boot_pml4, %edx
	mov	%edi, %ebx
	mov	%edx, %edi
	mov	$(boot_tables_end - boot_pml4) / 4, %ecx
	xor	%eax, %eax
	rep stosl
	mov	%ebx, %edi

	/* 2048 large pages: 0 .. 4 GiB */
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_P | PTE_W | PTE_PS), %eax
	mov	%eax, boot_pd(, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jb	1b

	/* Low PDPT: four PDs. High PDPT: entries 510/511 map the first 2 GiB at -2 GiB. */
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$12, %eax
	add	$boot_pd + (PTE_P | PTE_W), %eax
	mov	%eax, boot_pdpt_low(, %ecx, 8)
	inc	%ecx
	cmp	$4, %ecx
	jb	2b
	movl	$boot_pd + (PTE_P | PTE_W), boot_pdpt_high + 510 * 8
	movl	$boot_pd + 4096 + (PTE_P | PTE_W), boot_pdpt_high + 511 * 8

	movl	$boot_pdpt_low + (PTE_P | PTE_W), boot_pml4
	movl	$boot_pdpt_low + (PTE_P | PTE_W), boot_pml4 + 256 * 8
	movl	$boot_pdpt_high + (PTE_P | PTE_W), boot_pml4 + 511 * 8

	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$(1 << 5), %eax		/* PAE */
	mov	%eax, %cr4

	mov	$EFER_MSR, %ecx
	rdmsr
	or	$EFER_LME, %eax
	bt	$20, %ebp
	jnc	3f
	or	$EFER_NXE, %eax
3:	wrmsr

	mov	%cr0, %eax
	or	$0x80010001, %eax	/* PG | WP | PE */
	mov	%eax, %cr0

	lgdt	boot_gdtr
	ljmp	$GDT_KCODE, $long_mode_entry

no_long_mode:
	mov	$no_lm_msg, %esi
	mov	$0xb8000, %edi
	mov	$(no_lm_msg_end - no_lm_msg), %ecx
4:	lodsb
	mov	$0x4f, %ah
	stosw
	loop	4b
5:	hlt
	jmp	5b

	.code64
long_mode_entry:
	mov	$GDT_KDATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
	movabs	$boot_stack_top, %rsp
	movabs	$boot_high, %rax
	jmp	*%rax

	.text
boot_high:
	mov	%edi, %edi		/* zero-extend magic and info pointer */
	mov	%esi, %esi
	xor	%ebp, %ebp		/* end of the frame-pointer chain */
	call	kmain
6:	cli
	hlt
	jmp	6b

	.bss
	.align 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
