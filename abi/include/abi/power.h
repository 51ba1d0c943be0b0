/*
 * Stopping or restarting the machine: the modes of SYS_SYSTEM_POWER, which
 * needs PERM_TASK and does not return when it succeeds.
 */
#ifndef ABI_POWER_H
#define ABI_POWER_H

#define POWER_HALT   1 /* power off (or halt the CPU where that is not possible) */
#define POWER_REBOOT 2 /* reset the machine */

#endif
