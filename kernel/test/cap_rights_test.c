/*
 * Self-tests: capability rights, table-driven. For each kind of handle and
 * each operation on it, the operation is tried through a handle holding
 * every right of its kind and through one lacking the right the operation
 * needs: the first must do it, the second get EPERM and change nothing.
 * The kernel task talks to itself: a phone connected to its own box carries
 * the calls, and the test thread receives and answers them.
 */
#include <test.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <ipc/irq.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>

#define MS	   1000000ull
#define M_PING	   (IPC_FIRST_USER_METHOD + 7)
#define RIGHTS_IRQ 7 /* a line nothing raises in QEMU (ipc_irq_test.c's is 5) */
#define LOOP_LABEL 0x1007

typedef enum {
	OP_CALL,	/* ipc_call through the handle */
	OP_CALL_WAIT,	/* ipc_call_wait through it (fast-path entry first) */
	OP_FORWARD_TO,	/* forward a received call through it */
	OP_CLONE,	/* pass it on with CONNECTION_CLONE */
	OP_DERIVE,	/* derive another phone from it */
	OP_HANGUP,	/* hang it up, keeping the handle */
	OP_RELEASE,	/* give the handle up */
	OP_ANSWER,	/* answer the call */
	OP_PASS,	/* forward the call */
	OP_UNSUBSCRIBE, /* end the IRQ subscription */
	OP_ACK,		/* acknowledge the IRQ (end its hold) */
} rights_op_t;

typedef struct {
	const char *name;
	kobject_type_t kind;
	rights_op_t op;
	cap_rights_t needs; /* 0: allowed with any rights */
	errno_t done;	    /* the result when allowed */
} rights_case_t;

static const rights_case_t rights_table[] = {
    {"phone call", KOBJECT_PHONE, OP_CALL, CAP_RIGHT_CALL, EOK},
    /* Sent, and nobody answers within the timeout: the test thread itself
     * is the receiver. */
    {"phone call_wait", KOBJECT_PHONE, OP_CALL_WAIT, CAP_RIGHT_CALL, ETIMEOUT},
    {"phone forward", KOBJECT_PHONE, OP_FORWARD_TO, CAP_RIGHT_FORWARD, EOK},
    {"phone clone", KOBJECT_PHONE, OP_CLONE, CAP_RIGHT_CLONE, EOK},
    {"phone derive", KOBJECT_PHONE, OP_DERIVE, CAP_RIGHT_CLONE, EOK},
    {"phone hangup", KOBJECT_PHONE, OP_HANGUP, CAP_RIGHT_HANGUP, EOK},
    {"phone release", KOBJECT_PHONE, OP_RELEASE, 0, EOK},
    {"call answer", KOBJECT_CALL, OP_ANSWER, CAP_RIGHT_ANSWER, EOK},
    {"call forward", KOBJECT_CALL, OP_PASS, CAP_RIGHT_PASS, EOK},
    {"irq unsubscribe", KOBJECT_IRQ, OP_UNSUBSCRIBE, 0, EOK},
    {"irq ack", KOBJECT_IRQ, OP_ACK, CAP_RIGHT_ACK, EOK},
};

static cap_rights_t all_rights_of(kobject_type_t kind)
{
	return kind == KOBJECT_PHONE ? CAP_RIGHTS_PHONE
	    : kind == KOBJECT_CALL   ? CAP_RIGHTS_CALL
				     : CAP_RIGHTS_IRQ;
}

/** The next event of @a kind into @a ev, answering the hang-ups of our own
 *  loop phones on the way; ETIMEOUT if none comes, EIO for another kind. */
static errno_t await(sysarg_t kind, ipc_event_t *ev)
{
	for (;;) {
		errno_t rc = ipc_wait(2000 * MS, 0, ev);
		if (rc != EOK)
			return rc;
		if (ev->kind == IPC_EVENT_REQUEST && ev->imethod == IPC_M_PHONE_HUNGUP) {
			(void) (ipc_answer(ev->cap, &(ipc_data_t){.method = EOK}));
			continue;
		}
		return ev->kind == kind ? EOK : EIO;
	}
}

/** Receives our own request, answers it EOK and collects the answer. */
static errno_t serve_own_request(void)
{
	ipc_event_t ev;
	errno_t rc = await(IPC_EVENT_REQUEST, &ev);
	if (rc == EOK)
		rc = ipc_answer(ev.cap, &(ipc_data_t){.method = EOK});
	if (rc == EOK)
		rc = await(IPC_EVENT_ANSWER, &ev);
	return rc == EOK ? (errno_t) ev.imethod : rc;
}

/** Drops whatever earlier tests left in the kernel task's box. */
static void drain_own_box(void)
{
	ipc_event_t ev;
	while (ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev) == EOK) {
		if (ev.kind == IPC_EVENT_REQUEST)
			(void) (ipc_answer(ev.cap, &(ipc_data_t){.method = EHANGUP}));
	}
}

static cap_handle_t loop_phone(void)
{
	cap_handle_t h = CAP_NULL;
	(void) (ipc_phone_connect_new(&kernel_task, &kernel_task.box, LOOP_LABEL, &h));
	return h;
}

/** Gives call @a h back every right, so the test can end it (test only). */
static void call_rights_restore(cap_handle_t h)
{
	cap_table_t *t = &kernel_task.caps;
	spinlock_lock(&t->lock);
	cap_slot_t *s = cap_slot_locked(t, h);
	if (s != NULL)
		s->rights = (uint16_t) CAP_RIGHTS_ALL;
	spinlock_unlock(&t->lock);
}

/** A received call of our own, its handle in *@a h. */
static errno_t own_call(cap_handle_t loop, cap_handle_t *h)
{
	errno_t rc = ipc_call(loop, &(ipc_data_t){.method = M_PING}, 0);
	ipc_event_t ev;
	if (rc == EOK)
		rc = await(IPC_EVENT_REQUEST, &ev);
	if (rc == EOK)
		*h = ev.cap;
	return rc;
}

/** Runs phone operation @a op through @a h (made from @a loop); EOK or
 *  ETIMEOUT results have been followed through to their answers. */
static errno_t phone_op(
    rights_op_t op, cap_handle_t h, cap_handle_t loop, cap_rights_t rights)
{
	ipc_data_t ping = {.method = M_PING};
	ipc_event_t ev;
	cap_handle_t c = CAP_NULL;
	errno_t rc;
	switch (op) {
	case OP_CALL:
		rc = ipc_call(h, &ping, 0);
		return rc == EOK ? serve_own_request() : rc;
	case OP_CALL_WAIT:
		rc = ipc_call_wait(h, &ping, 0, MS, 0, &ev);
		return rc == ETIMEOUT && serve_own_request() == EOK ? ETIMEOUT : rc;
	case OP_FORWARD_TO:
		rc = own_call(loop, &c);
		if (rc != EOK)
			return EIO;
		rc = ipc_forward(c, h, NULL, 0);
		if (rc != EOK) { /* the call is still ours */
			(void) (ipc_answer(c, &(ipc_data_t){.method = EOK}));
			return await(IPC_EVENT_ANSWER, &ev) == EOK ? rc : EIO;
		}
		return serve_own_request();
	case OP_CLONE:
		rc = ipc_call(loop,
		    &(ipc_data_t){.method = IPC_M_CONNECTION_CLONE, .args = {h}}, 0);
		if (rc != EOK)
			return rc;
		rc = await(IPC_EVENT_REQUEST, &ev);
		if (rc != EOK)
			return EIO;
		cap_handle_t copy = ev.args[0];
		kobject_t *obj;
		cap_rights_t copy_rights = 0;
		unsigned flags;
		if (cap_query(&kernel_task.caps, copy, &obj, &copy_rights, &flags) == EOK)
			kobject_put(obj);
		(void) (ipc_answer(ev.cap, &(ipc_data_t){.method = EOK}));
		(void) (ipc_hangup(copy, IPC_HANGUP_RELEASE));
		if (await(IPC_EVENT_ANSWER, &ev) != EOK)
			return EIO;
		/* The copy has the rights of the handle passed on, never more. */
		return copy_rights == rights ? (errno_t) ev.imethod : EIO;
	case OP_DERIVE:
		rc = ipc_phone_derive(&kernel_task, h, CAP_RIGHT_CALL, &c);
		if (rc == EOK)
			(void) (ipc_hangup(c, IPC_HANGUP_RELEASE));
		return rc;
	case OP_HANGUP:
		return ipc_hangup(h, 0);
	case OP_RELEASE:
		return ipc_hangup(h, IPC_HANGUP_RELEASE);
	default:
		return EINVAL;
	}
}

/** Runs call operation @a op on a call of our own restricted to @a rights;
 *  a refused call is then answered through its restored handle. */
static errno_t call_op(rights_op_t op, cap_handle_t loop, cap_rights_t rights)
{
	cap_handle_t c, restricted;
	if (own_call(loop, &c) != EOK ||
	    cap_restrict(&kernel_task.caps, c, rights, &restricted) != EOK)
		return EIO;
	if (ipc_answer(c, &(ipc_data_t){.method = EOK}) != ENOENT)
		return EIO; /* the old handle must be stale */
	errno_t rc = op == OP_ANSWER
	    ? ipc_answer(restricted, &(ipc_data_t){.method = EOK})
	    : ipc_forward(restricted, loop, NULL, 0);
	ipc_event_t ev;
	if (rc == EOK && op == OP_PASS)
		return serve_own_request();
	if (rc != EOK) {
		call_rights_restore(restricted);
		(void) (ipc_answer(restricted, &(ipc_data_t){.method = EOK}));
	}
	return await(IPC_EVENT_ANSWER, &ev) == EOK ? rc : EIO;
}

/** Subscribes the kernel task to RIGHTS_IRQ with a one-command program. */
static errno_t irq_sub_one(uint32_t cmd, cap_handle_t *h)
{
	irq_code_t code = {.count = 1};
	code.cmds[0] = (irq_cmd_t){.cmd = cmd};
	return ipc_irq_subscribe(RIGHTS_IRQ, M_PING, &code, h);
}

/** Runs IRQ operation @a op through a subscription restricted to @a rights
 *  whose program holds the line once fired; an acknowledged hold must be
 *  gone, a refused one still there. */
static errno_t irq_op(rights_op_t op, cap_rights_t rights)
{
	cap_handle_t h, restricted;
	if (irq_sub_one(IRQ_CMD_ACCEPT_HOLD, &h) != EOK)
		return EIO;
	if (cap_restrict(&kernel_task.caps, h, rights, &restricted) != EOK) {
		(void) (ipc_irq_unsubscribe(h));
		return EIO;
	}
	if (op == OP_UNSUBSCRIBE)
		return ipc_irq_unsubscribe(restricted);
	ipc_irq_fire(RIGHTS_IRQ);
	errno_t rc = ipc_irq_ack(&kernel_task, restricted);
	if (ipc_irq_line_held(RIGHTS_IRQ) != (rc != EOK))
		rc = EIO;
	(void) (ipc_irq_unsubscribe(restricted));
	return ipc_irq_line_held(RIGHTS_IRQ) ? EIO : rc;
}

/** One row of the table with @a rights; the operation's result. */
static errno_t rights_case_run(const rights_case_t *c, cap_rights_t rights)
{
	drain_own_box();
	if (c->kind == KOBJECT_IRQ)
		return irq_op(c->op, rights);
	cap_handle_t loop = loop_phone();
	if (loop == CAP_NULL)
		return EIO;
	errno_t rc;
	if (c->kind == KOBJECT_CALL) {
		rc = call_op(c->op, loop, rights);
	} else {
		cap_handle_t h;
		rc = ipc_phone_derive(&kernel_task, loop, rights, &h);
		if (rc == EOK) {
			rc = phone_op(c->op, h, loop, rights);
			(void) (ipc_hangup(h, IPC_HANGUP_RELEASE));
		} else {
			rc = EIO;
		}
	}
	(void) (ipc_hangup(loop, IPC_HANGUP_RELEASE));
	drain_own_box();
	return rc;
}

KTEST(cap_each_right_of_each_handle_kind_is_checked)
{
	uint64_t caps_before = cap_count(&kernel_task.caps);
	for (size_t i = 0; i < sizeof(rights_table) / sizeof(rights_table[0]); i++) {
		const rights_case_t *c = &rights_table[i];
		cap_rights_t all = all_rights_of(c->kind);
		errno_t with = rights_case_run(c, all);
		errno_t without = rights_case_run(c, all & ~c->needs);
		if (with != c->done || without != (c->needs != 0 ? EPERM : c->done)) {
			ktest_fail(__FILE__, __LINE__,
			    "%s: %d with the right, %d without", c->name, with, without);
			return;
		}
	}
	KT_ASSERT_EQ(cap_count(&kernel_task.caps), caps_before); /* nothing left */
}

KTEST(cap_derive_never_adds_rights)
{
	drain_own_box();
	cap_handle_t loop = loop_phone(), h, h2;
	KT_ASSERT(loop != CAP_NULL);
	KT_ASSERT_EQ(
	    ipc_phone_derive(&kernel_task, loop, CAP_RIGHT_CALL | CAP_RIGHT_CLONE, &h),
	    EOK);
	/* More than h has: refused; less: fine, and h2 has exactly that. */
	KT_ASSERT_EQ(
	    ipc_phone_derive(&kernel_task, h, CAP_RIGHT_CALL | CAP_RIGHT_HANGUP, &h2),
	    EPERM);
	KT_ASSERT_EQ(ipc_phone_derive(&kernel_task, h, CAP_RIGHT_CALL, &h2), EOK);
	kobject_t *obj;
	cap_rights_t rights;
	unsigned flags;
	KT_ASSERT_EQ(cap_query(&kernel_task.caps, h2, &obj, &rights, &flags), EOK);
	kobject_put(obj);
	KT_ASSERT_EQ(rights, CAP_RIGHT_CALL);
	KT_ASSERT(flags & CAP_SLOT_DERIVED);
	/* h2 lacks CAP_RIGHT_CLONE: no further copies of it. */
	cap_handle_t h3;
	KT_ASSERT_EQ(ipc_phone_derive(&kernel_task, h2, CAP_RIGHT_CALL, &h3), EPERM);
	/* A call handle restricted cannot be widened again. */
	cap_handle_t c, c2, c3;
	KT_ASSERT_EQ(own_call(loop, &c), EOK);
	KT_ASSERT_EQ(cap_restrict(&kernel_task.caps, c, CAP_RIGHT_ANSWER, &c2), EOK);
	KT_ASSERT_EQ(cap_restrict(&kernel_task.caps, c2, CAP_RIGHTS_CALL, &c3), EPERM);
	KT_ASSERT_EQ(ipc_answer(c2, &(ipc_data_t){.method = EOK}), EOK);
	ipc_event_t ev;
	KT_ASSERT_EQ(await(IPC_EVENT_ANSWER, &ev), EOK);
	(void) (ipc_hangup(h2, IPC_HANGUP_RELEASE));
	(void) (ipc_hangup(h, IPC_HANGUP_RELEASE));
	(void) (ipc_hangup(loop, IPC_HANGUP_RELEASE));
	drain_own_box();
}

KTEST(irq_hold_masks_the_line_until_acked)
{
	drain_own_box();
	cap_handle_t a, b, loop = loop_phone();
	KT_ASSERT(loop != CAP_NULL);
	KT_ASSERT_EQ(irq_sub_one(IRQ_CMD_ACCEPT_HOLD, &a), EOK);
	KT_ASSERT_EQ(irq_sub_one(IRQ_CMD_ACCEPT_HOLD, &b), EOK);
	KT_ASSERT(!ipc_irq_line_held(RIGHTS_IRQ));
	KT_ASSERT_EQ(ipc_irq_ack(&kernel_task, a), EOK); /* nothing held: fine */
	/* Both programs hold the shared line: it is unmasked after the last ack. */
	ipc_irq_fire(RIGHTS_IRQ);
	ipc_irq_fire(RIGHTS_IRQ);
	KT_ASSERT(ipc_irq_line_held(RIGHTS_IRQ));
	KT_ASSERT_EQ(ipc_irq_ack(&kernel_task, a), EOK);
	KT_ASSERT(ipc_irq_line_held(RIGHTS_IRQ));
	KT_ASSERT_EQ(ipc_irq_ack(&kernel_task, b), EOK);
	KT_ASSERT(!ipc_irq_line_held(RIGHTS_IRQ));
	/* Without the right: refused, the hold stays; unsubscribing ends it. */
	cap_handle_t weak;
	KT_ASSERT_EQ(cap_restrict(&kernel_task.caps, a, 0, &weak), EOK);
	ipc_irq_fire(RIGHTS_IRQ);
	KT_ASSERT_EQ(ipc_irq_ack(&kernel_task, weak), EPERM);
	KT_ASSERT_EQ(ipc_irq_ack(&kernel_task, a), ENOENT);    /* stale */
	KT_ASSERT_EQ(ipc_irq_ack(&kernel_task, loop), ENOENT); /* not an IRQ */
	KT_ASSERT_EQ(ipc_irq_ack(&kernel_task, b), EOK);
	KT_ASSERT(ipc_irq_line_held(RIGHTS_IRQ));
	KT_ASSERT_EQ(ipc_irq_unsubscribe(weak), EOK);
	KT_ASSERT(!ipc_irq_line_held(RIGHTS_IRQ));
	/* A plain ACCEPT never holds. */
	cap_handle_t c;
	KT_ASSERT_EQ(irq_sub_one(IRQ_CMD_ACCEPT, &c), EOK);
	ipc_irq_fire(RIGHTS_IRQ);
	KT_ASSERT(ipc_irq_line_held(RIGHTS_IRQ)); /* b held again */
	KT_ASSERT_EQ(ipc_irq_unsubscribe(b), EOK);
	KT_ASSERT(!ipc_irq_line_held(RIGHTS_IRQ));
	ipc_irq_fire(RIGHTS_IRQ);
	KT_ASSERT(!ipc_irq_line_held(RIGHTS_IRQ));
	KT_ASSERT_EQ(ipc_irq_unsubscribe(c), EOK);
	(void) (ipc_hangup(loop, IPC_HANGUP_RELEASE));
	drain_own_box();
}
