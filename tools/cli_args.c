/* SPDX-License-Identifier: BSD-2-Clause */
/* Option values, and --at times on the policy's clock, for hostiam check and review. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli_args.h"
#include "configuration.h"
#include "parse_num.h"
#include "tz.h"

/* "--name VALUE" or "--name=VALUE". */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];

	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*val = arg + n + 1;
		return 1;
	}
	if (arg[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "hostiam: %s needs a value\n", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

/* The fields of "YYYY-MM-DD HH:MM", range-checked one by one. */
static int split_at(const char *s, struct tm *tm)
{
	unsigned long y, mo, d, h, mi;

	if (strlen(s) != 16 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':')
		return -1;
	if (hostiam_parse_ulong_n(s, 4, 1970, 9999, &y) < 0 ||
	    hostiam_parse_ulong_n(s + 5, 2, 1, 12, &mo) < 0 ||
	    hostiam_parse_ulong_n(s + 8, 2, 1, 31, &d) < 0 ||
	    hostiam_parse_ulong_n(s + 11, 2, 0, 23, &h) < 0 ||
	    hostiam_parse_ulong_n(s + 14, 2, 0, 59, &mi) < 0)
		return -1;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = (int)y - 1900;
	tm->tm_mon = (int)mo - 1;
	tm->tm_mday = (int)d;
	tm->tm_hour = (int)h;
	tm->tm_min = (int)mi;
	tm->tm_isdst = -1;
	return 0;
}

/* See cli_args.h. */
const struct hostiam_tz *cli_zone(const struct hostiam_config *cfg)
{
	return cfg ? cfg->access.tz : NULL;
}

/* "YYYY-MM-DD HH:MM" on the wall clock of z (NULL: UTC); never the process's TZ. */
int cli_parse_at(const struct hostiam_tz *z, const char *s, time_t *out, char *why, size_t why_len)
{
	struct tm want;
	bool skipped = false;
	time_t t;
	int r;

	if (split_at(s, &want) < 0) {
		snprintf(why, why_len, "\"%s\" is not a time \"YYYY-MM-DD HH:MM\"", s);
		return -1;
	}
	r = hostiam_tz_mktime(z, &want, &t, &skipped);
	/* split_at accepts Feb 30, which the zone refuses; and 02:30 in a spring-forward gap
	 * is skipped by the clocks: either way the caller meant a time that does not exist. */
	if (r < 0 || skipped) {
		snprintf(why, why_len, "\"%s\" does not exist in the time zone %s", s,
			 hostiam_tz_name(z));
		return -1;
	}
	*out = t;
	return 0;
}

/* "YYYY-MM-DD HH:MM" on the wall clock of z (NULL: UTC), optionally with the weekday and
 * zone the time windows see. */
void cli_format_time(const struct hostiam_tz *z, time_t t, int with_zone, char *buf, size_t len)
{
	struct tm tm;
	size_t n = 0;

	if (hostiam_tz_localtime(z, t, &tm) == 0)
		n = with_zone ? strftime(buf, len, "%Y-%m-%d %H:%M %a %Z", &tm) :
				strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	if (n == 0)
		snprintf(buf, len, "-");
}

/* RFC 3339 in UTC. */
void cli_format_utc(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "-");
}
