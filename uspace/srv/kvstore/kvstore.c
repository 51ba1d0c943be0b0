/*
 * kvstore: an example server, a key-value store (interface in
 * kvstore_iface.h; docs/writing-a-server.md walks through it). It registers
 * in the naming service and serves every client connection in a fibril of
 * its own; the table is shared by them all and guarded by a fibril mutex.
 */
#include "kvstore_iface.h"
#include <async.h>
#include <fibril_synch.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <getopt.h>

#define USAGE "(a server; kvtest starts it)"

#define PAIRS_MAX 256

typedef struct {
	char key[KVSTORE_KEY_MAX + 1];
	char *value; /* NULL: the slot is free */
	size_t size;
} pair_t;

/* The table; every access holds table_lock. */
static FIBRIL_MUTEX_INITIALIZE(table_lock);
static pair_t pairs[PAIRS_MAX];

/** The pair with @a key, or NULL. Called with table_lock held. */
static pair_t *find(const char *key)
{
	for (size_t i = 0; i < PAIRS_MAX; i++) {
		if (pairs[i].value != NULL && strcmp(pairs[i].key, key) == 0)
			return &pairs[i];
	}
	return NULL;
}

/** Receives the key the client writes after its call. */
static errno_t receive_key(char key[KVSTORE_KEY_MAX + 1])
{
	ipc_call_t call;
	size_t size;
	if (!async_data_write_receive(&call, &size)) {
		DISCARD(answer, async_answer_0(&call, EINVAL));
		return EINVAL;
	}
	if (size == 0 || size > KVSTORE_KEY_MAX) {
		DISCARD(answer, async_answer_0(&call, ELIMIT));
		return ELIMIT;
	}
	errno_t rc = async_data_write_finalize(&call, key, size);
	key[size] = '\0';
	return rc;
}

/** KVSTORE_SET: key, then value (at most KVSTORE_VALUE_MAX bytes). */
static errno_t kv_set(void)
{
	char key[KVSTORE_KEY_MAX + 1];
	errno_t rc = receive_key(key);
	if (rc != EOK)
		return rc;
	void *value;
	size_t size;
	rc = async_data_write_accept(&value, false, 0, KVSTORE_VALUE_MAX, 0, &size);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&table_lock);
	pair_t *p = find(key);
	for (size_t i = 0; p == NULL && i < PAIRS_MAX; i++) {
		if (pairs[i].value == NULL)
			p = &pairs[i];
	}
	if (p != NULL) {
		free(p->value);
		strcpy(p->key, key);
		p->value = value;
		p->size = size;
	}
	fibril_mutex_unlock(&table_lock);
	if (p == NULL) {
		free(value);
		return ELIMIT; /* the table is full */
	}
	return EOK;
}

/** KVSTORE_GET: key, then the value as a data read; its length. */
static errno_t kv_get(size_t *length)
{
	char key[KVSTORE_KEY_MAX + 1];
	errno_t rc = receive_key(key);
	if (rc != EOK)
		return rc;
	ipc_call_t call;
	size_t size;
	if (!async_data_read_receive(&call, &size)) {
		DISCARD(answer, async_answer_0(&call, EINVAL));
		return EINVAL;
	}
	fibril_mutex_lock(&table_lock);
	pair_t *p = find(key);
	if (p == NULL) {
		rc = ENOENT;
		DISCARD(answer, async_answer_0(&call, rc));
	} else {
		*length = p->size;
		rc = async_data_read_finalize(
		    &call, p->value, p->size < size ? p->size : size);
	}
	fibril_mutex_unlock(&table_lock);
	return rc;
}

/** KVSTORE_DEL: key. */
static errno_t kv_del(void)
{
	char key[KVSTORE_KEY_MAX + 1];
	errno_t rc = receive_key(key);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&table_lock);
	pair_t *p = find(key);
	if (p != NULL) {
		free(p->value);
		p->value = NULL;
	}
	fibril_mutex_unlock(&table_lock);
	return p != NULL ? EOK : ENOENT;
}

static size_t kv_count(void)
{
	size_t n = 0;
	fibril_mutex_lock(&table_lock);
	for (size_t i = 0; i < PAIRS_MAX; i++)
		n += pairs[i].value != NULL;
	fibril_mutex_unlock(&table_lock);
	return n;
}

/** One client connection: accept it, then answer its calls until it hangs
 *  up (method 0). */
static void kv_connection(ipc_call_t *icall, void *arg)
{
	DISCARD(answer, async_accept_0(icall));
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		size_t length = 0;
		switch (ipc_get_imethod(&call)) {
		case 0:
			return;
		case KVSTORE_SET:
			DISCARD(answer, async_answer_0(&call, kv_set()));
			break;
		case KVSTORE_GET: {
			errno_t rc = kv_get(&length);
			DISCARD(answer, async_answer_1(&call, rc, length));
			break;
		}
		case KVSTORE_DEL:
			DISCARD(answer, async_answer_0(&call, kv_del()));
			break;
		case KVSTORE_COUNT:
			DISCARD(answer, async_answer_1(&call, EOK, kv_count()));
			break;
		default:
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
			break;
		}
	}
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	errno_t rc = service_register(
	    service_id_from_name(KVSTORE_SERVICE), KVSTORE_IFACE, kv_connection, NULL);
	if (rc != EOK) {
		printf("kvstore: cannot register: %s\n", strerror(rc));
		return 1;
	}
	printf("kvstore: ready\n");
	DISCARD(best_effort, task_retval(0));
	async_manager();
}
