/*
 * Method lists: how a protocol header declares its methods so that their
 * names come from the same place as their numbers.
 *
 * A header lists a protocol's methods once, in number order, as
 *
 *   #define VFS_CLIENT_METHODS(M) \
 *   	M(VFS_OPEN, "vfs.open") \
 *   	M(VFS_CLOSE, "vfs.close")
 *
 * and makes the enum with IFACE_METHOD_ENUM(VFS_CLIENT, VFS_CLIENT_METHODS,
 * IPC_FIRST_USER_METHOD): VFS_OPEN = IPC_FIRST_USER_METHOD, VFS_CLOSE the
 * next number, and VFS_CLIENT_END one past the last. The registry of names
 * (uspace/lib/c/src/ipc_names.c, used by the ipclog program) expands the
 * same list with IFACE_METHOD_NAME, so a method added to a list has its
 * name, and a method cannot be added to the enum without the list.
 *
 * Names are "protocol.method", lower case; system methods keep the
 * IPC_M_ names without the prefix ("DATA_WRITE").
 */
#ifndef ABI_IFACES_H
#define ABI_IFACES_H

#define IFACE_METHOD_ENUMERATOR(id, name) id,
#define IFACE_METHOD_NAME(id, name)	  name,

/** The enum of method list LIST numbered from FIRST, and PREFIX_END one
 *  past its last method (PREFIX_BEFORE_FIRST only anchors the numbering). */
#define IFACE_METHOD_ENUM(PREFIX, LIST, FIRST) \
	enum { \
		PREFIX##_BEFORE_FIRST = -1 + (FIRST), \
		LIST(IFACE_METHOD_ENUMERATOR) PREFIX##_END \
	}

#endif
