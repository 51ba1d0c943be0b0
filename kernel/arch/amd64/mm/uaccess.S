/*
 * Copies between kernel and user memory: whole quadwords first, then the
 * remaining bytes (a rep string instruction is one instruction per element,
 * so this moves eight bytes per step). A fault on either copying instruction
 * (uaccess_copy_insn .. uaccess_copy_end) is first offered to demand paging;
 * if it cannot be resolved, the page-fault handler resumes at uaccess_fault,
 * which returns -1 (see arch/amd64/mm/fault.c).
 *
 * int uaccess_copy(void *dst, const void *src, size_t n)	0 or -1
 */
	.text
	.globl uaccess_copy, uaccess_copy_insn, uaccess_copy_end, uaccess_fault
uaccess_copy:
	mov	%rdx, %rcx
	shr	$3, %rcx
	and	$7, %edx
uaccess_copy_insn:
	rep movsq
	mov	%rdx, %rcx
	rep movsb
uaccess_copy_end:
	xor	%eax, %eax
	ret
uaccess_fault:
	mov	$-1, %eax
	ret

	.section .note.GNU-stack, "", @progbits
