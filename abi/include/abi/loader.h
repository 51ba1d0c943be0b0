/*
 * The program loader's protocol. SYS_TASK_SPAWN_LOADER makes a new task
 * running the loader and gives the caller a phone to it; the caller then
 * sends, in this order:
 *
 *   LOADER_SET_CWD      + DATA_WRITE of the working directory, an absolute
 *                         path (optional; "/" if not set)
 *   LOADER_SET_PROGRAM  + DATA_WRITE of the program's path: ENOENT if there
 *                         is no such program, ENOEXEC if it is not a valid
 *                         executable (checked completely here)
 *   LOADER_SET_ARGS     (argc) + DATA_WRITE of the arguments, each ending
 *                         in NUL, at most LOADER_ARGS_MAX bytes in all
 *   LOADER_SET_ENV      (count) + DATA_WRITE of the environment, strings
 *                         NAME=VALUE each ending in NUL, at most
 *                         LOADER_ENV_MAX bytes and LOADER_ENVC_MAX strings
 *                         (optional, any time before LOADER_LOAD; none if
 *                         not set)
 *   LOADER_SET_FILES    (stdin, stdout, stderr): VFS descriptors of this
 *                         task (the caller passed them with VFS_PASS), -1
 *                         for none (optional, any time before LOADER_LOAD)
 *   LOADER_LOAD         maps the program into the task (ENOMEM)
 *
 *   or, instead of LOADER_SET_CWD, LOADER_SET_PROGRAM, LOADER_SET_ARGS and
 *   LOADER_LOAD (after LOADER_SET_ENV and LOADER_SET_FILES, if any):
 *
 *   LOADER_LOAD_ALL     (argc) + DATA_WRITE of the working directory, the
 *                         program's path and the arguments, each ending in
 *                         NUL (at most LOADER_ALL_MAX bytes): all four steps
 *                         in one round trip, answered as the first of them
 *                         that fails would be (task_spawn uses it)
 *
 *   then:
 *
 *   LOADER_RUN          answered EOK; once the caller has hung up (as
 *                         task_spawn does at once) or ended, the program
 *                         starts and the loader is gone (its task is the
 *                         program's)
 *
 * Calls out of order get EINVAL (EBUSY after LOADER_LOAD; ENOTSUP for
 * unknown methods); a path or arguments past the limits below get ELIMIT,
 * other malformed data EINVAL. A caller that hangs up before LOADER_RUN ends
 * the loader's task. Only the caller's own phone is served: connections are
 * refused with EPERM. Programs come from the boot modules by their last path
 * component until a file system serves them, and must lie below the loader's
 * image (0x7f000000, uspace/srv/loader/image_base).
 */
#ifndef ABI_LOADER_H
#define ABI_LOADER_H

#include <abi/ifaces.h>
#include <abi/ipc.h>

#define LOADER_METHODS(M) \
	M(LOADER_SET_CWD, "loader.set_cwd") \
	M(LOADER_SET_PROGRAM, "loader.set_program") \
	M(LOADER_SET_ARGS, "loader.set_args") \
	M(LOADER_LOAD, "loader.load") \
	M(LOADER_RUN, "loader.run") \
	M(LOADER_SET_FILES, "loader.set_files") \
	M(LOADER_SET_ENV, "loader.set_env") \
	M(LOADER_LOAD_ALL, "loader.load_all")

IFACE_METHOD_ENUM(LOADER, LOADER_METHODS, IPC_FIRST_USER_METHOD);

/* Paths (the program's, the working directory) as long as the VFS allows
 * (VFS_PATH_MAX): a shell deep in a tree still starts programs. */
#define LOADER_PATH_MAX 1024
#define LOADER_ARGS_MAX 4096
#define LOADER_ARGC_MAX 128
#define LOADER_ENV_MAX	4096
#define LOADER_ENVC_MAX 128
/* LOADER_LOAD_ALL's block: two paths and the arguments, with their NULs. */
#define LOADER_ALL_MAX (2 * (LOADER_PATH_MAX + 1) + LOADER_ARGS_MAX)

/*
 * The program's initial stack, from RSP up: argc, argv[0..argc-1], NULL,
 * envp[0..envc-1], NULL, then the auxiliary vector of (type, value) pairs ending
 * in AT_NULL.
 */
#define AT_NULL	     0
#define AT_SB_CWD    0x5301 /* value: the working directory (a string) */
#define AT_SB_STDIN  0x5302 /* value: the VFS descriptor for stdin */
#define AT_SB_STDOUT 0x5303 /* ... stdout */
#define AT_SB_STDERR 0x5304 /* ... stderr */

#endif
