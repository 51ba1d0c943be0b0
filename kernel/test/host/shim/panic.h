/* Host build of kernel modules: a panic aborts the test binary. */
#ifndef HOST_SHIM_PANIC_H
#define HOST_SHIM_PANIC_H

#include <stdio.h>
#include <stdlib.h>

#define panic(...) \
	do { \
		fprintf(stderr, "panic: " __VA_ARGS__); \
		abort(); \
	} while (0)

#endif
