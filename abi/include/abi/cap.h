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

#endif
