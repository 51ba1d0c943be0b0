/*
 * The device manager from the client's side (protocol: abi/devman.h):
 * the device tree for tools such as `devices`, and waiting until the
 * drivers have started.
 */
#ifndef LIBC_DEVMAN_H
#define LIBC_DEVMAN_H

#include <discard.h>

#include <abi/devman.h>
#include <errno.h>
#include <stddef.h>

/** The device tree, depth-first, in a new array (free() it) of *@a count
 *  nodes. ENOENT if the device manager does not run. */
_NODISCARD errno_t devman_get_tree(devman_node_info_t **nodes, size_t *count);
/** Waits until no driver is starting, at most @a usec microseconds
 *  (0: forever; ETIMEOUT). */
_NODISCARD errno_t devman_wait_stable(uint64_t usec);
/** Starts devman (/srv/devman with @a args, NULL-terminated, args[0] its
 *  path) with the permissions it needs and waits until it reports ready:
 *  for test tasks that run their own device manager. EPARTY if it failed. */
_NODISCARD errno_t devman_start(const char *const args[]);
/** The node of the (first) device driven by @a driver into *@a out; ENOENT
 *  if there is none. */
_NODISCARD errno_t devman_find_driver(const char *driver, devman_node_info_t *out);
/** The name of a device state (DEVMAN_DEV_*): "running", "failed", ... */
const char *devman_state_name(unsigned state);

#endif
