/*
 * Capability handles. A handle names a kernel object in one task's
 * capability space: (generation << 24) | (slot + 1). A freed and reused slot
 * gets a new generation, so a stale handle never reaches the new object.
 * Handle 0 is never valid.
 */
#ifndef ABI_CAP_H
#define ABI_CAP_H

#include <stdint.h>

typedef uint64_t cap_handle_t;

#define CAP_NULL      ((cap_handle_t) 0)
#define CAP_SLOT_BITS 24
#define CAP_SLOTS_MAX (1u << 16) /* per task */

/*
 * Rights: each handle carries a set, checked by the kernel on every use
 * (EPERM when the one needed is missing). A new capability has every right
 * of its kind; SYS_CAP_DERIVE makes one with fewer (docs/security.md).
 */
typedef uint32_t cap_rights_t;

/* Phones. */
#define CAP_RIGHT_CALL	  0x01u /* send calls through it */
#define CAP_RIGHT_FORWARD 0x02u /* forward a received call through it */
#define CAP_RIGHT_CLONE	  0x04u /* copy it: CONNECTION_CLONE, SYS_CAP_DERIVE */
#define CAP_RIGHT_HANGUP  0x08u /* hang it up and keep the handle */
/* Calls (a received request). */
#define CAP_RIGHT_ANSWER 0x10u /* answer it */
#define CAP_RIGHT_PASS	 0x20u /* forward it to another server */
/* IRQ subscriptions. */
#define CAP_RIGHT_ACK 0x40u /* acknowledge an interrupt: SYS_IRQ_ACK */

#define CAP_RIGHTS_PHONE \
	(CAP_RIGHT_CALL | CAP_RIGHT_FORWARD | CAP_RIGHT_CLONE | CAP_RIGHT_HANGUP)
#define CAP_RIGHTS_CALL (CAP_RIGHT_ANSWER | CAP_RIGHT_PASS)
#define CAP_RIGHTS_IRQ	CAP_RIGHT_ACK
#define CAP_RIGHTS_ALL	(CAP_RIGHTS_PHONE | CAP_RIGHTS_CALL | CAP_RIGHTS_IRQ)

/* What SYS_CAP_INFO tells of a handle. */
typedef struct {
	uint32_t kind;	     /* CAP_KIND_* */
	cap_rights_t rights; /* of this kind only */
	uint32_t derived; /* 1: made by SYS_CAP_DERIVE here, so revocable by this task */
	uint32_t reserved;
} cap_info_t;

#define CAP_KIND_PHONE 1
#define CAP_KIND_CALL  2
#define CAP_KIND_IRQ   3

#endif
