/*
 * Client stubs of the key-value store (server: uspace/srv/kvstore): one
 * function per call of kvstore_iface.h, on a session from kv_connect().
 */
#ifndef KV_KVSTORE_CLIENT_H
#define KV_KVSTORE_CLIENT_H

#include "../../srv/kvstore/kvstore_iface.h"
#include <async.h>

/** A session to the key-value store (waits until it is registered). */
async_sess_t *kv_connect(errno_t *rc);
errno_t kv_set(async_sess_t *sess, const char *key, const void *value, size_t size);
/** The value of @a key into @a buf (at most @a size bytes); its full length
 *  in *@a length. ENOENT for an unknown key. */
errno_t kv_get(
    async_sess_t *sess, const char *key, void *buf, size_t size, size_t *length);
errno_t kv_del(async_sess_t *sess, const char *key);
errno_t kv_count(async_sess_t *sess, size_t *count);

#endif
