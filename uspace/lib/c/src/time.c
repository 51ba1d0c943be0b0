/*
 * Clocks.
 */
#include <syscall.h>
#include <time.h>

uint64_t clock_ns(void)
{
	uint64_t ns = 0;
	syscall1(SYS_CLOCK_GET, (sysarg_t) &ns);
	return ns;
}
