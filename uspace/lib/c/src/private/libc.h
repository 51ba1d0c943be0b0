/*
 * Declarations shared between libc's own files (not for programs).
 */
#ifndef LIBC_PRIVATE_LIBC_H
#define LIBC_PRIVATE_LIBC_H

#include <stdbool.h>
#include <stdint.h>

/** The program's name (argv[0] without its directory), for messages. */
extern const char *__progname;

/** thread.c: set before the task's second thread starts, never cleared.
 *  While it is false the task has one thread, and a lock no other thread
 *  can contend (the heap's) may be skipped. Every SYS_THREAD_CREATE of libc
 *  calls __libc_thread_starting() first; a thread made by a raw system call
 *  must not use the heap. */
extern bool __libc_threaded;

static inline void __libc_thread_starting(void)
{
	__atomic_store_n(&__libc_threaded, true, __ATOMIC_SEQ_CST);
}

/** The working directory the program was started in (the loader's
 *  AT_SB_CWD), "/" if none was given: only the first value of vfs.c's
 *  working directory. What follows chdir() is vfs_cwd_get(). */
extern const char *__cwd;

/** stdio.c: flushes stdout and stderr if they go to the console (takes
 *  only their spinlocks: safe where fibril locks may be held). */
void __stdio_flush_console(void);

/** stdio_file.c: binds stdin, stdout and stderr to the descriptors
 *  @a fds[0..2] the program was given (-1: keep the default). */
void __stdio_inherit(const int fds[3]);

/** start.c: the C entry, called by _start with the initial stack block. */
_Noreturn void __libc_start(uint64_t *stack);

/** environ.c: copies the environment @a envp (ending in NULL) the program
 *  was started with into environ; after __malloc_init(). */
void __environ_init(char *const envp[]);

/** malloc.c: binds the heap to address-space areas; before any malloc(). */
void __malloc_init(void);

/** arch/<arch>/src/thread_exit.S: destroys the calling thread's own stack
 *  area at @a stack_base and ends the thread. */
_Noreturn void __thread_exit_unmap(uintptr_t stack_base);

#endif
