/*
 * nstest's child modes, started by the tests as `nstest --child MODE ...`:
 *   server NAME         registers NAME for NSTEST_IFACE, reports 0, serves
 *   broker NAME         registers NAME as a broker, reports 0, serves
 *   exit N [USEC]       exits with N (after USEC microseconds)
 *   retval V USEC       reports V after USEC microseconds, then sleeps
 *   sleep               sleeps until killed
 *   fault               writes to NSTEST_FAULT_ADDR (a page fault)
 *   starter NAME        starts NAME on demand (as init does), reports 0,
 *                       and exits 0 once a client wants it, never
 *                       saying the start is done
 *   pending TASK        leaves a wait for TASK and a blocking connect to a
 *                       service nobody registers with ns, then exits 0
 * A server whose registration fails exits with the error negated.
 */
#include "nstest.h"
#include <fibril.h>
#include <stdlib.h>

#define PENDING_SETTLE_USEC 50000

/** Serves one connection (or the callback connection itself): PING and
 *  ARGS, which tells the arguments the connection was made with. */
static void server_conn(ipc_call_t *icall, void *arg)
{
	const ipc_call_t first = *icall;
	DISCARD(answer, async_accept_0(icall));
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		switch (call.imethod) {
		case 0:
			return;
		case NSTEST_M_PING:
			DISCARD(answer, async_answer_1(&call, EOK, call.args[0] + 1));
			break;
		case NSTEST_M_ARGS:
			DISCARD(answer,
			    async_answer_3(
				&call, EOK, first.args[0], first.args[1], first.args[2]));
			break;
		default:
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
			break;
		}
	}
}

static int serve(errno_t registered)
{
	if (registered != EOK)
		return -registered;
	errno_t rc = task_retval(0);
	if (rc != EOK) {
		printf("nstest child: cannot report: %s\n", str_error(rc));
		return 1;
	}
	async_manager();
}

static _Noreturn void sleep_forever(void)
{
	for (;;)
		fibril_sleep(1000);
}

static errno_t connect_nowhere(void *arg)
{
	errno_t rc;
	service_connect_blocking(service_id_from_name("nowhere"), NSTEST_IFACE, 0, &rc);
	return rc;
}

/** Leaves calls pending with ns, makes sure they reached it, and ends. */
static int pending(task_id_t target)
{
	task_wait_t wait;
	errno_t rc = task_setup_wait(target, TASK_WAIT_EXIT, &wait);
	fid_t f = fibril_create(connect_nowhere, NULL);
	if (rc != EOK || f == NULL)
		return 1;
	fibril_add_ready(f);
	fibril_usleep(PENDING_SETTLE_USEC); /* the connect is sent */
	/* Calls through phone 1 are handled in order: the wait is held now. */
	return ns_ping() == EOK ? 0 : 1;
}

/** `starter NAME`: a starter that dies with a start offered to it. */
static int starter(service_id_t name)
{
	errno_t rc = service_demand_set(name);
	if (rc != EOK)
		return -rc;
	if (task_retval(0) != EOK)
		return 1;
	service_id_t wanted;
	rc = service_demand_wait(&wanted);
	return rc == EOK && wanted == name ? 0 : 1;
}

static uint64_t arg_u64(int argc, char *argv[], int i)
{
	return i < argc ? strtoull(argv[i], NULL, 0) : 0;
}

int child_main(int argc, char *argv[])
{
	const char *mode = argv[0];
	service_id_t name = argc > 1 ? service_id_from_name(argv[1]) : 0;
	if (strcmp(mode, "server") == 0)
		return serve(service_register(name, NSTEST_IFACE, server_conn, NULL));
	if (strcmp(mode, "broker") == 0)
		return serve(service_register_broker(name, server_conn, NULL));
	if (strcmp(mode, "exit") == 0) {
		fibril_usleep(arg_u64(argc, argv, 2));
		return (int) arg_u64(argc, argv, 1);
	}
	if (strcmp(mode, "retval") == 0) {
		fibril_usleep(arg_u64(argc, argv, 2));
		if (task_retval((int) arg_u64(argc, argv, 1)) != EOK)
			return 1;
		sleep_forever();
	}
	if (strcmp(mode, "sleep") == 0)
		sleep_forever();
	if (strcmp(mode, "fault") == 0) {
		*(volatile int *) NSTEST_FAULT_ADDR = 1;
		return 1;
	}
	if (strcmp(mode, "starter") == 0)
		return starter(name);
	if (strcmp(mode, "pending") == 0)
		return pending(arg_u64(argc, argv, 1));
	printf("nstest: unknown child mode %s\n", mode);
	return 1;
}
