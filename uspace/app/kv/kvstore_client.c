/*
 * Client stubs of the key-value store (kvstore_client.h).
 */
#include "kvstore_client.h"
#include <ns.h>
#include <string.h>

async_sess_t *kv_connect(errno_t *rc)
{
	return service_connect_blocking(
	    service_id_from_name(KVSTORE_SERVICE), KVSTORE_IFACE, 0, rc);
}

/** Sends @a method with the key as its first data write; the rest of the
 *  call (more data, the answer) is the caller's. */
static aid_t send_with_key(
    async_exch_t *exch, sysarg_t method, const char *key, ipc_call_t *answer, errno_t *rc)
{
	aid_t req = async_send_0(exch, method, answer);
	*rc = async_data_write_start(exch, key, strlen(key));
	return req;
}

errno_t kv_set(async_sess_t *sess, const char *key, const void *value, size_t size)
{
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc;
	aid_t req = send_with_key(exch, KVSTORE_SET, key, NULL, &rc);
	if (rc == EOK)
		rc = async_data_write_start(exch, value, size);
	async_exchange_end(exch);
	errno_t retval;
	async_wait_for(req, &retval);
	return rc != EOK ? rc : retval;
}

errno_t kv_get(
    async_sess_t *sess, const char *key, void *buf, size_t size, size_t *length)
{
	async_exch_t *exch = async_exchange_begin(sess);
	ipc_call_t answer;
	errno_t rc;
	aid_t req = send_with_key(exch, KVSTORE_GET, key, &answer, &rc);
	if (rc == EOK)
		rc = async_data_read_start(exch, buf, size);
	async_exchange_end(exch);
	errno_t retval;
	async_wait_for(req, &retval);
	if (retval == EOK && length != NULL)
		*length = ipc_get_arg1(&answer);
	return retval != EOK ? retval : rc;
}

errno_t kv_del(async_sess_t *sess, const char *key)
{
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc;
	aid_t req = send_with_key(exch, KVSTORE_DEL, key, NULL, &rc);
	async_exchange_end(exch);
	errno_t retval;
	async_wait_for(req, &retval);
	return rc != EOK ? rc : retval;
}

errno_t kv_count(async_sess_t *sess, size_t *count)
{
	async_exch_t *exch = async_exchange_begin(sess);
	sysarg_t n = 0;
	errno_t rc = async_req_0_1(exch, KVSTORE_COUNT, &n);
	async_exchange_end(exch);
	*count = n;
	return rc;
}
