/*
 * Calendar dates in UTC (proleptic Gregorian) and seconds since 1970, for
 * the kernel's wall clock, libc's gmtime/date and the file systems' stamps.
 * Pure arithmetic over the caller's values; no state.
 */
#ifndef COMMON_DATETIME_H
#define COMMON_DATETIME_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	int32_t year;  /* e.g. 2026 */
	uint8_t month; /* 1-12 */
	uint8_t day;   /* 1-31, within the month */
	uint8_t hour;  /* 0-23 */
	uint8_t min;   /* 0-59 */
	uint8_t sec;   /* 0-59 (no leap seconds) */
	uint8_t wday;  /* 0 = Sunday; set by datetime_from_unix only */
} datetime_t;

/** Days in @a month (1-12) of @a year; 0 for a month out of range. */
unsigned datetime_month_days(int32_t year, unsigned month);

/** Whether every field of @a dt lies in its range (the day within its month). */
bool datetime_valid(const datetime_t *dt);

/** Seconds since 1970-01-01 00:00:00 UTC of a valid @a dt. */
int64_t datetime_to_unix(const datetime_t *dt);

/** The date and time of @a secs seconds since 1970 (negative: before). */
void datetime_from_unix(int64_t secs, datetime_t *dt);

#endif
