/*
 * logger: the log service (protocol in abi/logger.h). It copies the kernel
 * log into its own ring whenever the kernel writes (EVENT_KLOG) and stores
 * the lines programs send under their task names; readers get the text from
 * a cursor. log_lock guards the ring and the kernel cursor: the event
 * handler and every connection fibril take it.
 *
 * The logger prints nothing once it runs: what it prints would go to the
 * kernel log and come back as another event.
 */
#include "logbuf.h"
#include <abi/irq.h>
#include <async.h>
#include <fibril_synch.h>
#include <log.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <getopt.h>

#define USAGE "(a server; init starts it, as /cfg/init.conf says)"

#define KLOG_CHUNK 1024

static FIBRIL_MUTEX_INITIALIZE(log_lock);
static logbuf_t ring;
static uint64_t klog_cursor; /* the next kernel log byte to copy */

/** Copies what the kernel logged since the last time. */
static void klog_copy(void)
{
	static char chunk[KLOG_CHUNK]; /* under log_lock */
	fibril_mutex_lock(&log_lock);
	for (;;) {
		size_t n;
		uint64_t missed;
		if (klog_read(&klog_cursor, chunk, sizeof(chunk), &n, &missed) != EOK)
			break;
		logbuf_kernel_missed(&ring, missed);
		logbuf_kernel(&ring, chunk, n);
		if (n < sizeof(chunk))
			break;
	}
	fibril_mutex_unlock(&log_lock);
}

/** EVENT_KLOG: unmasked before copying, so a write during the copy brings
 *  another event rather than being left until the next one. */
static void klog_event(ipc_call_t *call, void *arg)
{
	DISCARD(best_effort, async_event_unmask(EVENT_KLOG));
	klog_copy();
}

/** The name of task @a id for its lines ("task N" if it is gone). */
static void source_name(uint64_t id, char *buf, size_t size)
{
	task_info_t info;
	if (task_get_info(id, &info) == EOK)
		snprintf(buf, size, "%s", info.name);
	else
		snprintf(buf, size, "task %llu", (unsigned long long) id);
}

/** LOGGER_WRITE from task @a sender: the text follows as a data write. */
static errno_t log_write_handle(uint64_t sender)
{
	void *text;
	size_t len;
	errno_t rc = async_data_write_accept(&text, false, 1, LOGGER_LINE_MAX, 0, &len);
	if (rc != EOK)
		return rc;
	char name[TASK_NAME_LEN_MAX + 1];
	source_name(sender, name, sizeof(name));
	fibril_mutex_lock(&log_lock);
	logbuf_line(&ring, name, text, len);
	fibril_mutex_unlock(&log_lock);
	free(text);
	return EOK;
}

/** LOGGER_READ @a call: answers its data read, then the call itself. */
static void log_read_handle(ipc_call_t *call)
{
	uint64_t cursor = ipc_get_arg1(call);
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive_for(call, &rcall, &size))
		return;
	if (size > LOGGER_RING_SIZE)
		size = LOGGER_RING_SIZE;
	char *buf = malloc(size > 0 ? size : 1);
	if (buf == NULL) {
		DISCARD(answer, async_answer_0(&rcall, ENOMEM));
		DISCARD(answer, async_answer_0(call, ENOMEM));
		return;
	}
	uint64_t missed;
	fibril_mutex_lock(&log_lock);
	size_t n = logbuf_read(&ring, &cursor, buf, size, &missed);
	uint64_t end = logbuf_end(&ring);
	fibril_mutex_unlock(&log_lock);
	errno_t rc = async_data_read_finalize(&rcall, buf, n);
	free(buf);
	DISCARD(answer, async_answer_4(call, rc, n, cursor, missed, end));
}

/** One client connection, until it hangs up. */
static void log_connection(ipc_call_t *icall, void *arg)
{
	DISCARD(answer, async_accept_0(icall));
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		switch (ipc_get_imethod(&call)) {
		case 0:
			return;
		case LOGGER_WRITE:
			DISCARD(answer,
			    async_answer_0(&call, log_write_handle(call.task_id)));
			break;
		case LOGGER_READ:
			log_read_handle(&call);
			break;
		default:
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
			break;
		}
	}
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	logbuf_init(&ring);
	errno_t rc = async_event_subscribe(EVENT_KLOG, klog_event, NULL);
	if (rc != EOK) {
		printf("logger: cannot subscribe to the kernel log: %s\n", strerror(rc));
		return 1;
	}
	rc = service_register(
	    service_id_from_name(LOGGER_SERVICE), LOGGER_IFACE, log_connection, NULL);
	if (rc != EOK) {
		printf("logger: cannot register: %s\n", strerror(rc));
		return 1;
	}
	printf("logger: ready\n");
	klog_copy();
	DISCARD(best_effort, task_retval(0));
	async_manager();
}
