/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parsing the account-state attributes as the directory writes them. Strict: a value is
 * either exactly of its syntax or HOSTIAM_ATTR_BAD, which account_state.c fails closed on.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "account_state.h"
#include "errors.h"
#include "parse_num.h"

#define DAY 86400LL
/* Seconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
#define FILETIME_EPOCH_DIFF 11644473600LL
#define FILETIME_PER_SECOND 10000000LL

/* A signed decimal in [min, max]: an optional '-', then digits only. */
static int parse_signed(const char *s, int64_t min, int64_t max, int64_t *out)
{
	unsigned long long limit = (unsigned long long)(min < 0 ? -(min + 1) : 0) + 1;
	unsigned long v;
	bool neg = s[0] == '-';

	if (hostiam_parse_ulong(s + neg, 0, neg ? limit : (unsigned long long)max, &v) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (neg && v == 0)
		return HOSTIAM_ERR_INVALID_ARG; /* "-0" is no number a directory writes */
	*out = neg ? -(int64_t)(v - 1) - 1 : (int64_t)v;
	return *out >= min && *out <= max ? 0 : HOSTIAM_ERR_INVALID_ARG;
}

/* n digits at *p as a number in [min, max]; advances *p. */
static bool digits(const char **p, size_t n, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v;

	if (strlen(*p) < n || hostiam_parse_ulong_n(*p, n, min, max, &v) < 0)
		return false;
	*p += n;
	*out = (unsigned)v;
	return true;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (any year >= 0). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Days in month m of year y. */
static unsigned month_days(unsigned y, unsigned m)
{
	static const unsigned len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : len[m - 1];
}

/* The zone part: "Z", or +HH / -HH with optional MM; *offset in seconds east. */
static bool parse_zone(const char *p, int64_t *offset)
{
	unsigned hh, mm = 0;
	int sign;

	if (strcmp(p, "Z") == 0) {
		*offset = 0;
		return true;
	}
	if (*p != '+' && *p != '-')
		return false;
	sign = *p++ == '-' ? -1 : 1;
	if (!digits(&p, 2, 0, 23, &hh) || (*p && !digits(&p, 2, 0, 59, &mm)) || *p)
		return false;
	*offset = sign * (int64_t)(hh * 3600 + mm * 60);
	return true;
}

/* RFC 4517 GeneralizedTime to seconds since 1970 (fractions dropped). */
static int parse_gentime(const char *s, int64_t *out)
{
	const char *p = s;
	unsigned y, mo, d, h, mi = 0, sec = 0;
	int64_t offset;

	if (!digits(&p, 4, 0, 9999, &y) || !digits(&p, 2, 1, 12, &mo) ||
	    !digits(&p, 2, 1, 31, &d) || d > month_days(y, mo) || !digits(&p, 2, 0, 23, &h))
		return HOSTIAM_ERR_INVALID_ARG;
	if (*p >= '0' && *p <= '9' && !digits(&p, 2, 0, 59, &mi))
		return HOSTIAM_ERR_INVALID_ARG;
	if (*p >= '0' && *p <= '9' && !digits(&p, 2, 0, 60, &sec))
		return HOSTIAM_ERR_INVALID_ARG;
	if (*p == '.' || *p == ',') {
		if (!(p[1] >= '0' && p[1] <= '9'))
			return HOSTIAM_ERR_INVALID_ARG;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (!parse_zone(p, &offset))
		return HOSTIAM_ERR_INVALID_ARG;
	*out = days_from_civil(y, mo, d) * DAY + h * 3600 + mi * 60 + sec - offset;
	return 0;
}

/* accountExpires: FILETIME to seconds since 1970; 0 and the maximum mean never. */
static int parse_filetime(const char *s, int64_t *out)
{
	int64_t v;

	if (parse_signed(s, 0, INT64_MAX, &v) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (v == 0 || v == INT64_MAX)
		*out = HOSTIAM_ATTR_ABSENT;
	else
		*out = v / FILETIME_PER_SECOND - FILETIME_EPOCH_DIFF;
	return 0;
}

/* nsAccountLock: a Boolean (RFC 4517: TRUE or FALSE; 389-DS accepts any case). */
static int parse_bool(const char *s, int64_t *out)
{
	if (strcasecmp(s, "TRUE") == 0)
		*out = 1;
	else if (strcasecmp(s, "FALSE") == 0)
		*out = 0;
	else
		return HOSTIAM_ERR_INVALID_ARG;
	return 0;
}

/* Dispatch on the attribute's syntax. */
static int parse_value(enum hostiam_account_attr which, const char *s, int64_t *out)
{
	switch (which) {
	case HOSTIAM_ACCT_SHADOW_EXPIRE:
	case HOSTIAM_ACCT_SHADOW_LAST_CHANGE:
	case HOSTIAM_ACCT_SHADOW_MAX:
		return parse_signed(s, -1, INT32_MAX, out);
	case HOSTIAM_ACCT_LOCKED_TIME:
		return parse_gentime(s, out);
	case HOSTIAM_ACCT_ACCOUNT_LOCK:
		return parse_bool(s, out);
	case HOSTIAM_ACCT_AD_CONTROL:
		/* An INTEGER of 32 bits; some tools write it signed. */
		if (parse_signed(s, INT32_MIN, UINT32_MAX, out) < 0)
			return HOSTIAM_ERR_INVALID_ARG;
		*out &= 0xffffffffLL;
		return 0;
	case HOSTIAM_ACCT_AD_EXPIRES:
		return parse_filetime(s, out);
	case HOSTIAM_ACCT_N:
		break;
	}
	return HOSTIAM_ERR_INVALID_ARG;
}

int hostiam_account_parse(enum hostiam_account_attr which, const char *value, int64_t *out)
{
	int64_t v = HOSTIAM_ATTR_BAD;

	if (out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if (value == NULL || parse_value(which, value, &v) < 0) {
		*out = HOSTIAM_ATTR_BAD;
		return HOSTIAM_ERR_INVALID_ARG;
	}
	*out = v;
	return 0;
}
