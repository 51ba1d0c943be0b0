/*
 * The frame of a file-system server: registering with the VFS as a
 * file-system type and serving the VFS's calls (abi/vfs.h) on the callback
 * connection and on the further connections the VFS makes through it, one
 * fibril per connection: calls on different connections run concurrently
 * (so a handler may block, e.g. a read waiting for data, without holding
 * up the others). The server supplies the handler of one call.
 */
#ifndef LIBC_FSRV_H
#define LIBC_FSRV_H

#include <discard.h>

#include <async.h>
#include <fibril_synch.h>

#include <abi/vfs.h>

/** Handles (and answers) one of the VFS's FS_* calls. */
typedef void (*fsrv_call_handler_t)(ipc_call_t *call);

/* A server's handlers, indexed by FSRV_OP(method); NULL: ENOTSUP. */
#define FSRV_OPS	(FS_SHARE_FILE - FS_MOUNTED + 1)
#define FSRV_OP(method) [(method) -FS_MOUNTED]
typedef fsrv_call_handler_t fsrv_ops_t[FSRV_OPS];

/** Answers @a call with @a rc and three arguments; a failure (a bug: the
 *  VFS waits for every answer) is reported. */
void fsrv_answer(ipc_call_t *call, errno_t rc, sysarg_t a1, sysarg_t a2, sysarg_t a3);
/** Answers the data read that follows @a call with @a len bytes of @a src
 *  (or the error @a rc), then @a call with @a rc and @a result. */
void fsrv_read_answer(
    ipc_call_t *call, errno_t rc, const void *src, size_t len, sysarg_t result);

/** Takes the path written after a call (NUL-terminated; free() it);
 *  ENAMETOOLONG past VFS_PATH_MAX bytes. */
_NODISCARD errno_t fsrv_path_receive(char **path);

/** Takes the file data written after an FS_WRITE call (at most
 *  IPC_DATA_MAX bytes, else ELIMIT; the call is answered on failure) into
 *  *@a data, its size in *@a len. The buffer is the server's spare one
 *  when free (kept between writes: a write then costs the kernel's copy
 *  and the server's own, no allocation and no fresh pages); give it back
 *  with fsrv_write_release(). */
_NODISCARD errno_t fsrv_write_receive(void **data, size_t *len);
/** The same for a data write @a wcall of @a size bytes already received
 *  (async_data_write_receive): finalizes it into the buffer. */
_NODISCARD errno_t fsrv_write_take(ipc_call_t *wcall, size_t size, void **data);
/** Gives back a buffer of fsrv_write_receive() or fsrv_write_take(). */
void fsrv_write_release(void *data);

/** Fills the data read of @a call: up to @a size bytes into @a buf, their
 *  number in *@a len, the answer's argument in *@a result. */
typedef errno_t (*fsrv_fill_t)(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result);
/** Takes the data read that follows @a call, fills it with @a fill while
 *  holding @a lock, and answers both. */
void fsrv_read_reply(ipc_call_t *call, fsrv_fill_t fill, fibril_mutex_t *lock);
/** Copies @a len bytes of @a src into the @a size byte @a buf, cut short;
 *  the bytes copied. */
size_t fsrv_copy_out(void *buf, size_t size, const void *src, size_t len);

/** Passes @a call to its handler in @a ops, or answers ENOTSUP. */
void fsrv_dispatch(const fsrv_ops_t ops, ipc_call_t *call);

/* A server's fill functions for the methods answered with a data read
 * (FS_READ, FS_STAT, ...), indexed by FSRV_OP(method). */
typedef fsrv_fill_t fsrv_fills_t[FSRV_OPS];
/** Answers @a call by fsrv_read_reply() with its fill in @a fills (under
 *  @a lock) when it has one, else as fsrv_dispatch(@a ops). */
void fsrv_dispatch_fills(const fsrv_ops_t ops, const fsrv_fills_t fills,
    fibril_mutex_t *lock, ipc_call_t *call);

/* Direct reads (VFS_IFACE_DIRECT, abi/vfs.h): a client's connection bound to
 * one open file, read without the VFS in between. A server that offers them
 * gives fsrv these, called with @a lock held. */
typedef struct {
	/** One more open of node @a index of instance @a inst, for a grant and
	 *  then its connection: EOK, ENOENT, EISDIR (files only). */
	errno_t (*open)(sysarg_t inst, uint64_t index);
	/** The open of a grant or connection that has ended. */
	void (*close)(sysarg_t inst, uint64_t index);
	/** The server's FS_READ fill (args: instance, index, position). */
	fsrv_fill_t read;
	fibril_mutex_t *lock;
} fsrv_direct_t;
/** Offers direct reads through @a direct (kept); before fsrv_register(). */
void fsrv_direct_enable(const fsrv_direct_t *direct);

/** Registers as file-system type @a name; the VFS's calls then go to
 *  @a handle. Waits for the VFS to appear. */
_NODISCARD errno_t fsrv_register(const char *name, fsrv_call_handler_t handle);
/** main() of a file-system server: registers, prints "NAME: started",
 *  reports ready (task_retval) and serves for good; returns 1 only if it
 *  cannot register (with a message). */
int fsrv_main(const char *name, fsrv_call_handler_t handle);

#endif
