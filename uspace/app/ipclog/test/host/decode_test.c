/*
 * The registry of method names (libc's ipc_names.c) and the ipclog
 * decoder (decode.c): a known sequence of records, as the kernel logs a
 * client connecting to the VFS through ns and reading, gets the names of
 * the protocol headers; what the records do not show stays a number.
 */
#include "decode.h"
#include "host_test.h"
#include "ipc_names.h"
#include <abi/bench.h>
#include <abi/chardev.h>
#include <abi/errno.h>
#include <abi/kbd.h>
#include <abi/loader.h>
#include <abi/ns.h>
#include <abi/vfs.h>
#include <string.h>

enum { NS = 1, VFS = 3, TMPFS = 4, CAT = 5, CONSOLE = 6 };

static decoder_t d;

static ipclog_record_t rec(uint32_t type, uint64_t id, uint64_t from, uint64_t to,
    uint64_t phone, uint64_t method, uint64_t arg0)
{
	ipclog_record_t r;
	memset(&r, 0, sizeof(r));
	r.type = type;
	r.call_id = id;
	r.sender = from;
	r.receiver = to;
	r.phone = phone;
	r.method = method;
	r.args[0] = arg0;
	return r;
}

/** Feeds a record and tells whether it was named @a want (NULL: unnamed). */
static bool named(ipclog_record_t r, const char *want)
{
	const char *got = decoder_feed(&d, &r);
	if (got == NULL || want == NULL)
		return got == want;
	return strcmp(got, want) == 0;
}

/** @a client connects to @a server for @a iface through ns, as logged. */
static void connect_via_ns(uint64_t id, uint64_t client, uint64_t server, uint64_t iface)
{
	ipclog_record_t r[] = {
	    rec(IPCLOG_CALL, id, client, NS, NS_PHONE, IPC_M_CONNECT_ME_TO, iface),
	    rec(IPCLOG_FORWARD, id, NS, server, 9, IPC_M_CONNECT_ME_TO, iface),
	    /* the answer's arguments, not the request's */
	    rec(IPCLOG_CONNECT, id, server, client, 0, IPC_M_CONNECT_ME_TO, 0),
	    rec(IPCLOG_ANSWER, id, server, client, 0, IPC_M_CONNECT_ME_TO, 0),
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		decoder_feed(&d, &r[i]);
}

HOST_TEST(registry_names_methods_from_the_headers)
{
	const ipc_iface_names_t *vfs = ipc_names_iface(VFS_IFACE_CLIENT);
	CHECK(vfs != NULL);
	CHECK(strcmp(ipc_names_method(vfs, VFS_OPEN), "vfs.open") == 0);
	CHECK(strcmp(ipc_names_method(vfs, VFS_READ), "vfs.read") == 0);
	CHECK(strcmp(ipc_names_method(vfs, VFS_PASS), "vfs.pass") == 0);
	CHECK(strcmp(ipc_names_method(vfs, VFS_MOUNTS), "vfs.mounts") == 0);
	CHECK(strcmp(ipc_names_method(vfs, VFS_MMAP), "vfs.mmap") == 0);
	CHECK(strcmp(ipc_names_method(vfs, VFS_READ_SHARED), "vfs.read_shared") == 0);
	CHECK(strcmp(ipc_names_method(vfs, VFS_SHARE_FILE), "vfs.share_file") == 0);
	CHECK(ipc_names_method(vfs, VFS_SHARE_FILE + 1) == NULL);
	CHECK(ipc_names_method(vfs, IPC_FIRST_USER_METHOD - 1) == NULL);
	const ipc_iface_names_t *fs = ipc_names_iface(VFS_IFACE_FS);
	CHECK(strcmp(ipc_names_method(fs, FS_READ), "fs.read") == 0);
	CHECK(strcmp(ipc_names_method(fs, FS_READ_SHARED), "fs.read_shared") == 0);
	CHECK(strcmp(ipc_names_method(fs, FS_DIRECT_GRANT), "fs.direct_grant") == 0);
	CHECK(strcmp(ipc_names_method(fs, FS_SHARE_FILE), "fs.share_file") == 0);
	CHECK(strcmp(ipc_names_method(fs, VFS_FS_REGISTER), "vfs.fs_register") == 0);
	CHECK(strcmp(ipc_names_method(&ipc_names_ns, NS_TASK_WAIT), "ns.task_wait") == 0);
	CHECK(ipc_names_iface(0x12345678) == NULL);
}

HOST_TEST(registry_names_every_system_method)
{
	CHECK(strcmp(ipc_names_system(IPC_M_PHONE_HUNGUP), "PHONE_HUNGUP") == 0);
	CHECK(strcmp(ipc_names_system(IPC_M_DATA_WRITE), "DATA_WRITE") == 0);
	CHECK(strcmp(ipc_names_system(IPC_M_STATE_CHANGE_AUTHORIZE),
		  "STATE_CHANGE_AUTHORIZE") == 0);
	CHECK(ipc_names_system(0) == NULL);
	CHECK(ipc_names_system(IPC_M_END) == NULL);
	CHECK(ipc_names_system(IPC_FIRST_USER_METHOD) == NULL);
}

/** Two lists of one interface must not share a number: the number would
 *  name two methods. */
static bool lists_overlap(const ipc_method_list_t *a, const ipc_method_list_t *b)
{
	return a->first < b->first + b->count && b->first < a->first + a->count;
}

HOST_TEST(registry_interfaces_are_unique_and_unambiguous)
{
	size_t n = ipc_names_iface_count();
	CHECK(n >= 10);
	for (size_t i = 0; i < n; i++) {
		const ipc_iface_names_t *f = ipc_names_iface_at(i);
		CHECK(ipc_names_iface(f->iface) == f);
		for (size_t a = 0; a < f->list_count; a++) {
			CHECK(f->lists[a].first >= IPC_FIRST_USER_METHOD);
			CHECK(f->lists[a].count > 0);
			for (size_t b = a + 1; b < f->list_count; b++)
				CHECK(!lists_overlap(&f->lists[a], &f->lists[b]));
		}
	}
	CHECK(ipc_names_iface_at(n) == NULL);
}

/** Whether some list of @a a shares a number with some list of @a b. */
static bool ifaces_overlap(const ipc_iface_names_t *a, const ipc_iface_names_t *b)
{
	for (size_t i = 0; i < a->list_count; i++) {
		for (size_t j = 0; j < b->list_count; j++) {
			if (lists_overlap(&a->lists[i], &b->lists[j]))
				return true;
		}
	}
	return false;
}

HOST_TEST(registry_keeps_terminal_display_and_keyboard_numbers_apart)
{
	/* A client may hold connections of these to one server (a driver
	 * serving a keyboard's bytes and events, a console): the decoder
	 * cannot tell its connections apart, only the numbers. */
	CHECK(
	    !ifaces_overlap(ipc_names_iface(CHARDEV_IFACE), ipc_names_iface(KBD_IFACE)));
}

HOST_TEST(registry_names_are_protocol_dot_method)
{
	for (size_t i = 0; i < ipc_names_iface_count(); i++) {
		const ipc_iface_names_t *f = ipc_names_iface_at(i);
		for (size_t a = 0; a < f->list_count; a++) {
			for (size_t m = 0; m < f->lists[a].count; m++) {
				const char *name = f->lists[a].names[m];
				const char *dot = strchr(name, '.');
				CHECK(dot != NULL && dot != name && dot[1] != '\0');
			}
		}
	}
}

HOST_TEST(decoder_names_calls_on_a_connection_made_for_the_vfs)
{
	decoder_init(&d);
	connect_via_ns(10, CAT, VFS, VFS_IFACE_CLIENT);
	CHECK(named(rec(IPCLOG_CALL, 11, CAT, VFS, 7, VFS_READ, 3), "vfs.read"));
	CHECK(named(rec(IPCLOG_CALL, 12, CAT, VFS, 7, IPC_M_DATA_READ, 0), "DATA_READ"));
	/* the VFS asks tmpfs on a connection the log did not show: a number */
	CHECK(named(rec(IPCLOG_CALL, 13, VFS, TMPFS, 2, FS_READ, 1), NULL));
	CHECK(named(
	    rec(IPCLOG_FORWARD, 12, VFS, TMPFS, 2, IPC_M_DATA_READ, 0), "DATA_READ"));
	CHECK(named(
	    rec(IPCLOG_ANSWER, 12, TMPFS, CAT, 0, IPC_M_DATA_READ, 0), "DATA_READ"));
	CHECK(named(rec(IPCLOG_ANSWER, 11, VFS, CAT, 0, VFS_READ, 0), "vfs.read"));
	/* the same number from another task, or to another, is not the VFS's */
	CHECK(named(rec(IPCLOG_CALL, 14, TMPFS, VFS, 5, VFS_READ, 0), NULL));
	CHECK(named(rec(IPCLOG_CALL, 15, CAT, TMPFS, 7, VFS_READ, 0), NULL));
}

HOST_TEST(decoder_names_calls_on_an_accepted_callback)
{
	decoder_init(&d);
	CHECK(
	    named(rec(IPCLOG_CALL, 20, TMPFS, VFS, 4, IPC_M_CONNECT_TO_ME, VFS_IFACE_FS),
		"CONNECT_TO_ME"));
	CHECK(named(rec(IPCLOG_ANSWER, 20, VFS, TMPFS, 0, IPC_M_CONNECT_TO_ME, 0),
	    "CONNECT_TO_ME"));
	CHECK(named(rec(IPCLOG_CALL, 21, VFS, TMPFS, 8, FS_LOOKUP, 1), "fs.lookup"));
	/* a forward rewritten to an fs call, on the same connection */
	CHECK(named(rec(IPCLOG_FORWARD, 22, VFS, TMPFS, 8, FS_READ, 1), "fs.read"));
	/* the callback goes one way: tmpfs has no connection to the VFS yet */
	CHECK(named(rec(IPCLOG_CALL, 23, TMPFS, VFS, 4, VFS_FS_REGISTER, 0), NULL));
	connect_via_ns(24, TMPFS, VFS, VFS_IFACE_FS);
	CHECK(named(
	    rec(IPCLOG_CALL, 25, TMPFS, VFS, 4, VFS_FS_REGISTER, 0), "vfs.fs_register"));
}

HOST_TEST(decoder_learns_nothing_from_refusals)
{
	decoder_init(&d);
	ipclog_record_t call = rec(
	    IPCLOG_CALL, 30, CAT, VFS, 4, IPC_M_CONNECT_TO_ME, BENCH_IFACE);
	ipclog_record_t no = rec(IPCLOG_ANSWER, 30, VFS, CAT, 0, IPC_M_CONNECT_TO_ME, 0);
	no.retval = EREFUSED;
	decoder_feed(&d, &call);
	decoder_feed(&d, &no);
	CHECK(named(rec(IPCLOG_CALL, 31, VFS, CAT, 3, BENCH_PING, 0), NULL));
	ipclog_record_t refused = rec(
	    IPCLOG_REFUSED, 32, VFS, CAT, 0, IPC_M_CONNECT_ME_TO, 0);
	ipclog_record_t ask = rec(
	    IPCLOG_CALL, 32, CAT, NS, NS_PHONE, IPC_M_CONNECT_ME_TO, VFS_IFACE_CLIENT);
	decoder_feed(&d, &ask);
	CHECK(named(refused, "CONNECT_ME_TO"));
	CHECK(named(rec(IPCLOG_CALL, 33, CAT, VFS, 5, VFS_OPEN, 0), NULL));
}

HOST_TEST(decoder_picks_the_interface_that_has_the_method)
{
	decoder_init(&d);
	connect_via_ns(40, CAT, CONSOLE, CHARDEV_IFACE);
	connect_via_ns(41, CAT, CONSOLE, KBD_IFACE);
	CHECK(named(
	    rec(IPCLOG_CALL, 42, CAT, CONSOLE, 5, CHARDEV_WRITE, 0), "chardev.write"));
	CHECK(named(
	    rec(IPCLOG_CALL, 43, CAT, CONSOLE, 6, KBD_GET_EVENT, 0), "kbd.get_event"));
	CHECK(named(rec(IPCLOG_CALL, 44, CAT, CONSOLE, 6, KBD_GET_EVENT + 1, 0), NULL));
}

HOST_TEST(decoder_names_ns_on_phone_1_and_leaves_the_rest_numbers)
{
	decoder_init(&d);
	CHECK(named(rec(IPCLOG_CALL, 50, CAT, NS, NS_PHONE, NS_PING, 0), "ns.ping"));
	CHECK(named(rec(IPCLOG_ANSWER, 50, NS, CAT, 0, NS_PING, 0), "ns.ping"));
	CHECK(named(rec(IPCLOG_CALL, 51, CAT, NS, 2, NS_PING, 0), NULL));
	/* an answer to a call never seen */
	CHECK(named(rec(IPCLOG_ANSWER, 52, NS, CAT, 0, NS_PING, 0), NULL));
	/* notifications carry the subscriber's codes, not system methods */
	CHECK(named(rec(IPCLOG_NOTIF, 0, 0, CAT, 0, IPC_M_PHONE_HUNGUP, 0), NULL));
	CHECK(named(
	    rec(IPCLOG_HANGUP, 0, CAT, VFS, 0, IPC_M_PHONE_HUNGUP, 0), "PHONE_HUNGUP"));
	char buf[32];
	decoder_format(NULL, VFS_READ, buf, sizeof(buf));
	CHECK(strcmp(buf, "user(1026)") == 0);
	decoder_format(NULL, 77, buf, sizeof(buf));
	CHECK(strcmp(buf, "system(77)") == 0);
	decoder_format("vfs.read", VFS_READ, buf, sizeof(buf));
	CHECK(strcmp(buf, "vfs.read") == 0);
}

HOST_TEST(decoder_forgets_the_least_recently_used_connection)
{
	decoder_init(&d);
	for (uint64_t i = 0; i < DECODE_CONNS; i++)
		connect_via_ns(100 + i, 1000 + i, VFS, VFS_IFACE_CLIENT);
	/* task 1000's connection is used: 1001's is now the least recent */
	CHECK(named(rec(IPCLOG_CALL, 2000, 1000, VFS, 5, VFS_OPEN, 0), "vfs.open"));
	connect_via_ns(2001, 1000 + DECODE_CONNS, VFS, VFS_IFACE_CLIENT);
	CHECK(named(rec(IPCLOG_CALL, 2002, 1001, VFS, 5, VFS_OPEN, 0), NULL));
	CHECK(named(rec(IPCLOG_CALL, 2003, 1000, VFS, 5, VFS_OPEN, 0), "vfs.open"));
	CHECK(named(rec(IPCLOG_CALL, 2004, 1002, VFS, 5, VFS_OPEN, 0), "vfs.open"));
	CHECK(named(rec(IPCLOG_CALL, 2005, 1000 + DECODE_CONNS, VFS, 5, VFS_OPEN, 0),
	    "vfs.open"));
}

HOST_TEST(decoder_remembers_a_remade_connection_once)
{
	decoder_init(&d);
	for (uint64_t i = 0; i < 3 * DECODE_CONNS; i++)
		connect_via_ns(100 + i, CAT, CONSOLE, CHARDEV_IFACE);
	CHECK_EQ(d.conn_count, 1);
	CHECK(named(
	    rec(IPCLOG_CALL, 9000, CAT, CONSOLE, 5, CHARDEV_READ, 0), "chardev.read"));
}

static ipclog_record_t name_rec(uint64_t task, uint64_t thread, const char *name)
{
	ipclog_record_t r = rec(IPCLOG_NAME, 0, task, thread, 0, 0, 0);
	strncpy((char *) r.args, name, IPCLOG_NAME_MAX - 1);
	return r;
}

HOST_TEST(a_receipt_is_named_as_its_call_and_close_everywhere)
{
	decoder_init(&d);
	connect_via_ns(10, CAT, VFS, VFS_IFACE_CLIENT);
	CHECK(named(rec(IPCLOG_CALL, 11, CAT, VFS, 5, VFS_READ, 0), "vfs.read"));
	CHECK(named(rec(IPCLOG_RECEIVE, 11, CAT, VFS, 0, VFS_READ, 0), "vfs.read"));
	CHECK(named(rec(IPCLOG_RECEIVE, 12, CAT, VFS, 0, VFS_READ, 0), NULL));
	CHECK(named(rec(IPCLOG_CALL, 13, CAT, VFS, 5, UINT64_MAX, 0), "async.close"));
	CHECK(named(rec(IPCLOG_CALL, 14, CAT, TMPFS, 7, UINT64_MAX, 0), "async.close"));
}

HOST_TEST(calls_to_a_task_started_as_the_loader_are_loader_calls)
{
	enum { SH = 20, NEW = 21 };
	decoder_init(&d);
	CHECK(named(rec(IPCLOG_CALL, 1, SH, NEW, 9, LOADER_SET_CWD, 0), NULL));
	CHECK(named(name_rec(NEW, 0, "loader"), NULL));
	CHECK(named(name_rec(NEW, 30, "main"), NULL));
	CHECK(
	    named(rec(IPCLOG_CALL, 2, SH, NEW, 9, LOADER_SET_CWD, 0), "loader.set_cwd"));
	CHECK(named(rec(IPCLOG_CALL, 3, SH, NEW, 9, LOADER_RUN, 0), "loader.run"));
	CHECK(named(name_rec(NEW, 0, "cat"), NULL));
	/* Renamed by the program it loaded; the name is the newest. */
	CHECK(strcmp(decoder_task_name(&d, NEW), "cat") == 0);
	CHECK(decoder_task_name(&d, SH) == NULL);
}
