/*
 * The ipclog program's method decoder (decode.h): what connections the log
 * shows being made, and the names their calls get from the registry of
 * interface names (ipc_names.h).
 */
#include "decode.h"
#include <abi/errno.h>
#include <abi/ns.h>
#include "ipc_names.h"
#include <stdio.h>
#include <string.h>

void decoder_init(decoder_t *d)
{
	memset(d, 0, sizeof(*d));
}

/** The remembered call with @a id, NULL if it was not seen or was pushed
 *  out by a newer one. */
static decode_call_t *call_find(decoder_t *d, uint64_t id)
{
	decode_call_t *c = &d->calls[id % DECODE_CALLS];
	return id != 0 && c->id == id ? c : NULL;
}

/** Remembers the name a call or a forward of it got, for its answer; a
 *  forward that kept the method and could not name it keeps the call's. */
static void call_remember(decoder_t *d, const ipclog_record_t *r, const char *name)
{
	decode_call_t *c = &d->calls[r->call_id % DECODE_CALLS];
	if (r->type == IPCLOG_CALL) {
		*c = (decode_call_t){r->call_id, r->args[0], r->method, name};
		return;
	}
	if (c->id != r->call_id)
		return; /* a forward of a call not seen */
	if (name != NULL || c->method != r->method)
		c->name = name;
	c->method = r->method;
}

/** The connection (owner, peer, iface), or the slot a new one takes: a free
 *  one, else the least recently used. */
static decode_conn_t *conn_slot(
    decoder_t *d, uint64_t owner, uint64_t peer, uint64_t iface)
{
	decode_conn_t *lru = &d->conns[0];
	for (size_t i = 0; i < d->conn_count; i++) {
		decode_conn_t *c = &d->conns[i];
		if (c->owner == owner && c->peer == peer && c->iface == iface)
			return c;
		if (c->used < lru->used)
			lru = c;
	}
	return d->conn_count < DECODE_CONNS ? &d->conns[d->conn_count++] : lru;
}

static void conn_add(decoder_t *d, uint64_t owner, uint64_t peer, uint64_t iface)
{
	decode_conn_t *c = conn_slot(d, owner, peer, iface);
	*c = (decode_conn_t){owner, peer, iface, ++d->clock};
}

/** Learns the connection @a r shows being made, if it shows one. */
static void learn_connection(decoder_t *d, const ipclog_record_t *r)
{
	const decode_call_t *c = call_find(d, r->call_id);
	if (c == NULL)
		return;
	if (r->type == IPCLOG_CONNECT && r->method == IPC_M_CONNECT_ME_TO)
		conn_add(d, r->receiver, r->sender, c->arg0);
	else if (r->type == IPCLOG_ANSWER && r->method == IPC_M_CONNECT_TO_ME &&
	    r->retval == EOK)
		conn_add(d, r->sender, r->receiver, c->arg0);
}

/** The name @a c's interface gives @a method, NULL if none. */
static const char *conn_name(const decode_conn_t *c, uint64_t method)
{
	const ipc_iface_names_t *iface = ipc_names_iface(c->iface);
	return iface != NULL ? ipc_names_method(iface, method) : NULL;
}

static bool is_loader(const decoder_t *d, uint64_t task)
{
	for (size_t i = 0; i < DECODE_LOADERS; i++) {
		if (d->loaders[i] == task && task != 0)
			return true;
	}
	return false;
}

/** Learns from a name record whether its task starts as the loader (the
 *  name it is created with; the program it loads renames it). */
static void learn_name(decoder_t *d, const ipclog_record_t *r)
{
	char name[IPCLOG_NAME_MAX];
	memcpy(name, r->args, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	if (r->receiver != 0)
		return; /* a thread's */
	if (strcmp(name, "loader") == 0 && !is_loader(d, r->sender)) {
		d->loaders[d->loader_next] = r->sender;
		d->loader_next = (d->loader_next + 1) % DECODE_LOADERS;
	}
	size_t slot = d->name_next;
	for (size_t i = 0; i < DECODE_NAMES; i++) {
		if (d->names[i].task == r->sender)
			slot = i;
	}
	if (slot == d->name_next)
		d->name_next = (d->name_next + 1) % DECODE_NAMES;
	d->names[slot].task = r->sender;
	memcpy(d->names[slot].name, name, sizeof(name));
}

const char *decoder_task_name(const decoder_t *d, uint64_t task)
{
	for (size_t i = 0; i < DECODE_NAMES; i++) {
		if (d->names[i].task == task && task != 0)
			return d->names[i].name;
	}
	return NULL;
}

/** The name of user method @a method sent by @a owner to @a peer: by the
 *  most recently used of their connections that has one. */
static const char *user_name(
    decoder_t *d, uint64_t owner, uint64_t peer, uint64_t phone, uint64_t method)
{
	if (method == DECODE_ASYNC_CLOSE)
		return "async.close";
	decode_conn_t *best = NULL;
	bool any = false;
	for (size_t i = 0; i < d->conn_count; i++) {
		decode_conn_t *c = &d->conns[i];
		if (c->owner != owner || c->peer != peer)
			continue;
		any = true;
		if (conn_name(c, method) != NULL &&
		    (best == NULL || c->used > best->used))
			best = c;
	}
	if (best != NULL) {
		best->used = ++d->clock;
		return conn_name(best, method);
	}
	if (!any && phone == NS_PHONE)
		return ipc_names_method(&ipc_names_ns, method);
	if (!any && is_loader(d, peer))
		return ipc_names_method(&ipc_names_loader, method);
	return NULL;
}

/** The name of a call's or a forward's method. */
static const char *request_name(decoder_t *d, const ipclog_record_t *r)
{
	if (r->method < IPC_FIRST_USER_METHOD)
		return ipc_names_system(r->method);
	return user_name(d, r->sender, r->receiver, r->phone, r->method);
}

/** The name of an answer's or a connection record's method. */
static const char *answer_name(decoder_t *d, const ipclog_record_t *r)
{
	learn_connection(d, r);
	if (r->method < IPC_FIRST_USER_METHOD)
		return ipc_names_system(r->method);
	const decode_call_t *c = call_find(d, r->call_id);
	return c != NULL ? c->name : NULL;
}

const char *decoder_feed(decoder_t *d, const ipclog_record_t *r)
{
	switch (r->type) {
	case IPCLOG_CALL:
	case IPCLOG_FORWARD: {
		const char *name = request_name(d, r);
		call_remember(d, r, name);
		return name;
	}
	case IPCLOG_ANSWER:
	case IPCLOG_CONNECT:
	case IPCLOG_REFUSED:
		return answer_name(d, r);
	case IPCLOG_RECEIVE: {
		if (r->method < IPC_FIRST_USER_METHOD)
			return ipc_names_system(r->method);
		const decode_call_t *c = call_find(d, r->call_id);
		return c != NULL ? c->name : NULL;
	}
	case IPCLOG_NAME:
		learn_name(d, r);
		return NULL;
	case IPCLOG_HANGUP:
		return ipc_names_system(r->method);
	default:
		return NULL; /* notifications carry their subscriber's codes */
	}
}

void decoder_format(const char *name, uint64_t method, char *buf, size_t size)
{
	if (name != NULL)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s(%llu)",
		    method >= IPC_FIRST_USER_METHOD ? "user" : "system",
		    (unsigned long long) method);
}
