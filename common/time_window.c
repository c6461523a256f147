/* SPDX-License-Identifier: BSD-2-Clause */
/* "Mon-Fri 08:00-18:00" and friends. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "parse_num.h"
#include "time_window.h"

static const char *const day_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

/* Index 0..6 (Monday first) of the three-letter day name at s, or -1. */
static int day_index(const char *s, size_t len)
{
	int i;

	if (len != 3)
		return -1;
	for (i = 0; i < 7; i++)
		if (strncasecmp(s, day_names[i], 3) == 0)
			return i;
	return -1;
}

/* One comma item: "Mon" or "Fri-Mon" (wrapping through Sunday); adds its bits to *days. */
static int parse_day_item(const char *s, size_t len, uint8_t *days)
{
	const char *dash = memchr(s, '-', len);
	int from, to;

	if (dash == NULL) {
		from = to = day_index(s, len);
	} else {
		from = day_index(s, (size_t)(dash - s));
		to = day_index(dash + 1, len - (size_t)(dash - s) - 1);
	}
	if (from < 0 || to < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	for (;;) {
		*days |= (uint8_t)(1u << from);
		if (from == to)
			break;
		from = (from + 1) % 7;
	}
	return 0;
}

/* DAYS: "*" or comma-separated items; len bytes at s. */
static int parse_days(const char *s, size_t len, uint8_t *days)
{
	const char *end = s + len;

	*days = 0;
	if (len == 1 && s[0] == '*') {
		*days = 0x7f;
		return 0;
	}
	while (s <= end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *stop = comma ? comma : end;

		if (parse_day_item(s, (size_t)(stop - s), days) < 0)
			return HOSTIAM_ERR_INVALID_ARG;
		s = stop + 1;
	}
	return 0;
}

/* "HH:MM" at s (5 bytes) in minutes; 24:00 only when allow_24. */
static int parse_hhmm(const char *s, bool allow_24, int *minutes)
{
	unsigned long h, m;

	if (s[2] != ':' || hostiam_parse_ulong_n(s, 2, 0, 24, &h) < 0 ||
	    hostiam_parse_ulong_n(s + 3, 2, 0, 59, &m) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (h == 24 && (!allow_24 || m != 0))
		return HOSTIAM_ERR_INVALID_ARG;
	*minutes = (int)(h * 60 + m);
	return 0;
}

/* Parse the hours "HH:MM-HH:MM" (exactly 11 bytes) into w; all is the whole window text. */
static int parse_hours(const char *all, const char *s, struct hostiam_time_window *w, char *why,
		       size_t why_len)
{
	if (strlen(s) != 11 || s[5] != '-' || parse_hhmm(s, false, &w->start_min) < 0 ||
	    parse_hhmm(s + 6, true, &w->end_min) < 0) {
		snprintf(why, why_len,
			 "\"%s\": hours must be HH:MM-HH:MM, 00:00 to 24:00 (24:00 only "
			 "as the end)",
			 all);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	if (w->start_min == w->end_min) {
		snprintf(why, why_len, "\"%s\": start and end are the same time", all);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	return 0;
}

/* Split at the single blank, parse days then hours. */
int hostiam_time_window_parse_msg(const char *s, struct hostiam_time_window *out, char *why,
				  size_t why_len)
{
	struct hostiam_time_window w;
	const char *sp;

	sp = s ? strchr(s, ' ') : NULL;
	if (sp == NULL || sp == s) {
		snprintf(why, why_len, "\"%s\" is not \"DAYS HH:MM-HH:MM\"", s ? s : "");
		return HOSTIAM_ERR_INVALID_ARG;
	}
	if (parse_days(s, (size_t)(sp - s), &w.days) < 0) {
		snprintf(why, why_len,
			 "\"%s\": \"%.*s\" is not a day list (Mon, Mon-Fri, Sat,Sun, *)", s,
			 (int)(sp - s), s);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	if (parse_hours(s, sp + 1, &w, why, why_len) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	*out = w;
	return 0;
}

/* hostiam_time_window_parse_msg without the reason. */
int hostiam_time_window_parse(const char *s, struct hostiam_time_window *out)
{
	char why[160];

	return hostiam_time_window_parse_msg(s, out, why, sizeof(why));
}

/* A window belongs to its start day; after midnight it is checked against the day before. */
bool hostiam_time_window_contains(const struct hostiam_time_window *w, const struct tm *tm)
{
	int day = (tm->tm_wday + 6) % 7, yesterday = (day + 6) % 7;
	int min = tm->tm_hour * 60 + tm->tm_min;

	if (w->start_min < w->end_min)
		return (w->days & (1u << day)) && min >= w->start_min && min < w->end_min;
	if ((w->days & (1u << day)) && min >= w->start_min)
		return true;
	return (w->days & (1u << yesterday)) && min < w->end_min;
}
