/*
 * The key-value store's interface: what the server (kvstore) and its
 * clients (the kv program, through kvstore_client.c) both include. This is
 * the example of docs/writing-a-server.md.
 */
#ifndef KVSTORE_IFACE_H
#define KVSTORE_IFACE_H

#include <abi/ipc.h>

/* The service the server registers in the naming service. */
#define KVSTORE_SERVICE "kvstore"
/* Our own protocol number: CONNECT_ME_TO's first argument. */
#define KVSTORE_IFACE 0x6b760001

#define KVSTORE_KEY_MAX	  64   /* bytes of a key: longer ones get ELIMIT */
#define KVSTORE_VALUE_MAX 1024 /* bytes of a value: longer ones get ELIMIT */

enum {
	/* + DATA_WRITE key + DATA_WRITE value: stores (or replaces) the pair */
	KVSTORE_SET = IPC_FIRST_USER_METHOD,
	/* + DATA_WRITE key + DATA_READ value -> (length); ENOENT if unknown */
	KVSTORE_GET,
	/* + DATA_WRITE key: removes the pair; ENOENT if unknown */
	KVSTORE_DEL,
	/* -> (number of pairs) */
	KVSTORE_COUNT,
};

#endif
