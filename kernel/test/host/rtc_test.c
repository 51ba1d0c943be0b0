/*
 * The wall clock's arithmetic: MC146818 register decoding (time/rtc.h) and
 * the calendar conversions of common/datetime.h, on values the emulated
 * chip never shows (bad BCD digits, impossible dates, 12-hour mode).
 */
#include "host_test.h"
#include <common/datetime.h>
#include <time/rtc.h>
#include <time.h>

#define BCD_24 RTC_B_24HOUR
#define BIN_24 (RTC_B_24HOUR | RTC_B_BINARY)

HOST_TEST(rtc_bcd_date_decodes_to_its_unix_time)
{
	/* 2026-12-06 11:20:03 UTC in BCD, as QEMU's RTC keeps it. */
	rtc_raw_t raw = {0x03, 0x20, 0x11, 0x06, 0x12, 0x26, 0x20, BCD_24};
	datetime_t dt;
	CHECK_EQ(rtc_decode(&raw, &dt), EOK);
	CHECK_EQ(dt.year, 2026);
	CHECK_EQ(dt.month, 12);
	CHECK_EQ(dt.day, 6);
	CHECK_EQ(dt.hour, 11);
	CHECK_EQ(datetime_to_unix(&dt), 1796556003);
}

HOST_TEST(rtc_binary_and_12_hour_modes_decode)
{
	rtc_raw_t raw = {3, 20, 11, 6, 12, 26, 20, BIN_24};
	datetime_t dt;
	CHECK_EQ(rtc_decode(&raw, &dt), EOK);
	CHECK_EQ(datetime_to_unix(&dt), 1796556003);
	/* 12-hour BCD: 12 AM is 0, 12 PM is 12, 11 PM is 23. */
	rtc_raw_t h12 = {0, 0, 0x12, 1, 1, 0x24, 0x20, 0};
	CHECK_EQ(rtc_decode(&h12, &dt), EOK);
	CHECK_EQ(dt.hour, 0);
	h12.hour = 0x12 | RTC_HOUR_PM;
	CHECK_EQ(rtc_decode(&h12, &dt), EOK);
	CHECK_EQ(dt.hour, 12);
	h12.hour = 0x11 | RTC_HOUR_PM;
	CHECK_EQ(rtc_decode(&h12, &dt), EOK);
	CHECK_EQ(dt.hour, 23);
	/* No century register: the year is 20yy. */
	h12.century = 0;
	CHECK_EQ(rtc_decode(&h12, &dt), EOK);
	CHECK_EQ(dt.year, 2024);
}

HOST_TEST(rtc_bad_values_are_einval_and_leave_the_output)
{
	const rtc_raw_t good = {0x03, 0x20, 0x11, 0x06, 0x12, 0x26, 0x20, BCD_24};
	rtc_raw_t bad[] = {
	    good, good, good, good, good, good, good, good, good, good, good, good};
	bad[0].sec = 0x3a;  /* not a BCD digit */
	bad[1].sec = 0x60;  /* 60 seconds */
	bad[2].min = 0xff;  /* a chip that reads all ones */
	bad[3].hour = 0x24; /* 24 o'clock */
	bad[4].day = 0x00;  /* day 0 */
	bad[5].day = 0x31;  /* 31 June: below */
	bad[5].month = 0x06;
	bad[6].month = 0x13; /* month 13 */
	bad[7].day = 0x29;   /* 29 February 2026, not a leap year */
	bad[7].month = 0x02;
	bad[8].year = 0x9a;    /* bad year digit */
	bad[9].century = 0x0b; /* bad century digit */
	bad[10].status_b = 0;  /* 12-hour mode with hour 0 */
	bad[10].hour = 0x00;
	bad[11].status_b = BIN_24; /* binary mode, 99 minutes */
	bad[11].min = 99;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		datetime_t dt = {.year = 1234};
		CHECK_EQ(rtc_decode(&bad[i], &dt), EINVAL);
		CHECK_EQ(dt.year, 1234);
	}
}

HOST_TEST(datetime_agrees_with_the_host_gmtime_over_four_centuries)
{
	/* Every 1,000,003 seconds from 1900 to 2300, plus the era edges. */
	for (int64_t t = -2208988800LL; t < 10413792000LL; t += 1000003) {
		datetime_t dt;
		datetime_from_unix(t, &dt);
		time_t ht = (time_t) t;
		struct tm tm;
		CHECK(gmtime_r(&ht, &tm) != NULL);
		CHECK_EQ(dt.year, tm.tm_year + 1900);
		CHECK_EQ(dt.month, tm.tm_mon + 1);
		CHECK_EQ(dt.day, tm.tm_mday);
		CHECK_EQ(dt.hour, tm.tm_hour);
		CHECK_EQ(dt.min, tm.tm_min);
		CHECK_EQ(dt.sec, tm.tm_sec);
		CHECK_EQ(dt.wday, tm.tm_wday);
		CHECK(datetime_valid(&dt));
		CHECK_EQ(datetime_to_unix(&dt), t);
	}
}

HOST_TEST(datetime_month_lengths_and_leap_years)
{
	CHECK_EQ(datetime_month_days(2000, 2), 29);
	CHECK_EQ(datetime_month_days(1900, 2), 28);
	CHECK_EQ(datetime_month_days(2024, 2), 29);
	CHECK_EQ(datetime_month_days(2026, 2), 28);
	CHECK_EQ(datetime_month_days(2026, 4), 30);
	CHECK_EQ(datetime_month_days(2026, 0), 0);
	CHECK_EQ(datetime_month_days(2026, 13), 0);
	datetime_t leap = {
	    .year = 2000, .month = 2, .day = 29, .hour = 23, .min = 59, .sec = 59};
	CHECK(datetime_valid(&leap));
	CHECK_EQ(datetime_to_unix(&leap), 951868799);
}
