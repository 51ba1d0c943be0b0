/*
 * The kernel's own symbol table (function names for backtraces), embedded in
 * the image by the second link pass (tools/mksyms.py).
 */
#ifndef KERN_SYMTAB_H
#define KERN_SYMTAB_H

#include <types.h>

/** Name of the function containing @a addr and the offset into it; NULL if unknown. */
const char *symtab_lookup(uintptr_t addr, uintptr_t *offset);
/** Prints the frame-pointer chain starting at @a fp, first showing @a ip. */
void backtrace_print(uintptr_t ip, uintptr_t fp);

#endif
