/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the time-zone reader: the loaded zone (tz.c reads the file, tz_rule.c the footer's
 * POSIX TZ rule, tz_convert.c converts). Not for use outside tz*.c.
 */
#ifndef HOSTIAM_TZ_INTERNAL_H
#define HOSTIAM_TZ_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tz.h"

/* Offsets RFC 8536 allows (-25 h exclusive .. +26 h exclusive); anything else is refused,
 * which also bounds every search for a local time. */
#define TZ_OFF_MIN (-89999)
#define TZ_OFF_MAX 93599
#define TZ_ABBR_MAX 15 /* longest designation kept from a TZ rule */

/* One local time type: offset east of UTC in seconds, DST flag, designation ("CEST"). */
struct tz_type {
	int32_t utoff;
	bool isdst;
	const char *abbr; /* into the zone's abbrs, or its rule's names */
};

/* A date of a TZ rule: Jn (1..365, no Feb 29), n (0..365), or Mm.w.d; and the time of day. */
struct tz_rule_date {
	char kind;    /* 'J', 'D' (zero-based day) or 'M' */
	int day;      /* J, D: the day; M: the weekday 0 (Sunday)..6 */
	int month;    /* M: 1..12 */
	int week;     /* M: 1..5 (5: the last) */
	int32_t secs; /* local time of the change, -167 h .. +167 h */
};

/* The footer's rule for the times after the last transition. */
struct tz_rule {
	bool present; /* a non-empty footer */
	bool has_dst;
	char std_name[TZ_ABBR_MAX + 1];
	char dst_name[TZ_ABBR_MAX + 1];
	struct tz_type std, dst;
	struct tz_rule_date start, end; /* into DST (in standard time), out of it (in DST) */
};

struct hostiam_tz {
	char *name;
	size_t n_trans;
	int64_t *trans;      /* strictly increasing */
	uint8_t *trans_type; /* index into types, for each transition */
	size_t n_types;      /* at least 1 */
	struct tz_type *types;
	char *abbrs; /* the designations, each NUL-terminated */
	struct tz_rule rule;
};

/* tz_rule.c: parse a TZ string ("CET-1CEST,M3.5.0,M10.5.0/3"); 0 or HOSTIAM_ERR_INVALID_ARG. */
int tz_rule_parse(const char *s, size_t len, struct tz_rule *out);

/* tz_rule.c: the type the rule gives at t. */
const struct tz_type *tz_rule_type_at(const struct tz_rule *r, int64_t t);

/* tz_convert.c: a / b rounded towards minus infinity (b > 0). */
int64_t tz_floor_div(int64_t a, int64_t b);

/* tz_convert.c: days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t tz_days_from_civil(int64_t y, int m, int d);

/* tz_convert.c: whether y is a Gregorian leap year. */
bool tz_is_leap(int64_t y);

/* tz_convert.c: the year in which day (since 1970-01-01) falls. */
int64_t tz_year_of_day(int64_t day);

#endif
