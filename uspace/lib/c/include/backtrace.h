/*
 * Symbolic backtraces of another task (or of a program file): a program's
 * function symbols from its ELF file, and the frame-pointer chain of a
 * stopped thread read through the debug interface (exc.h). Used by the
 * shell to report a crash and by taskdump.
 */
#ifndef LIBC_BACKTRACE_H
#define LIBC_BACKTRACE_H

#include <abi/exc.h>
#include <elf_symbols.h>
#include <stddef.h>
#include <task.h>

/** Where the program of a task named @a name is: the first of /app, /srv,
 *  /drv and /test that has it. ENOENT. */
_NODISCARD errno_t backtrace_program_path(const char *name, char *path, size_t size);

/** Called with each line of a backtrace (no newline). */
typedef void (*backtrace_line_fn_t)(void *arg, const char *line);
/** Walks the frame-pointer chain of stopped thread @a regs of @a task
 *  (at most 32 frames), naming each address with @a syms (NULL: none):
 *  "  #0 0x400123 in main+0x13". Stops at a frame it cannot read. */
void backtrace_walk(task_id_t task, const exc_regs_t *regs, const elf_symbols_t *syms,
    backtrace_line_fn_t line, void *arg);
/** Frame @a n's line ("  #N IP in SYMBOL+OFF", or the address alone) to
 *  @a line; a return address (n > 0) is looked up by its call. The
 *  architecture's walk names each frame with it. */
void backtrace_frame_line(uintptr_t ip, unsigned n, const elf_symbols_t *syms,
    backtrace_line_fn_t line, void *arg);
/** The registers as three lines of text, to @a line. */
void backtrace_regs(const exc_regs_t *regs, backtrace_line_fn_t line, void *arg);

#endif
