/*
 * The frame of a file-system server: registering with the VFS as a
 * file-system type and serving the VFS's calls (abi/vfs.h) on the callback
 * connection, one at a time. The server supplies the handler of one call.
 */
#ifndef LIBC_FSRV_H
#define LIBC_FSRV_H

#include <async.h>

#include <abi/vfs.h>

/** Handles (and answers) one of the VFS's FS_* calls. */
typedef void (*fsrv_call_handler_t)(ipc_call_t *call);

/* A server's handlers, indexed by FSRV_OP(method); NULL: ENOTSUP. */
#define FSRV_OPS	(FS_STATFS - FS_MOUNTED + 1)
#define FSRV_OP(method) [(method) -FS_MOUNTED]
typedef fsrv_call_handler_t fsrv_ops_t[FSRV_OPS];

/** Passes @a call to its handler in @a ops, or answers ENOTSUP. */
void fsrv_dispatch(const fsrv_ops_t ops, ipc_call_t *call);

/** Registers as file-system type @a name; the VFS's calls then go to
 *  @a handle. Waits for the VFS to appear. */
errno_t fsrv_register(const char *name, fsrv_call_handler_t handle);
/** main() of a file-system server: registers, prints "NAME: started",
 *  reports ready (task_retval) and serves for good; returns 1 only if it
 *  cannot register (with a message). */
int fsrv_main(const char *name, fsrv_call_handler_t handle);

#endif
