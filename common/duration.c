/* SPDX-License-Identifier: BSD-2-Clause */
/* Durations for elevation (max, --for): a small grammar, every digit and unit checked. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "duration.h"
#include "errors.h"

static const struct {
	char unit;
	long secs;
} units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };

#define N_UNITS (sizeof(units) / sizeof(units[0]))

/* The index of unit c in units at or after from, or N_UNITS. */
static size_t unit_from(char c, size_t from)
{
	for (; from < N_UNITS; from++)
		if (units[from].unit == c)
			return from;
	return N_UNITS;
}

/* See duration.h. Each part is at most 7 digits, so no product or sum can overflow a long. */
int hostiam_duration_parse(const char *s, long *secs)
{
	long total = 0;
	size_t next = 0;

	if (s == NULL || *s == '\0')
		return HOSTIAM_ERR_INVALID_ARG;
	while (*s) {
		long n = 0;
		int digits = 0;
		size_t u;

		for (; *s >= '0' && *s <= '9'; s++, digits++)
			if (digits < 7)
				n = n * 10 + (*s - '0');
		if (digits == 0 || digits > 7 || (u = unit_from(*s, next)) == N_UNITS)
			return HOSTIAM_ERR_INVALID_ARG;
		total += n * units[u].secs;
		next = u + 1;
		s++;
	}
	if (total < 1 || total > HOSTIAM_DURATION_MAX)
		return HOSTIAM_ERR_INVALID_ARG;
	*secs = total;
	return 0;
}

/* See duration.h. */
void hostiam_duration_format(long secs, char *buf, size_t len)
{
	size_t used = 0, i;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (secs <= 0) {
		snprintf(buf, len, "0s");
		return;
	}
	for (i = 0; i < N_UNITS && used < len; i++) {
		if (secs / units[i].secs == 0)
			continue;
		snprintf(buf + used, len - used, "%ld%c", secs / units[i].secs, units[i].unit);
		secs %= units[i].secs;
		used = strlen(buf);
	}
}
