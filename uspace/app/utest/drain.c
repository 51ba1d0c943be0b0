/*
 * utest: fibril_ipc_drain() (fibril.h), which takes every event already
 * queued for the task and hands it out from the calling fibril. It is
 * only safe while the task has one runner: another runner may hold an
 * event it has taken and not handed out yet, so the drain could return
 * before everything sent earlier was handled. The child `--drain` starts
 * with one runner and then spawns a second.
 */
#include "utest.h"
#include <fibril.h>
#include <ipc.h>
#include <testsuite.h>

void test_ipc_drain_needs_a_single_runner(void)
{
	task_exit_t e;
	CHECK_RC(utest_child("--drain", &e), EOK);
	if (e.how != TASK_EXIT_NORMAL || e.status != 0)
		printf("utest:   --drain ended how=%d status=%d\n", e.how, e.status);
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 0);
}

int child_drain(void)
{
	int bad = 0;
	/* One runner: an event queued before the drain is taken by it. */
	ipc_poke();
	bad += fibril_ipc_drain() != EOK;
	ipc_event_t ev;
	bad += ipc_wait(&ev, 0, IPC_WAIT_NONBLOCKING) != EAGAIN;
	/* Two runners: refused, whatever is queued. */
	bad += fibril_spawn_runners(1) != EOK;
	bad += fibril_ipc_drain() != ENOTSUP;
	bad += fibril_ipc_drain() != ENOTSUP;
	return bad;
}
