/*
 * The location service's protocol (service "loc"). The location service
 * (uspace/srv/locsrv) names the services of drivers and servers and sorts
 * them into categories; clients find a service by name or category and
 * connect to it through the location service, which is a broker in the
 * naming service.
 *
 * Names: a service's full name is "NAMESPACE/NAME" (e.g. "devices/com1",
 * "term/console"); a name without a '/' lies in the namespace "". Names are
 * at most LOC_NAME_MAX bytes, categories LOC_NAME_MAX too.
 *
 * Suppliers (servers offering services), on a connection for
 * LOC_IFACE_SUPPLIER:
 *   LOC_SERVER_REGISTER + W server name, then on the same exchange a
 *       CONNECT_TO_ME (LOC_IFACE_SUPPLIER): the callback through which
 *       locsrv forwards clients' connections to the server's services, as
 *       CONNECT_ME_TO (iface, service id). One per connection.
 *   LOC_SERVICE_REGISTER (wanted id) + W full name -> (service id); EEXIST
 *       if taken. The wanted id (0: none) is an id an earlier locsrv gave:
 *       granted if free. A locsrv's own ids start above every earlier one's
 *       (see "Restarts" below).
 *   LOC_SERVICE_UNREGISTER (service id)
 *   LOC_SERVICE_ADD_TO_CAT (service id, category id)
 * A server's services go away when its task ends or its connection closes.
 *
 * Consumers, on a connection for LOC_IFACE_CONSUMER:
 *   LOC_SERVICE_GET_ID (flags) + W full name -> (service id); ENOENT, or
 *       with LOC_FLAG_BLOCKING held until the service appears.
 *   LOC_SERVICE_GET_NAME (service id) + R full name (NUL-terminated)
 *   LOC_CATEGORY_GET_ID (flags, wanted id) + W category name -> (category
 *       id); categories exist once named by anyone (never ENOENT with
 *       BLOCKING). A category made by this call gets the wanted id (0:
 *       none) if that is an earlier locsrv's and free.
 *   LOC_CATEGORY_GET_NAME (category id) + R name
 *   LOC_CATEGORY_GET_SVCS (category id) + R service ids (sysarg_t each)
 *       -> (how many there are, which may exceed what fitted)
 *   LOC_GET_SERVICES + R service ids -> (how many there are)
 *   LOC_CALLBACK_CREATE, then a CONNECT_TO_ME (LOC_IFACE_CONSUMER): locsrv
 *       sends LOC_EVENT_CAT_CHANGE (no arguments; a message, no answer
 *       needed) through it whenever a category gains or loses a service.
 *       Changes close together may come as one event.
 *   Namespaces (for locfs's directories; a namespace exists while it has
 *   services, and its id, from the same counter as services' ids, is never
 *   reused):
 *   LOC_NAMESPACE_GET_ID + W namespace name -> (namespace id); ENOENT
 *   LOC_NAMESPACE_GET_NAME (namespace id) + R name (NUL-terminated)
 *   LOC_GET_NAMESPACES + R namespace ids -> (how many there are)
 *   LOC_NAMESPACE_GET_SVCS (namespace id) + R service ids -> (how many)
 *   LOC_ID_PROBE (id) -> (LOC_OBJECT_*: what the id names now)
 *
 * Errors: EINVAL for a malformed name (empty, a control character, more
 * than one '/', an empty part), ENAMETOOLONG for a long one, ENOENT for an
 * unknown id or name, ELIMIT when a limit of locsrv is reached.
 *
 * Restarts: a locsrv's own ids (services, namespaces, categories) start at
 * its task id times 2^32, above every id an earlier one gave. A task's libc
 * remembers what it registered and, when locsrv goes (EHANGUP, or the end
 * of a callback connection), registers it all again with the old ids and
 * makes its LOC_CALLBACK_CREATE callback again (lib/c/src/loc.c).
 * Namespaces get new ids.
 *
 * Connecting to a service: CONNECT_ME_TO through the naming service to
 * service "loc" with (iface, service id) as its first and third arguments
 * (service_connect(loc, iface, service id)); locsrv forwards it to the
 * service's server as CONNECT_ME_TO (iface, service id).
 */
#ifndef ABI_LOC_H
#define ABI_LOC_H

#include <abi/ipc.h>

#define LOC_SERVICE_NAME   "loc"
#define LOC_IFACE_SUPPLIER 0x6c6f6301
#define LOC_IFACE_CONSUMER 0x6c6f6302

#define LOC_NAME_MAX	 255
#define LOC_SERVICES_MAX 4096 /* registered at once, in all */

#define LOC_FLAG_BLOCKING 0x1

/* Both interfaces share one numbering. */
#define LOC_METHODS(M) \
	M(LOC_SERVER_REGISTER, "loc.server_register") \
	M(LOC_SERVICE_REGISTER, "loc.service_register") \
	M(LOC_SERVICE_UNREGISTER, "loc.service_unregister") \
	M(LOC_SERVICE_ADD_TO_CAT, "loc.service_add_to_cat") \
	M(LOC_SERVICE_GET_ID, "loc.service_get_id") \
	M(LOC_SERVICE_GET_NAME, "loc.service_get_name") \
	M(LOC_CATEGORY_GET_ID, "loc.category_get_id") \
	M(LOC_CATEGORY_GET_NAME, "loc.category_get_name") \
	M(LOC_CATEGORY_GET_SVCS, "loc.category_get_svcs") \
	M(LOC_GET_SERVICES, "loc.get_services") \
	M(LOC_CALLBACK_CREATE, "loc.callback_create") \
	M(LOC_EVENT_CAT_CHANGE, "loc.event_cat_change") \
	M(LOC_NAMESPACE_GET_ID, "loc.namespace_get_id") \
	M(LOC_NAMESPACE_GET_NAME, "loc.namespace_get_name") \
	M(LOC_GET_NAMESPACES, "loc.get_namespaces") \
	M(LOC_NAMESPACE_GET_SVCS, "loc.namespace_get_svcs") \
	M(LOC_ID_PROBE, "loc.id_probe")

IFACE_METHOD_ENUM(LOC, LOC_METHODS, IPC_FIRST_USER_METHOD);

/* LOC_ID_PROBE answers */
typedef enum {
	LOC_OBJECT_NONE = 0,
	LOC_OBJECT_NAMESPACE = 1,
	LOC_OBJECT_SERVICE = 2,
} loc_object_type_t;

typedef uint64_t loc_id_t; /* a service's id in the location service */
typedef uint64_t category_id_t;

#endif
