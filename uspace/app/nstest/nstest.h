/*
 * nstest: what the test files share (the harness is testsuite.h).
 */
#ifndef NSTEST_H
#define NSTEST_H

#include <abi/errno.h>
#include <async.h>
#include <ns.h>
#include <stdio.h>
#include <string.h>
#include <task.h>
#include <testsuite.h>

/* The test servers' protocol (children.c). */
#define NSTEST_IFACE	  0x4e5354		      /* an interface number of our own */
#define NSTEST_M_PING	  (IPC_FIRST_USER_METHOD + 0) /* (x) -> x + 1 */
#define NSTEST_M_ARGS	  (IPC_FIRST_USER_METHOD + 1) /* -> the connect's args 1..3 */
#define NSTEST_FAULT_ADDR 0x2340 /* where `fault` writes (never mapped) */

/** service_tests.c */
void service_tests(void);
/** task_tests.c */
void task_tests(void);
/** demand_tests.c */
void demand_tests(void);

/** util.c: starts `nstest --child ARGS` as a child task. */
errno_t child_start(const char *args, task_id_t *id);
/** Starts a child server (`server NAME`, `broker NAME`) and waits until it
 *  reports it registered (task_retval(0)). */
errno_t child_start_server(const char *args, task_id_t *id);
/** Kills child @a id and collects it; its end (KILLED) must be seen. */
errno_t child_kill(task_id_t id);
/** Collects child @a id, which ends by itself; its exit in *@a texit. */
errno_t child_join(task_id_t id, task_exit_t *texit);
/** Kills child @a id and sees its end (KILLED) through the naming service,
 *  which has then dropped what the child registered. */
errno_t child_kill_seen(task_id_t id);
/** One call of @a imethod with @a arg on a new exchange of @a sess. */
errno_t call_server(async_sess_t *sess, sysarg_t imethod, sysarg_t arg, sysarg_t *r1,
    sysarg_t *r2, sysarg_t *r3);

/** children.c: what `nstest --child MODE ...` does. */
int child_main(int argc, char *argv[]);

#endif
