/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Conversions in a loaded zone: UTC instant to local broken-down time, and back. Calendar
 * arithmetic is proleptic Gregorian on 64-bit day counts (no libc time functions, which
 * would consult TZ).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "errors.h"
#include "tz_internal.h"

/* Instants further than this from 1970 (about 35 million years) are refused: every day
 * count and product below then stays far from overflow, and tm_year fits an int. */
#define TZ_T_LIMIT ((int64_t)1 << 50)

/* The zone a NULL zone stands for. Never written: the pointer is not const for the type. */
static struct tz_type utc_type = { 0, false, "UTC" };
static const struct hostiam_tz utc_zone = { .n_types = 1, .types = &utc_type };

/* See tz_internal.h. */
int64_t tz_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* See tz_internal.h. */
bool tz_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* See tz_internal.h. Days are counted in 400-year eras of 146097 days, from March 1. */
int64_t tz_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = tz_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date of day (since 1970-01-01): the inverse of tz_days_from_civil. */
static void civil_from_days(int64_t day, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	day += 719468;
	era = tz_floor_div(day, 146097);
	doe = day - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* See tz_internal.h. */
int64_t tz_year_of_day(int64_t day)
{
	int64_t y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	return y;
}

/*
 * The type in effect at t (RFC 8536 3.2): type 0 before the first transition; the
 * footer's rule from the last one on (for all times if there are no transitions); else
 * the type of the last transition at or before t.
 */
static const struct tz_type *type_at(const struct hostiam_tz *z, int64_t t)
{
	size_t lo = 0, hi = z->n_trans;

	if (z->rule.present && (z->n_trans == 0 || t >= z->trans[z->n_trans - 1]))
		return tz_rule_type_at(&z->rule, t);
	if (z->n_trans == 0 || t < z->trans[0])
		return &z->types[0];
	/* trans[lo] <= t, and t < trans[hi] when hi < n_trans. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return &z->types[z->trans_type[lo]];
}

/* See tz.h. */
int hostiam_tz_localtime(const struct hostiam_tz *z, time_t t, struct tm *out)
{
	const struct tz_type *ty;
	int64_t local, day, secs, y;
	struct tm tm;
	int m, d;

	if (out == NULL || (int64_t)t > TZ_T_LIMIT || (int64_t)t < -TZ_T_LIMIT)
		return HOSTIAM_ERR_INVALID_ARG;
	if (z == NULL)
		z = &utc_zone;
	ty = type_at(z, (int64_t)t);
	local = (int64_t)t + ty->utoff;
	day = tz_floor_div(local, 86400);
	secs = local - day * 86400;
	civil_from_days(day, &y, &m, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = (int)(secs / 3600);
	tm.tm_min = (int)(secs / 60 % 60);
	tm.tm_sec = (int)(secs % 60);
	tm.tm_wday = (int)(((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	tm.tm_yday = (int)(day - tz_days_from_civil(y, 1, 1));
	tm.tm_isdst = ty->isdst;
	tm.tm_gmtoff = ty->utoff;
	tm.tm_zone = ty->abbr;
	*out = tm;
	return 0;
}

/* The fields of local as seconds of a UTC-like local clock; -1 when out of range. */
static int local_seconds(const struct tm *local, int64_t *out)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t y = (int64_t)local->tm_year + 1900;

	if (y < -1000000 || y > 1000000 || local->tm_mon < 0 || local->tm_mon > 11 ||
	    local->tm_mday < 1 || local->tm_mday > mdays[local->tm_mon] ||
	    (local->tm_mon == 1 && local->tm_mday == 29 && !tz_is_leap(y)) || local->tm_hour < 0 ||
	    local->tm_hour > 23 || local->tm_min < 0 || local->tm_min > 59 || local->tm_sec < 0 ||
	    local->tm_sec > 59)
		return -1;
	*out = tz_days_from_civil(y, local->tm_mon + 1, local->tm_mday) * 86400 +
		local->tm_hour * 3600 + local->tm_min * 60 + local->tm_sec;
	return 0;
}

/* The earliest t whose offset o makes t + o == L, over every offset the zone has. */
static bool exact_instant(const struct hostiam_tz *z, int64_t L, int64_t *out)
{
	bool found = false;
	size_t i, n = z->n_types + (z->rule.present ? 2 : 0);

	for (i = 0; i < n; i++) {
		int32_t o = i < z->n_types ? z->types[i].utoff :
			i == z->n_types    ? z->rule.std.utoff :
					     z->rule.dst.utoff;
		int64_t t = L - o;

		if (type_at(z, t)->utoff == o && (!found || t < *out)) {
			*out = t;
			found = true;
		}
	}
	return found;
}

/*
 * The first instant whose local time is later than L. Offsets are bounded, so it lies
 * between lo (local time before L) and hi (local time after L): bisect on that edge.
 */
static int64_t end_of_gap(const struct hostiam_tz *z, int64_t L)
{
	int64_t lo = L - TZ_OFF_MAX - 1, hi = L - TZ_OFF_MIN + 1;

	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (mid + type_at(z, mid)->utoff > L)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* See tz.h. */
int hostiam_tz_mktime(const struct hostiam_tz *z, const struct tm *local, time_t *out,
		      bool *skipped)
{
	int64_t L, t = 0;
	bool gap;

	if (local == NULL || out == NULL || local_seconds(local, &L) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (z == NULL)
		z = &utc_zone;
	gap = !exact_instant(z, L, &t);
	if (gap)
		t = end_of_gap(z, L);
	if ((int64_t)(time_t)t != t)
		return HOSTIAM_ERR_INVALID_ARG;
	*out = (time_t)t;
	if (skipped)
		*skipped = gap;
	return 0;
}
