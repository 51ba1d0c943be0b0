/*
 * errno's storage: one per thread, in its thread-local block.
 */
#include "private/tls.h"
#include <errno.h>
#include <syscall.h>

static thread_local_t main_tls = {.fibril_runner = &__fibril_main_runner};

void tls_set(thread_local_t *t)
{
	t->self = t;
	syscall1(SYS_THREAD_SET_TLS, (sysarg_t) t);
}

void __tls_init_main(void)
{
	tls_set(&main_tls);
}

errno_t *__errno(void)
{
	return &tls_get()->errno_value;
}
