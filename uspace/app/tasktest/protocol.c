/*
 * Tests of the loader's protocol spoken directly (abi/loader.h), not
 * through task_spawn: LOADER_LOAD_ALL's block taken apart and refused
 * when malformed, and the step-by-step requests it stands for still
 * working, in their order only.
 */
#include "tasktest.h"
#include <abi/loader.h>
#include <async.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <testsuite.h>

/* A block of LOADER_LOAD_ALL: cwd, path, arguments, each with its NUL. */
#define GOOD_BLOCK \
	"/\0" TASKTEST_PATH "\0tasktest\0--child\0exit\0" \
	"7"

/** A new loader task: its id in *@a tid, a session to it in *@a sess. */
static errno_t loader_start(task_id_t *tid, async_sess_t **sess)
{
	cap_handle_t phone;
	errno_t rc = (errno_t) syscall2(
	    SYS_TASK_SPAWN_LOADER, (sysarg_t) &phone, (sysarg_t) tid);
	if (rc != EOK)
		return rc;
	*sess = async_session_create(EXCHANGE_SERIALIZE, phone);
	if (*sess == NULL) {
		DISCARD(cleanup, ipc_hangup(phone, IPC_HANGUP_RELEASE));
		return ENOMEM;
	}
	return EOK;
}

/** Sends @a method (@a arg) with the @a size bytes at @a data to a new
 *  loader and hangs up (which ends it): the answer. */
static errno_t load_all_once(sysarg_t arg, const char *data, size_t size)
{
	task_id_t tid;
	async_sess_t *sess;
	errno_t rc = loader_start(&tid, &sess);
	if (rc != EOK)
		return rc;
	async_exch_t *exch = async_exchange_begin(sess);
	rc = exch != NULL
	    ? async_req_write(exch, LOADER_LOAD_ALL, arg, 0, data, size, NULL)
	    : ENOMEM;
	if (exch != NULL)
		async_exchange_end(exch);
	DISCARD(cleanup, async_hangup(sess));
	return rc;
}

/** Malformed blocks: no NUL, a relative working directory, no such
 *  program, no arguments, more or fewer arguments than said, a path past
 *  LOADER_PATH_MAX. */
void test_load_all_refuses_bad_blocks(void)
{
	CHECK_RC(load_all_once(1, "abc", 3), EINVAL);
	static const char rel[] = "tmp\0" TASKTEST_PATH "\0tasktest";
	CHECK_RC(load_all_once(1, rel, sizeof(rel)), EINVAL);
	static const char missing[] = "/\0/app/nosuchprogram\0x";
	CHECK_RC(load_all_once(1, missing, sizeof(missing)), ENOENT);
	static const char noargs[] = "/\0" TASKTEST_PATH;
	CHECK_RC(load_all_once(1, noargs, sizeof(noargs)), EINVAL);
	static const char good[] = GOOD_BLOCK;
	CHECK_RC(load_all_once(3, good, sizeof(good)), EINVAL);
	CHECK_RC(load_all_once(5, good, sizeof(good)), EINVAL);
	size_t big = LOADER_PATH_MAX + 2 + sizeof(good);
	char *block = calloc(1, big);
	CHECK(block != NULL);
	if (block == NULL)
		return;
	block[0] = '/';
	memset(block + 1, 'a', LOADER_PATH_MAX + 1); /* NUL at LOADER_PATH_MAX + 2 */
	memcpy(block + LOADER_PATH_MAX + 3, good + 2, sizeof(good) - 2);
	CHECK_RC(load_all_once(4, block, big), ELIMIT);
	free(block);
}

/** Sends @a method with the @a size bytes at @a data on @a exch. */
static errno_t step(
    async_exch_t *exch, sysarg_t method, sysarg_t arg, const char *data, size_t size)
{
	return async_req_write(exch, method, arg, 0, data, size, NULL);
}

/** The steps LOADER_LOAD_ALL stands for, one by one; LOAD_ALL refused
 *  once any of them came (EINVAL) and after the load (EBUSY); the program
 *  runs with its arguments. */
void test_loader_steps_one_by_one(void)
{
	static const char good[] = GOOD_BLOCK;
	static const char args[] = "tasktest\0--child\0exit\0"
				   "7";
	task_id_t tid;
	async_sess_t *sess;
	CHECK_RC(loader_start(&tid, &sess), EOK);
	task_wait_t wait;
	CHECK_RC(task_setup_wait(tid, TASK_WAIT_EXIT, &wait), EOK);
	async_exch_t *exch = async_exchange_begin(sess);
	CHECK(exch != NULL);
	CHECK_RC(step(exch, LOADER_SET_CWD, 0, "/", 1), EOK);
	CHECK_RC(step(exch, LOADER_LOAD_ALL, 4, good, sizeof(good)), EINVAL);
	CHECK_RC(
	    step(exch, LOADER_SET_PROGRAM, 0, TASKTEST_PATH, strlen(TASKTEST_PATH)), EOK);
	CHECK_RC(step(exch, LOADER_SET_ARGS, 4, args, sizeof(args)), EOK);
	CHECK_RC(async_req_0_0(exch, LOADER_LOAD), EOK);
	CHECK_RC(step(exch, LOADER_LOAD_ALL, 4, good, sizeof(good)), EBUSY);
	CHECK_RC(async_req_0_0(exch, LOADER_RUN), EOK);
	async_exchange_end(exch);
	DISCARD(cleanup, async_hangup(sess));
	task_exit_t exit;
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 7);
}
