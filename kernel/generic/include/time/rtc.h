/*
 * The wall clock: the battery-backed real-time clock (an MC146818-style
 * CMOS RTC on a PC) is read once at boot and gives the date at the
 * monotonic clock's zero; the wall clock is that plus clock_ns().
 *
 * Why the kernel reads it and not a driver: the kernel already owns time
 * (the monotonic clock every timeout and libc's clock_ns use), and the wall
 * clock is one constant offset to it. A driver would have to hand that
 * offset back to the kernel by a privileged call, or every time() would be
 * an IPC round trip; and file servers started before the driver would stamp
 * files with 1970. The read is a few port accesses at boot, no interrupts,
 * no DMA, no state afterwards. Setting the RTC (writing CMOS) is not done.
 */
#ifndef KERN_TIME_RTC_H
#define KERN_TIME_RTC_H

#include <abi/errno.h>
#include <common/datetime.h>
#include <types.h>

/* MC146818 status register B bits. */
#define RTC_B_24HOUR 0x02 /* hours 0-23 (else 1-12 with RTC_HOUR_PM) */
#define RTC_B_BINARY 0x04 /* values in binary (else BCD) */
#define RTC_HOUR_PM  0x80 /* in 12-hour mode: after noon */

/** The RTC's registers as read, undecoded. century is 0 when the machine
 *  has no century register (the year is then taken as 20yy). */
typedef struct {
	uint8_t sec, min, hour, day, month, year, century;
	uint8_t status_b;
} rtc_raw_t;

/** Decodes @a raw (BCD or binary, 12- or 24-hour, per status_b) into @a dt.
 *  EINVAL when any field is not a valid digit pair or out of its range,
 *  or the date does not exist (31 April): never a made-up date. */
errno_t rtc_decode(const rtc_raw_t *raw, datetime_t *dt);

/** Reads the RTC and fixes the wall clock's offset; once at boot, after
 *  clock_init() and before user tasks start. Logs the date or the error. */
void realtime_init(void);

/** The wall clock's nanoseconds since 1970 at monotonic zero: EOK, or EIO
 *  when the RTC could not be read or held a bad date. Fixed after boot. */
errno_t realtime_base(int64_t *base_ns);

#endif
