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

/** @a method with the key as its first data write, then @a next (if not
 *  NULL): the answer in *@a answer unless NULL. */
static errno_t key_req(async_sess_t *sess, sysarg_t method, const char *key,
    const async_step_t *next, ipc_call_t *answer)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	async_step_data_t k = {.buf = (void *) key, .size = strlen(key)};
	const async_step_t steps[] = {
	    {async_step_write, &k}, next != NULL ? *next : (async_step_t){0}};
	const sysarg_t args[IPC_CALL_ARGS] = {0};
	errno_t rc = async_req_steps(
	    exch, method, args, steps, next != NULL ? 2 : 1, answer);
	async_exchange_end(exch);
	return rc;
}

errno_t kv_set(async_sess_t *sess, const char *key, const void *value, size_t size)
{
	async_step_data_t v = {.buf = (void *) value, .size = size};
	const async_step_t write = {async_step_write, &v};
	return key_req(sess, KVSTORE_SET, key, &write, NULL);
}

errno_t kv_get(
    async_sess_t *sess, const char *key, void *buf, size_t size, size_t *length)
{
	async_step_data_t v = {.buf = buf, .size = size};
	const async_step_t read = {async_step_read, &v};
	ipc_call_t answer;
	errno_t rc = key_req(sess, KVSTORE_GET, key, &read, &answer);
	if (rc == EOK && length != NULL)
		*length = ipc_get_arg1(&answer);
	return rc;
}

errno_t kv_del(async_sess_t *sess, const char *key)
{
	return key_req(sess, KVSTORE_DEL, key, NULL, NULL);
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
