/*
 * The system log (log.h). `sess_lock` guards making the logger session; the
 * session itself serialises its exchanges.
 */
#include <fibril_synch.h>
#include <log.h>
#include <ns.h>
#include <string.h>
#include <syscall.h>

static FIBRIL_MUTEX_INITIALIZE(sess_lock);
static async_sess_t *logger_sess;

errno_t klog_read(
    uint64_t *cursor, void *buf, size_t size, size_t *nread, uint64_t *missed)
{
	sysarg_t r = syscall4(
	    SYS_KLOG_READ, (sysarg_t) cursor, (sysarg_t) buf, size, (sysarg_t) missed);
	if ((int64_t) r < 0)
		return (errno_t) r;
	*nread = (size_t) r;
	return EOK;
}

/** The session to the logger, made on first use; NULL: *@a rc says. */
static async_sess_t *logger_session(errno_t *rc)
{
	fibril_mutex_lock(&sess_lock);
	if (logger_sess == NULL)
		logger_sess = service_connect(
		    service_id_from_name(LOGGER_SERVICE), LOGGER_IFACE, 0, rc);
	async_sess_t *sess = logger_sess;
	fibril_mutex_unlock(&sess_lock);
	return sess;
}

/** An exchange with the logger; NULL: *@a rc says. */
static async_exch_t *logger_begin(errno_t *rc)
{
	async_sess_t *sess = logger_session(rc);
	if (sess == NULL)
		return NULL;
	async_exch_t *exch = async_exchange_begin(sess);
	*rc = exch != NULL ? EOK : ENOMEM;
	return exch;
}

errno_t log_write(const char *text)
{
	size_t len = strlen(text);
	if (len == 0)
		return EINVAL;
	if (len > LOGGER_LINE_MAX)
		return ELIMIT;
	errno_t rc;
	async_exch_t *exch = logger_begin(&rc);
	if (exch == NULL)
		return rc;
	rc = async_req_write(exch, LOGGER_WRITE, 0, 0, text, len, NULL);
	async_exchange_end(exch);
	return rc;
}

errno_t log_read(uint64_t *cursor, void *buf, size_t size, log_read_info_t *info)
{
	errno_t rc;
	async_exch_t *exch = logger_begin(&rc);
	if (exch == NULL)
		return rc;
	async_step_data_t r = {.buf = buf, .size = size};
	const async_step_t step = {async_step_read, &r};
	const sysarg_t args[IPC_CALL_ARGS] = {*cursor};
	ipc_call_t answer;
	rc = async_req_steps(exch, LOGGER_READ, args, &step, 1, &answer);
	async_exchange_end(exch);
	if (rc != EOK)
		return rc;
	info->bytes = ipc_get_arg1(&answer);
	*cursor = ipc_get_arg2(&answer);
	info->missed = ipc_get_arg3(&answer);
	info->end = ipc_get_arg4(&answer);
	return EOK;
}
