/*
 * The location service from the client's side (protocol: abi/loc.h):
 * servers register named services and sort them into categories, clients
 * find them by name or category and connect to them.
 *
 * Each task keeps one supplier and one consumer session to locsrv, made on
 * first use (waiting for locsrv to register with the naming service).
 */
#ifndef LIBC_LOC_H
#define LIBC_LOC_H

#include <discard.h>

#include <abi/loc.h>
#include <async.h>

/*
 * Suppliers.
 */

/** Registers this task as server @a name: connections to its services then
 *  run @a handler(@a data), their CONNECT_ME_TO carrying (iface, the "loc"
 *  service id, the service's id) in args[0..2]. The handler becomes the
 *  task's fallback port handler, so it gets every connection for an
 *  interface the task has no port of its own for. Once per task (EEXIST). */
_NODISCARD errno_t loc_server_register(
    const char *name, async_port_handler_t handler, void *data);
/** Registers service @a fqn ("ns/name" or "name"): its id in *@a id.
 *  EEXIST if the name is taken, EINVAL before loc_server_register(). */
_NODISCARD errno_t loc_service_register(const char *fqn, loc_id_t *id);
_NODISCARD errno_t loc_service_unregister(loc_id_t id);
_NODISCARD errno_t loc_service_add_to_cat(loc_id_t id, category_id_t cat);

/*
 * Consumers.
 */

/** The id of service @a fqn: ENOENT unless it exists, or with
 *  LOC_FLAG_BLOCKING in @a flags waits until it does. */
_NODISCARD errno_t loc_service_get_id(const char *fqn, loc_id_t *id, unsigned flags);
/** The full name of service @a id into @a buf (@a size bytes; cut short,
 *  always NUL-terminated). */
_NODISCARD errno_t loc_service_get_name(loc_id_t id, char *buf, size_t size);
/** The id of category @a name: ENOENT unless someone named it before; with
 *  LOC_FLAG_BLOCKING it is made if new. */
_NODISCARD errno_t loc_category_get_id(
    const char *name, category_id_t *id, unsigned flags);
_NODISCARD errno_t loc_category_get_name(category_id_t id, char *buf, size_t size);
/** The services of category @a cat: the first @a max ids into @a ids and
 *  how many there are in *@a count (which may exceed @a max). */
_NODISCARD errno_t loc_category_get_svcs(
    category_id_t cat, loc_id_t *ids, size_t max, size_t *count);
/** All services, as loc_category_get_svcs(). */
_NODISCARD errno_t loc_get_services(loc_id_t *ids, size_t max, size_t *count);
/** Runs @a cb(@a arg) (in a fibril of its own) whenever a category gains or
 *  loses a service; a second call replaces the function. */
_NODISCARD errno_t loc_register_cat_change_cb(void (*cb)(void *), void *arg);
/** A session to service @a id for @a iface, through locsrv; NULL with the
 *  error in *@a rc (unless NULL): ENOENT for an unknown id. */
async_sess_t *loc_service_connect(loc_id_t id, iface_t iface, errno_t *rc);

/*
 * Namespaces (what locfs shows as directories).
 */

_NODISCARD errno_t loc_namespace_get_id(const char *name, loc_id_t *id);
_NODISCARD errno_t loc_namespace_get_name(loc_id_t id, char *buf, size_t size);
_NODISCARD errno_t loc_get_namespaces(loc_id_t *ids, size_t max, size_t *count);
_NODISCARD errno_t loc_namespace_get_svcs(
    loc_id_t ns, loc_id_t *ids, size_t max, size_t *count);
/** What @a id names now: LOC_OBJECT_NONE, _NAMESPACE or _SERVICE. */
_NODISCARD errno_t loc_id_probe(loc_id_t id, loc_object_type_t *type);

#endif
