/*
 * nstest: starting, stopping and calling the children the tests use.
 */
#include "nstest.h"

#define CMDLINE_MAX 128
#define JOIN_USEC   10000000

errno_t child_start(const char *args, task_id_t *id)
{
	char cmdline[CMDLINE_MAX];
	snprintf(cmdline, sizeof(cmdline), "nstest --child %s", args);
	return task_spawn_module(cmdline, id);
}

errno_t child_start_server(const char *args, task_id_t *id)
{
	errno_t rc = child_start(args, id);
	if (rc != EOK)
		return rc;
	task_exit_t texit;
	int value;
	rc = task_wait_task_id(*id, TASK_WAIT_RETVAL, &texit, &value);
	if (rc == EOK && (texit.how != 0 || value != 0))
		rc = EPARTY; /* it ended: its registration failed */
	return rc;
}

errno_t child_join(task_id_t id, task_exit_t *texit)
{
	return task_join(id, texit, JOIN_USEC);
}

errno_t child_kill(task_id_t id)
{
	errno_t rc = task_kill(id);
	task_exit_t texit;
	errno_t jrc = child_join(id, &texit);
	if (rc == EOK)
		rc = jrc;
	if (rc == EOK && texit.how != TASK_EXIT_KILLED)
		rc = EPARTY;
	return rc;
}

errno_t child_kill_seen(task_id_t id)
{
	task_wait_t wait;
	errno_t rc = task_setup_wait(id, TASK_WAIT_EXIT, &wait);
	if (rc != EOK)
		return rc;
	rc = task_kill(id);
	if (rc != EOK) {
		task_cancel_wait(&wait);
		return rc;
	}
	task_exit_t texit;
	rc = task_wait(&wait, &texit, NULL);
	if (rc == EOK && texit.how != TASK_EXIT_KILLED)
		rc = EPARTY;
	return rc;
}

errno_t call_server(async_sess_t *sess, sysarg_t imethod, sysarg_t arg, sysarg_t *r1,
    sysarg_t *r2, sysarg_t *r3)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_1_3(exch, imethod, arg, r1, r2, r3);
	async_exchange_end(exch);
	return rc;
}
