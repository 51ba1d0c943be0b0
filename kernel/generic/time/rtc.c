/*
 * Decoding of MC146818 RTC registers (time/rtc.h). Pure: no device access,
 * so the host tests check it on bad values the emulated chip never shows.
 */
#include <time/rtc.h>

/** @a v as a BCD pair (or binary when @a binary) into @a out; EINVAL on a
 *  nibble above 9. */
static errno_t rtc_field(uint8_t v, bool binary, uint8_t *out)
{
	if (binary) {
		*out = v;
		return EOK;
	}
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return EINVAL;
	*out = (uint8_t) ((v >> 4) * 10 + (v & 0x0f));
	return EOK;
}

/** The hour 0-23 from the hour register; EINVAL when out of range. */
static errno_t rtc_hour(uint8_t v, uint8_t status_b, uint8_t *out)
{
	bool binary = (status_b & RTC_B_BINARY) != 0;
	if (status_b & RTC_B_24HOUR)
		return rtc_field(v, binary, out);
	uint8_t h;
	errno_t rc = rtc_field(v & ~RTC_HOUR_PM, binary, &h);
	if (rc != EOK)
		return rc;
	if (h < 1 || h > 12)
		return EINVAL;
	*out = (uint8_t) (h % 12 + ((v & RTC_HOUR_PM) ? 12 : 0));
	return EOK;
}

/** The full year from the year and century registers. */
static errno_t rtc_year(const rtc_raw_t *raw, bool binary, int32_t *out)
{
	uint8_t yy, cc = 20;
	errno_t rc = rtc_field(raw->year, binary, &yy);
	if (rc == EOK && raw->century != 0)
		rc = rtc_field(raw->century, binary, &cc);
	if (rc != EOK || yy > 99 || cc < 19 || cc > 99)
		return EINVAL;
	*out = cc * 100 + yy;
	return EOK;
}

errno_t rtc_decode(const rtc_raw_t *raw, datetime_t *dt)
{
	bool binary = (raw->status_b & RTC_B_BINARY) != 0;
	datetime_t d = {0};
	errno_t rc = rtc_field(raw->sec, binary, &d.sec);
	if (rc == EOK)
		rc = rtc_field(raw->min, binary, &d.min);
	if (rc == EOK)
		rc = rtc_hour(raw->hour, raw->status_b, &d.hour);
	if (rc == EOK)
		rc = rtc_field(raw->day, binary, &d.day);
	if (rc == EOK)
		rc = rtc_field(raw->month, binary, &d.month);
	if (rc == EOK)
		rc = rtc_year(raw, binary, &d.year);
	if (rc != EOK || !datetime_valid(&d))
		return EINVAL;
	*dt = d;
	return EOK;
}
