/*
 * Terminal and character-device client stubs (term.h; protocol:
 * abi/chardev.h). Each call is one exchange; reads and writes pair the
 * request with its data transfer inside it.
 */
#include <ns.h>
#include <term.h>

#define TERM_SERVICE "console"

errno_t term_open(async_sess_t **sess)
{
	errno_t rc;
	*sess = service_connect_blocking(
	    service_id_from_name(TERM_SERVICE), CHARDEV_IFACE, 0, &rc);
	return *sess != NULL ? EOK : rc;
}

errno_t term_read(async_sess_t *sess, void *buf, size_t size, unsigned flags, size_t *got)
{
	*got = 0;
	if (size > IPC_DATA_MAX)
		size = IPC_DATA_MAX;
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	ipc_call_t answer;
	aid_t req = async_send_1(exch, CHARDEV_READ, flags, &answer);
	if (req == 0) {
		async_exchange_end(exch);
		return ENOMEM;
	}
	errno_t drc = async_data_read_start(exch, buf, size);
	async_exchange_end(exch);
	errno_t rc;
	async_wait_for(req, &rc);
	if (rc == EOK)
		rc = drc;
	if (rc == EOK)
		*got = answer.args[0];
	return rc;
}

/** One CHARDEV_WRITE of at most IPC_DATA_MAX bytes. */
static errno_t term_write_piece(async_sess_t *sess, const void *buf, size_t size)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	ipc_call_t answer;
	aid_t req = async_send_0(exch, CHARDEV_WRITE, &answer);
	if (req == 0) {
		async_exchange_end(exch);
		return ENOMEM;
	}
	errno_t drc = async_data_write_start(exch, buf, size);
	async_exchange_end(exch);
	errno_t rc;
	async_wait_for(req, &rc);
	if (rc == EOK)
		rc = drc;
	if (rc == EOK && answer.args[0] != size)
		rc = EIO;
	return rc;
}

errno_t term_write(async_sess_t *sess, const void *buf, size_t size)
{
	const char *p = buf;
	while (size > 0) {
		size_t piece = size < IPC_DATA_MAX ? size : IPC_DATA_MAX;
		errno_t rc = term_write_piece(sess, p, piece);
		if (rc != EOK)
			return rc;
		p += piece;
		size -= piece;
	}
	return EOK;
}

/** One call with one argument and at most one answer argument. */
static errno_t term_call(async_sess_t *sess, sysarg_t imethod, sysarg_t arg, sysarg_t *r1)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_1_1(exch, imethod, arg, r1);
	async_exchange_end(exch);
	return rc;
}

errno_t term_set_mode(async_sess_t *sess, unsigned mode)
{
	return term_call(sess, TERM_SET_MODE, mode, NULL);
}

errno_t term_get_mode(async_sess_t *sess, unsigned *mode)
{
	sysarg_t m = 0;
	errno_t rc = term_call(sess, TERM_GET_MODE, 0, &m);
	*mode = (unsigned) m;
	return rc;
}

errno_t term_set_foreground(async_sess_t *sess, task_id_t id)
{
	return term_call(sess, TERM_SET_FOREGROUND, id, NULL);
}

errno_t term_add_foreground(async_sess_t *sess, task_id_t id)
{
	return term_call(sess, TERM_ADD_FOREGROUND, id, NULL);
}
