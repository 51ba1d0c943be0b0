/*
 * utest: capability rights through the system calls (docs/security.md,
 * "Capability rights"): what SYS_CAP_INFO tells, derive refusals that
 * change nothing, a handle replaced by a derive going stale, bad handles
 * and pointers. The kernel self-tests cover each right of each kind.
 */
#include "utest.h"
#include <ipc.h>
#include <testsuite.h>

#define CAPS_IRQ   13 /* no device of a PC raises it: no driver owns it */
#define KERNEL_PTR 0xffffffff80100000ull

void test_capability_rights_system_calls(void)
{
	irq_cmd_t decline = {.cmd = IRQ_CMD_DECLINE};
	cap_handle_t h, d, more;
	CHECK_RC(ipc_irq_subscribe(CAPS_IRQ, 1024, &decline, 1, &h), EOK);
	cap_info_t info;
	CHECK_RC(cap_info(h, &info), EOK);
	CHECK(
	    info.kind == CAP_KIND_IRQ && info.rights == CAP_RIGHTS_IRQ && !info.derived);
	CHECK_RC(cap_info(h, (cap_info_t *) KERNEL_PTR), EBADMEM);
	/* Refused before anything changes: h still names the subscription. */
	CHECK_RC(cap_derive(h, CAP_RIGHT_CALL, &d), EINVAL); /* a phone's right */
	CHECK_RC(cap_derive(h, 0x80000000u, &d), EINVAL);
	CHECK_RC(cap_derive(h, 0, (cap_handle_t *) KERNEL_PTR), EBADMEM);
	CHECK_RC(cap_info(h, &info), EOK);
	CHECK_RC(ipc_irq_ack(h), EOK); /* nothing held: nothing to end */
	/* Derived with no right, it replaces h, which is stale from now on. */
	CHECK_RC(cap_derive(h, 0, &d), EOK);
	CHECK(d != h);
	CHECK_RC(cap_info(h, &info), ENOENT);
	CHECK_RC(cap_info(d, &info), EOK);
	CHECK(info.kind == CAP_KIND_IRQ && info.rights == 0);
	CHECK_RC(ipc_irq_ack(d), EPERM); /* the acknowledge right is gone */
	CHECK_RC(ipc_irq_ack(h), ENOENT);
	CHECK_RC(ipc_irq_ack(NS_PHONE), ENOENT);	      /* not an IRQ */
	CHECK_RC(cap_derive(d, CAP_RIGHT_ACK, &more), EPERM); /* never more */
	CHECK_RC(cap_revoke(d), EPERM); /* only a derived phone is revocable */
	CHECK_RC(cap_revoke(0x12345), ENOENT);
	CHECK_RC(cap_derive(CAP_NULL, 0, &more), ENOENT);
	CHECK_RC(cap_info(CAP_NULL, &info), ENOENT);
	CHECK_RC(ipc_irq_unsubscribe(h), ENOENT);
	CHECK_RC(ipc_irq_unsubscribe(d), EOK); /* giving it up needs no right */
}
