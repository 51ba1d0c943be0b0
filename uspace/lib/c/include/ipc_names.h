/*
 * The registry of interface and method names: for each interface of the
 * protocol headers in abi/include/abi/, the names of its methods, taken
 * from the headers' method lists (abi/ifaces.h). Pure tables, no state.
 */
#ifndef LIBC_IPC_NAMES_H
#define LIBC_IPC_NAMES_H

#include <abi/ipc.h>
#include <stddef.h>

/** One method list: names[i] is the name of method first + i. */
typedef struct {
	sysarg_t first;
	size_t count;
	const char *const *names;
} ipc_method_list_t;

/** An interface: the lists of the methods its connections carry (in
 *  either direction; the headers keep their numbers apart). */
typedef struct {
	sysarg_t iface; /* CONNECT_ME_TO's / CONNECT_TO_ME's first argument */
	const char *name;
	size_t list_count;
	const ipc_method_list_t *lists;
} ipc_iface_names_t;

/** The naming service's methods, on every task's phone NS_PHONE. */
extern const ipc_iface_names_t ipc_names_ns;
/** The program loader's methods (abi/loader.h); its phone is not made by a
 *  connection the IPC log shows. */
extern const ipc_iface_names_t ipc_names_loader;

/** The interface numbered @a iface; NULL if the registry has none. */
const ipc_iface_names_t *ipc_names_iface(sysarg_t iface);

/** The name of user method @a method of @a iface; NULL if it has none. */
const char *ipc_names_method(const ipc_iface_names_t *iface, sysarg_t method);

/** The name of system method @a method (IPC_M_*, without the prefix);
 *  NULL if it is not one. */
const char *ipc_names_system(sysarg_t method);

/** How many interfaces the registry has, and the @a i th (for listings
 *  and tests). */
size_t ipc_names_iface_count(void);
const ipc_iface_names_t *ipc_names_iface_at(size_t i);

#endif
