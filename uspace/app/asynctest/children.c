/*
 * asynctest's child modes, started by the tests as `asynctest MODE ...`:
 *   client SERVICE   finds SERVICE through phone 1 (our broker) and pings it
 *   deadlock         two fibrils lock two mutexes in opposite orders
 *   exit STATUS      exits with STATUS
 */
#include "asynctest.h"
#include "../../srv/asyncsrv/asyncsrv.h"
#include <fibril_synch.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT_PINGS 200

static int client_child(sysarg_t service)
{
	errno_t rc;
	async_sess_t *sess = registrar_connect(
	    EXCHANGE_SERIALIZE, ASYNCSRV_IFACE, service, true, &rc);
	if (sess == NULL) {
		printf("asynctest client: cannot connect: %s\n", str_error(rc));
		return 1;
	}
	async_exch_t *exch = async_exchange_begin(sess);
	sysarg_t r = 0;
	for (sysarg_t i = 0; i < CLIENT_PINGS && rc == EOK; i++) {
		rc = async_req_1_1(exch, ASYNCSRV_M_PING, i, &r);
		if (rc == EOK && r != i + 1)
			rc = EPARTY;
	}
	async_exchange_end(exch);
	errno_t hrc = async_hangup(sess);
	if (rc != EOK || hrc != EOK) {
		printf(
		    "asynctest client: %s, hang-up %s\n", str_error(rc), str_error(hrc));
		return 1;
	}
	return 0;
}

static FIBRIL_MUTEX_INITIALIZE(first);
static FIBRIL_MUTEX_INITIALIZE(second);

static errno_t lock_both(void *arg)
{
	bool reverse = arg != NULL;
	fibril_mutex_lock(reverse ? &second : &first);
	fibril_usleep(10000); /* the other fibril takes its first mutex */
	fibril_mutex_lock(reverse ? &first : &second);
	return EOK;
}

static int deadlock_child(void)
{
	fid_t a = fibril_create(lock_both, NULL);
	fid_t b = fibril_create(lock_both, (void *) 1);
	if (a == NULL || b == NULL)
		return 1;
	fibril_add_ready(a);
	fibril_add_ready(b);
	/* Never returns: the detector aborts the task. */
	errno_t rc = fibril_join(a, NULL);
	if (rc == EOK)
		rc = fibril_join(b, NULL);
	if (rc != EOK)
		printf("asynctest deadlock: join: %s\n", str_error(rc));
	printf("asynctest deadlock: no deadlock was detected\n");
	return 1;
}

int child_main(int argc, char *argv[])
{
	if (strcmp(argv[1], "client") == 0 && argc > 2)
		return client_child(strtoul(argv[2], NULL, 10));
	if (strcmp(argv[1], "deadlock") == 0)
		return deadlock_child();
	if (strcmp(argv[1], "exit") == 0 && argc > 2)
		return atoi(argv[2]);
	printf("asynctest: unknown mode %s\n", argv[1]);
	return 1;
}
