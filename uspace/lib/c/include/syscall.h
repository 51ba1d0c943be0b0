/*
 * Raw system calls: syscallN passes the call number and N arguments and
 * returns the kernel's result word, an errno_t (negative on failure) or a
 * value, as abi/syscall.h documents per call. Programs normally use the typed
 * wrappers (task.h, thread.h, as.h, kio.h, time.h) instead.
 */
#ifndef LIBC_SYSCALL_H
#define LIBC_SYSCALL_H

#include <abi/syscall.h>
#include <libarch/syscall.h>

static inline sysarg_t syscall0(sysarg_t id)
{
	return __syscall6(id, 0, 0, 0, 0, 0, 0);
}

static inline sysarg_t syscall1(sysarg_t id, sysarg_t a1)
{
	return __syscall6(id, a1, 0, 0, 0, 0, 0);
}

static inline sysarg_t syscall2(sysarg_t id, sysarg_t a1, sysarg_t a2)
{
	return __syscall6(id, a1, a2, 0, 0, 0, 0);
}

static inline sysarg_t syscall3(sysarg_t id, sysarg_t a1, sysarg_t a2, sysarg_t a3)
{
	return __syscall6(id, a1, a2, a3, 0, 0, 0);
}

static inline sysarg_t syscall4(
    sysarg_t id, sysarg_t a1, sysarg_t a2, sysarg_t a3, sysarg_t a4)
{
	return __syscall6(id, a1, a2, a3, a4, 0, 0);
}

static inline sysarg_t syscall5(
    sysarg_t id, sysarg_t a1, sysarg_t a2, sysarg_t a3, sysarg_t a4, sysarg_t a5)
{
	return __syscall6(id, a1, a2, a3, a4, a5, 0);
}

static inline sysarg_t syscall6(sysarg_t id, sysarg_t a1, sysarg_t a2, sysarg_t a3,
    sysarg_t a4, sysarg_t a5, sysarg_t a6)
{
	return __syscall6(id, a1, a2, a3, a4, a5, a6);
}

#endif
