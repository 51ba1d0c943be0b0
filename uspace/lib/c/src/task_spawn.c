/*
 * Spawning programs through the program loader and waiting for tasks
 * through the naming service (task.h; protocols in abi/loader.h and
 * abi/ns.h).
 */
#include "private/libc.h"
#include <abi/loader.h>
#include <async.h>
#include <ddi.h>
#include <vfs.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <unistd.h>

#define SPAWN_ARGS_MAX LOADER_ARGC_MAX

/** Sends @a method with a data write of @a size bytes at @a data; the
 *  answer's value (or the first error). */
static errno_t send_with_data(
    async_exch_t *exch, sysarg_t method, sysarg_t arg, const void *data, size_t size)
{
	return async_req_write(exch, method, arg, 0, data, size, NULL);
}

/** Packs the strings @a strs (ending in NULL; at most @a max_count of
 *  them in @a max_size bytes, else ELIMIT) into @a buf back to back, each
 *  with its NUL; their count in *@a count and their size in *@a size. */
static errno_t pack_strings(const char *const strs[], size_t max_count, size_t max_size,
    char *buf, size_t *count, size_t *size)
{
	size_t n = 0, used = 0;
	for (; strs[n] != NULL; n++) {
		size_t len = strlen(strs[n]) + 1;
		if (n == max_count || len > max_size - used)
			return ELIMIT;
		memcpy(buf + used, strs[n], len);
		used += len;
	}
	*count = n;
	*size = used;
	return EOK;
}

/** Sends the environment @a env (nothing if it is empty). */
static errno_t loader_env(async_exch_t *exch, char *const env[], char *packed)
{
	size_t envc, size;
	errno_t rc = pack_strings((const char *const *) env, LOADER_ENVC_MAX,
	    LOADER_ENV_MAX, packed, &envc, &size);
	if (rc != EOK || envc == 0)
		return rc;
	return send_with_data(exch, LOADER_SET_ENV, envc, packed, size);
}

/** Copies @a str with its NUL to @a buf + *@a used (ELIMIT past
 *  LOADER_PATH_MAX bytes); *@a used moves past it. */
static errno_t pack_path(char *buf, size_t *used, const char *str)
{
	size_t len = strlen(str);
	if (len > LOADER_PATH_MAX)
		return ELIMIT;
	memcpy(buf + *used, str, len + 1);
	*used += len + 1;
	return EOK;
}

/** Tells the loader behind @a exch what to run and has it loaded: the
 *  environment, then the working directory, the path and the arguments in
 *  one LOADER_LOAD_ALL. */
static errno_t loader_run(async_exch_t *exch, const char *path, const char *const args[],
    char *const env[], const char *cwd)
{
	_Static_assert(LOADER_ENV_MAX <= LOADER_ALL_MAX, "one buffer for both");
	char *packed = malloc(LOADER_ALL_MAX);
	if (packed == NULL)
		return ENOMEM;
	size_t argc = 0, size = 0, used = 0;
	errno_t rc = loader_env(exch, env, packed);
	if (rc == EOK)
		rc = pack_path(packed, &used, cwd);
	if (rc == EOK)
		rc = pack_path(packed, &used, path);
	if (rc == EOK)
		rc = pack_strings(
		    args, LOADER_ARGC_MAX, LOADER_ARGS_MAX, packed + used, &argc, &size);
	if (rc == EOK && argc == 0)
		rc = EINVAL;
	if (rc == EOK)
		rc = send_with_data(exch, LOADER_LOAD_ALL, argc, packed, used + size);
	free(packed);
	return rc;
}

/** Hands the descriptors @a files (-1: none) to task @a tid through the VFS
 *  and tells its loader which ones they became there (nothing if none). */
static errno_t loader_files(async_exch_t *exch, task_id_t tid, const int files[3])
{
	if (files[0] < 0 && files[1] < 0 && files[2] < 0)
		return EOK;
	sysarg_t theirs[3];
	for (int i = 0; i < 3; i++) {
		int fd = -1;
		if (files[i] >= 0) {
			errno_t rc = vfs_pass(files[i], tid, &fd);
			if (rc != EOK)
				return rc;
		}
		theirs[i] = (sysarg_t) (int64_t) fd;
	}
	return async_req_3_0(exch, LOADER_SET_FILES, theirs[0], theirs[1], theirs[2]);
}

void task_spawn_opts_init(task_spawn_opts_t *opts)
{
	opts->cwd = NULL;
	opts->env = NULL;
	opts->created = NULL;
	opts->created_arg = NULL;
	for (int i = 0; i < 3; i++)
		opts->files[i] = -1;
	opts->perms = 0;
	opts->res = NULL;
	opts->res_count = 0;
	for (unsigned k = 0; k < QUOTA_COUNT; k++)
		opts->quota[k] = QUOTA_UNLIMITED;
}

/** Whether @a opts lowers any limit. */
static bool quotas_named(const task_spawn_opts_t *opts)
{
	for (unsigned k = 0; k < QUOTA_COUNT; k++) {
		if (opts->quota[k] != QUOTA_UNLIMITED)
			return true;
	}
	return false;
}

/** Lowers task @a tid's limits to those @a opts names. */
static errno_t apply_quotas(task_id_t tid, const task_spawn_opts_t *opts)
{
	if (!quotas_named(opts))
		return EOK;
	quota_info_t now;
	errno_t rc = quota_get(tid, &now);
	for (unsigned k = 0; rc == EOK && k < QUOTA_COUNT; k++) {
		if (opts->quota[k] < now.limit[k])
			rc = quota_set(tid, k, opts->quota[k]);
	}
	return rc;
}

/** Everything up to LOADER_RUN with the loader of task @a tid. The
 *  program's working directory is opts->cwd or else ours as it is now
 *  (vfs_cwd_get(), which follows chdir()), never the one we started in;
 *  a relative @a path is taken from ours too (the loader has its own). */
static errno_t loader_prepare(async_exch_t *exch, task_id_t tid, const char *path,
    const char *const args[], const task_spawn_opts_t *opts)
{
	char cwd[VFS_PATH_MAX + 1], abs[VFS_PATH_MAX + 1];
	errno_t rc = opts->cwd != NULL ? EOK : vfs_cwd_get(cwd, sizeof(cwd));
	if (rc == EOK && path[0] != '/') {
		rc = vfs_absolutize(path, abs);
		path = abs;
	}
	if (rc == EOK)
		rc = loader_files(exch, tid, opts->files);
	if (rc == EOK)
		rc = loader_run(exch, path, args, opts->env != NULL ? opts->env : environ,
		    opts->cwd != NULL ? opts->cwd : cwd);
	/* Before the program runs, so it never sees itself without them. */
	if (rc == EOK && opts->perms != 0)
		rc = perm_grant(tid, opts->perms);
	for (size_t i = 0; rc == EOK && i < opts->res_count; i++)
		rc = hwres_grant(tid, &opts->res[i]);
	if (rc == EOK)
		rc = apply_quotas(tid, opts);
	return rc;
}

errno_t task_spawn_opts(task_id_t *id, task_wait_t *wait, const char *path,
    const char *const args[], const task_spawn_opts_t *opts)
{
	cap_handle_t phone;
	task_id_t tid;
	errno_t rc = (errno_t) syscall2(
	    SYS_TASK_SPAWN_LOADER, (sysarg_t) &phone, (sysarg_t) &tid);
	if (rc != EOK)
		return rc;
	if (opts->created != NULL)
		opts->created(tid, opts->created_arg);
	async_sess_t *sess = async_session_create(EXCHANGE_SERIALIZE, phone);
	if (sess == NULL) {
		DISCARD(
		    cleanup, ipc_hangup(phone, IPC_HANGUP_RELEASE)); /* the loader ends */
		return ENOMEM;
	}
	async_exch_t *exch = async_exchange_begin(sess);
	rc = exch != NULL ? loader_prepare(exch, tid, path, args, opts) : ENOMEM;
	/* The wait is in place before the program can end. */
	if (rc == EOK && wait != NULL)
		rc = task_setup_wait(tid, TASK_WAIT_EXIT, wait);
	if (rc == EOK) {
		rc = async_req_0_0(exch, LOADER_RUN);
		if (rc != EOK && wait != NULL)
			task_cancel_wait(wait);
	}
	if (exch != NULL)
		async_exchange_end(exch);
	DISCARD(
	    cleanup, async_hangup(sess)); /* before LOADER_RUN, this ends the loader */
	if (rc == EOK && id != NULL)
		*id = tid;
	return rc;
}

errno_t task_spawnv_cwd(task_id_t *id, task_wait_t *wait, const char *path,
    const char *const args[], const char *cwd)
{
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.cwd = cwd;
	return task_spawn_opts(id, wait, path, args, &opts);
}

errno_t task_spawnv(
    task_id_t *id, task_wait_t *wait, const char *path, const char *const args[])
{
	return task_spawnv_cwd(id, wait, path, args, NULL);
}

errno_t task_spawnvf(task_id_t *id, task_wait_t *wait, const char *path,
    const char *const args[], int fd_stdin, int fd_stdout, int fd_stderr)
{
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.files[0] = fd_stdin;
	opts.files[1] = fd_stdout;
	opts.files[2] = fd_stderr;
	return task_spawn_opts(id, wait, path, args, &opts);
}

errno_t task_spawnl(task_id_t *id, task_wait_t *wait, const char *path, ...)
{
	const char *args[SPAWN_ARGS_MAX + 1];
	size_t n = 0;
	va_list ap;
	va_start(ap, path);
	const char *arg;
	while ((arg = va_arg(ap, const char *)) != NULL && n < SPAWN_ARGS_MAX)
		args[n++] = arg;
	bool too_many = arg != NULL;
	va_end(ap);
	if (too_many)
		return ELIMIT;
	args[n] = NULL;
	return task_spawnv(id, wait, path, args);
}

errno_t task_setup_wait(task_id_t id, unsigned flags, task_wait_t *wait)
{
	wait->aid = 0;
	wait->flags = flags;
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	wait->aid = async_send_2(exch, NS_TASK_WAIT, id, flags, &wait->answer);
	async_exchange_end(exch);
	return wait->aid != 0 ? EOK : ENOMEM;
}

errno_t task_wait(task_wait_t *wait, task_exit_t *texit, int *retval)
{
	if (wait->aid == 0)
		return EINVAL;
	errno_t rc;
	async_wait_for(wait->aid, &rc);
	wait->aid = 0;
	if (rc != EOK)
		return rc;
	const sysarg_t *a = wait->answer.args;
	if (texit != NULL) {
		texit->how = (int) a[NS_WAIT_HOW];
		texit->status = (int) (uint32_t) a[NS_WAIT_STATUS];
		texit->fault_addr = a[NS_WAIT_FAULT_ADDR];
		texit->fault_ip = 0;
	}
	if (retval != NULL) {
		bool reported = (a[NS_WAIT_STATE] & TASK_WAIT_RETVAL) != 0;
		*retval = (int) (uint32_t) (reported ? a[NS_WAIT_RETVAL]
						     : a[NS_WAIT_STATUS]);
	}
	return EOK;
}

void task_cancel_wait(task_wait_t *wait)
{
	if (wait->aid != 0)
		async_forget(wait->aid);
	wait->aid = 0;
}

errno_t task_wait_task_id(task_id_t id, unsigned flags, task_exit_t *texit, int *retval)
{
	task_wait_t wait;
	errno_t rc = task_setup_wait(id, flags, &wait);
	return rc == EOK ? task_wait(&wait, texit, retval) : rc;
}

errno_t task_retval(int value)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_1_0(exch, NS_TASK_RETVAL, (sysarg_t) (uint32_t) value);
	async_exchange_end(exch);
	return rc;
}

errno_t task_start_server(const char *path, unsigned perms, task_id_t *id)
{
	const char *args[] = {path, NULL};
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.perms = perms;
	task_id_t tid;
	errno_t rc = task_spawn_opts(&tid, NULL, path, args, &opts);
	if (rc != EOK)
		return rc;
	task_exit_t texit;
	int value;
	rc = task_wait_task_id(tid, TASK_WAIT_RETVAL, &texit, &value);
	if (rc == EOK && (texit.how != 0 || value != 0))
		rc = EPARTY; /* it ended or reported a failure instead */
	if (rc == EOK && id != NULL)
		*id = tid;
	return rc;
}
