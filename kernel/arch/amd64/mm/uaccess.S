/*
 * Copies between kernel and user memory. A fault on the copying instruction
 * is first offered to demand paging; if it cannot be resolved, the page-fault
 * handler resumes at uaccess_fault, which returns -1 (see arch/amd64/mm/fault.c).
 *
 * int uaccess_copy(void *dst, const void *src, size_t n)	0 or -1
 */
	.text
	.globl uaccess_copy, uaccess_copy_insn, uaccess_fault
uaccess_copy:
	mov	%rdx, %rcx
uaccess_copy_insn:
	rep movsb
	xor	%eax, %eax
	ret
uaccess_fault:
	mov	$-1, %eax
	ret

	.section .note.GNU-stack, "", @progbits
