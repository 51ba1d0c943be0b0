/*
 * Calendar arithmetic (common/datetime.h). Days are counted from 1970-01-01
 * through 400-year eras, each 146097 days long, with March as the first
 * month of the computing year so that February's leap day ends a year.
 */
#include <common/datetime.h>

#define DAYS_PER_ERA 146097
#define SECS_PER_DAY 86400

static bool datetime_leap(int32_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned datetime_month_days(int32_t year, unsigned month)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && datetime_leap(year) ? 1 : 0);
}

bool datetime_valid(const datetime_t *dt)
{
	return dt->month >= 1 && dt->month <= 12 && dt->day >= 1 &&
	    dt->day <= datetime_month_days(dt->year, dt->month) && dt->hour < 24 &&
	    dt->min < 60 && dt->sec < 60;
}

/** Days since 1970-01-01 of year @a y, month @a m, day @a d. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned) (y - era * 400);			/* 0-399 */
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0-365 */
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;		/* 0-146096 */
	return era * DAYS_PER_ERA + (int64_t) doe - 719468;
}

int64_t datetime_to_unix(const datetime_t *dt)
{
	int64_t days = days_from_civil(dt->year, dt->month, dt->day);
	return days * SECS_PER_DAY + dt->hour * 3600 + dt->min * 60 + dt->sec;
}

/** Floor division of @a a by the positive @a b. */
static int64_t div_floor(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void datetime_from_unix(int64_t secs, datetime_t *dt)
{
	int64_t days = div_floor(secs, SECS_PER_DAY);
	int64_t rem = secs - days * SECS_PER_DAY;
	dt->hour = (uint8_t) (rem / 3600);
	dt->min = (uint8_t) (rem / 60 % 60);
	dt->sec = (uint8_t) (rem % 60);
	dt->wday = (uint8_t) (div_floor(days + 4, 7) * -7 + days +
	    4); /* 1970-01-01: Thursday */

	int64_t z = days + 719468;
	int64_t era = div_floor(z, DAYS_PER_ERA);
	unsigned doe = (unsigned) (z - era * DAYS_PER_ERA);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	dt->day = (uint8_t) (doy - (153 * mp + 2) / 5 + 1);
	dt->month = (uint8_t) (mp < 10 ? mp + 3 : mp - 9);
	dt->year = (int32_t) (yoe + era * 400 + (dt->month <= 2));
}
