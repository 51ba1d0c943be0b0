/*
 * The wall clock (time/rtc.h): the RTC's date at boot minus the monotonic
 * clock then. Written once by realtime_init() on the boot CPU before other
 * CPUs and user tasks start, read-only afterwards: no lock.
 */
#include <arch/drivers.h>
#include <printf.h>
#include <time/clock.h>
#include <time/rtc.h>

static int64_t base_ns;		 /* wall-clock ns at monotonic zero */
static errno_t base_state = EIO; /* EOK once base_ns holds the RTC's date */

void realtime_init(void)
{
	rtc_raw_t raw;
	datetime_t dt;
	if (!arch_rtc_read(&raw)) {
		printf("rtc: no stable reading; no wall clock\n");
		return;
	}
	uint64_t now = clock_ns();
	if (rtc_decode(&raw, &dt) != EOK) {
		printf("rtc: bad date (%02x-%02x-%02x %02x:%02x:%02x); no wall clock\n",
		    raw.year, raw.month, raw.day, raw.hour, raw.min, raw.sec);
		return;
	}
	base_ns = datetime_to_unix(&dt) * (int64_t) NSEC_PER_SEC - (int64_t) now;
	base_state = EOK;
	printf("rtc: %04d-%02u-%02u %02u:%02u:%02u UTC\n", (int) dt.year, dt.month,
	    dt.day, dt.hour, dt.min, dt.sec);
}

errno_t realtime_base(int64_t *out)
{
	if (base_state == EOK)
		*out = base_ns;
	return base_state;
}
