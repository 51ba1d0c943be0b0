/*
 * The C side of program start (crt0.S has the entry stack layout): sets up
 * libc, runs the constructors, then main(argc, argv), and exits the task
 * with main's return value.
 */
#include "private/libc.h"
#include "private/tls.h"
#include <abi/loader.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char *argv[]);

/* The constructor table, delimited by the linker script. */
extern void (*const __init_array_start[])(void);
extern void (*const __init_array_end[])(void);

const char *__progname = "?";
const char *__cwd = "/";

/* The descriptors stdin, stdout and stderr are to use; -1: the defaults. */
static int inherited[3] = {-1, -1, -1};

/** Takes what libc uses from the auxiliary vector, which follows the
 *  environment's terminating NULL. */
static void read_auxv(char **envp)
{
	while (*envp != NULL)
		envp++;
	for (uint64_t *aux = (uint64_t *) (envp + 1); aux[0] != AT_NULL; aux += 2) {
		if (aux[0] == AT_SB_CWD)
			__cwd = (const char *) aux[1];
		else if (aux[0] >= AT_SB_STDIN && aux[0] <= AT_SB_STDERR)
			inherited[aux[0] - AT_SB_STDIN] = (int) aux[1];
	}
}

_Noreturn void __libc_start(uint64_t *stack)
{
	int argc = (int) stack[0];
	char **argv = (char **) &stack[1];
	if (argc > 0) {
		const char *slash = strrchr(argv[0], '/');
		__progname = slash != NULL ? slash + 1 : argv[0];
	}
	read_auxv(argv + argc + 1);
	__tls_init_main();
	__malloc_init();
	__environ_init(argv + argc + 1);
	__stdio_inherit(inherited);
	for (void (*const *ctor)(void) = __init_array_start; ctor < __init_array_end;
	     ctor++)
		(*ctor)();
	exit(main(argc, argv));
}
