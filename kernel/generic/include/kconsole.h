/*
 * The kernel console: a command line on the serial port for looking at the
 * system from inside (tasks, threads, IPC state, memory, the IPC log), entered
 * with the `kconsole` boot option, after a panic, or from userspace.
 */
#ifndef KERN_KCONSOLE_H
#define KERN_KCONSOLE_H

#include <types.h>

/** Runs the console until `continue` (never returns after a panic). */
void kconsole_run(bool after_panic);
/** Executes one command line (also used by tests). */
void kconsole_execute(char *line, bool after_panic, bool *leave);

#endif
