/*
 * Non-local jumps (arch/<arch>/src/setjmp.S). A jmp_buf holds the callee-saved
 * registers, the stack pointer and the resume address; longjmp may only go to
 * a setjmp whose function has not returned yet.
 */
#ifndef LIBC_SETJMP_H
#define LIBC_SETJMP_H

#include <stdint.h>

typedef uint64_t jmp_buf[8];

__attribute__((returns_twice)) int setjmp(jmp_buf env);
_Noreturn void longjmp(jmp_buf env, int val);

#endif
