/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The POSIX TZ rule of a TZif footer (RFC 8536 section 3.3), which gives local time after
 * the file's last transition: "CET-1CEST,M3.5.0,M10.5.0/3". Parsed with a bounded cursor
 * and ASCII-only character classes (the PAM module runs under the caller's locale).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "errors.h"
#include "tz_internal.h"

/* What is left of the string. */
struct scan {
	const char *p, *end;
};

static bool at(const struct scan *s, char c)
{
	return s->p < s->end && *s->p == c;
}

/* Step over c when it is next. */
static bool skip(struct scan *s, char c)
{
	if (!at(s, c))
		return false;
	s->p++;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A designation: three or more letters, or <...> of letters, digits, '+' and '-'. */
static int parse_name(struct scan *s, char *out)
{
	bool quoted = skip(s, '<');
	size_t n = 0;

	while (s->p < s->end &&
	       (is_alpha(*s->p) || (quoted && (is_digit(*s->p) || *s->p == '+' || *s->p == '-')))) {
		if (n >= TZ_ABBR_MAX)
			return HOSTIAM_ERR_INVALID_ARG;
		out[n++] = *s->p++;
	}
	if (quoted && !skip(s, '>'))
		return HOSTIAM_ERR_INVALID_ARG;
	out[n] = '\0';
	return n >= 3 ? 0 : HOSTIAM_ERR_INVALID_ARG;
}

/* One to max_digits decimal digits, at most max. */
static int parse_num(struct scan *s, int max_digits, long max, long *out)
{
	long v = 0;
	int n = 0;

	while (s->p < s->end && is_digit(*s->p) && n < max_digits) {
		v = v * 10 + (*s->p++ - '0');
		n++;
	}
	if (n == 0 || v > max || (s->p < s->end && is_digit(*s->p)))
		return HOSTIAM_ERR_INVALID_ARG;
	*out = v;
	return 0;
}

/* [+-]h[:mm[:ss]] with hours up to max_hours, in seconds. */
static int parse_hms(struct scan *s, long max_hours, int32_t *out)
{
	long sign = 1, h, m = 0, sec = 0;

	if (at(s, '+') || at(s, '-'))
		sign = *s->p++ == '-' ? -1 : 1;
	if (parse_num(s, 3, max_hours, &h) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (skip(s, ':') &&
	    (parse_num(s, 2, 59, &m) < 0 || (skip(s, ':') && parse_num(s, 2, 59, &sec) < 0)))
		return HOSTIAM_ERR_INVALID_ARG;
	*out = (int32_t)(sign * (h * 3600 + m * 60 + sec));
	return 0;
}

/* Jn, n or Mm.w.d, then an optional /time (default 02:00; RFC 8536 allows -167..167 h). */
static int parse_date(struct scan *s, struct tz_rule_date *d)
{
	long a, b, c;

	d->secs = 7200;
	if (at(s, 'J')) {
		s->p++;
		d->kind = 'J';
		if (parse_num(s, 3, 365, &a) < 0 || a < 1)
			return HOSTIAM_ERR_INVALID_ARG;
		d->day = (int)a;
	} else if (at(s, 'M')) {
		s->p++;
		d->kind = 'M';
		if (parse_num(s, 2, 12, &a) < 0 || a < 1 || !skip(s, '.') ||
		    parse_num(s, 1, 5, &b) < 0 || b < 1 || !skip(s, '.') ||
		    parse_num(s, 1, 6, &c) < 0)
			return HOSTIAM_ERR_INVALID_ARG;
		d->month = (int)a;
		d->week = (int)b;
		d->day = (int)c;
	} else {
		d->kind = 'D';
		if (parse_num(s, 3, 365, &a) < 0)
			return HOSTIAM_ERR_INVALID_ARG;
		d->day = (int)a;
	}
	return skip(s, '/') ? parse_hms(s, 167, &d->secs) : 0;
}

/* ",start[/time],end[/time]" */
static int parse_dates(struct scan *s, struct tz_rule *r)
{
	if (!skip(s, ',') || parse_date(s, &r->start) < 0 || !skip(s, ','))
		return HOSTIAM_ERR_INVALID_ARG;
	return parse_date(s, &r->end);
}

/*
 * See tz_internal.h. A DST name without the dates is refused: POSIX leaves those dates to
 * the implementation, and zic always writes them, so a file without them is not zic's.
 */
int tz_rule_parse(const char *str, size_t len, struct tz_rule *out)
{
	struct scan s = { str, str + len };
	int32_t off;

	memset(out, 0, sizeof(*out));
	/* POSIX offsets count west of UTC; the types count east. */
	if (parse_name(&s, out->std_name) < 0 || parse_hms(&s, 24, &off) < 0)
		goto bad;
	out->std = (struct tz_type){ -off, false, out->std_name };
	if (s.p < s.end) {
		if (parse_name(&s, out->dst_name) < 0)
			goto bad;
		out->has_dst = true;
		out->dst = (struct tz_type){ out->std.utoff + 3600, true, out->dst_name };
		if (s.p < s.end && !at(&s, ',')) {
			if (parse_hms(&s, 24, &off) < 0)
				goto bad;
			out->dst.utoff = -off;
		}
		if (parse_dates(&s, out) < 0)
			goto bad;
	}
	if (s.p != s.end || out->std.utoff < TZ_OFF_MIN || out->std.utoff > TZ_OFF_MAX ||
	    out->dst.utoff < TZ_OFF_MIN || out->dst.utoff > TZ_OFF_MAX)
		goto bad;
	out->present = true;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return HOSTIAM_ERR_INVALID_ARG;
}

/* a modulo 7 in 0..6, whatever the sign of a (weekday arithmetic). */
static int64_t mod7(int64_t a)
{
	return ((a % 7) + 7) % 7;
}

/* The day (since 1970-01-01) on which d falls in year y. */
static int64_t rule_day(const struct tz_rule_date *d, int64_t y)
{
	int64_t first, next, day;

	if (d->kind == 'J') /* Feb 29 is never counted: J60 is always March 1 */
		return tz_days_from_civil(y, 1, 1) + d->day - 1 + (tz_is_leap(y) && d->day >= 60);
	if (d->kind == 'D')
		return tz_days_from_civil(y, 1, 1) + d->day;
	first = tz_days_from_civil(y, d->month, 1);
	next = d->month == 12 ? tz_days_from_civil(y + 1, 1, 1) :
				tz_days_from_civil(y, d->month + 1, 1);
	/* 1970-01-01 was a Thursday (4). Week 5 means the last such weekday of the month. */
	day = first + mod7(d->day - mod7(first + 4)) + 7 * (d->week - 1);
	while (day >= next)
		day -= 7;
	return day;
}

/* The instant of a change in year y, d's time being local time at offset utoff. */
static int64_t rule_instant(const struct tz_rule_date *d, int64_t y, int32_t utoff)
{
	return rule_day(d, y) * 86400 + d->secs - utoff;
}

/*
 * See tz_internal.h. The last change at or before t, among those of the year around t and
 * the years either side (a rule time may reach a week into the next year). On a tie the
 * start of DST wins, so "all year DST" rules (end of one year = start of the next) hold.
 */
const struct tz_type *tz_rule_type_at(const struct tz_rule *r, int64_t t)
{
	int64_t y, yy, best = INT64_MIN;
	bool dst = false;

	if (!r->has_dst)
		return &r->std;
	y = tz_year_of_day(tz_floor_div(t + r->std.utoff, 86400));
	for (yy = y - 1; yy <= y + 1; yy++) {
		int64_t on = rule_instant(&r->start, yy, r->std.utoff);
		int64_t off = rule_instant(&r->end, yy, r->dst.utoff);

		if (off <= t && off > best) {
			best = off;
			dst = false;
		}
		if (on <= t && on >= best) {
			best = on;
			dst = true;
		}
	}
	return dst ? &r->dst : &r->std;
}
