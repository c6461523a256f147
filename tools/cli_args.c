/* Option values and --at times for hostiam check and review. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli_args.h"
#include "parse_num.h"

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

/* "YYYY-MM-DD HH:MM", local time. */
int cli_parse_at(const char *s, time_t *out, char *why, size_t why_len)
{
	struct tm want, got;
	time_t t;

	if (split_at(s, &want) < 0) {
		snprintf(why, why_len, "\"%s\" is not a time \"YYYY-MM-DD HH:MM\"", s);
		return -1;
	}
	got = want;
	t = mktime(&got);
	/* mktime normalises Feb 30 into March and 02:30 in a spring-forward gap into 03:30;
	 * either way the fields change, and the caller meant something that does not exist. */
	if (t == (time_t)-1 || got.tm_year != want.tm_year || got.tm_mon != want.tm_mon ||
	    got.tm_mday != want.tm_mday || got.tm_hour != want.tm_hour || got.tm_min != want.tm_min) {
		snprintf(why, why_len, "\"%s\" does not exist in the host's time zone", s);
		return -1;
	}
	*out = t;
	return 0;
}

/* Local "YYYY-MM-DD HH:MM", optionally with the weekday and zone the time windows see. */
void cli_format_time(time_t t, int with_zone, char *buf, size_t len)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, with_zone ? "%Y-%m-%d %H:%M %a %Z" : "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, len, "-");
}

/* RFC 3339 in UTC. */
void cli_format_utc(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "-");
}
