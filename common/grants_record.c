/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One line of the grant store:
 *   ID STATUS REQUESTER ROLE DURATION REQUESTED DECIDED NOT_BEFORE NOT_AFTER GID DECIDER
 *   APPROVER :REASON
 * single spaces, numbers in decimal, "-" for a name not set (no valid name is "-"), the
 * reason after ':' with every byte outside '!'..'~' and '%' written as %XX, so a reason can
 * hold no space, newline or field of its own.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "grants.h"
#include "parse_num.h"

#define N_FIELDS 13
#define TIME_MAX 253402300799UL /* 9999-12-31: bounds every time field */

static const char *const status_names[] = {
	[HOSTIAM_GRANT_PENDING] = "pending",
	[HOSTIAM_GRANT_APPROVED] = "approved",
	[HOSTIAM_GRANT_DENIED] = "denied",
	[HOSTIAM_GRANT_REVOKED] = "revoked",
};

/* reason, escaped, into sb at *used; false when it does not fit. */
static bool put_reason(const char *reason, char *buf, size_t len, size_t *used)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)reason; *p; p++) {
		if (*used + 4 >= len)
			return false;
		if (*p > ' ' && *p <= '~' && *p != '%') {
			buf[(*used)++] = (char)*p;
			continue;
		}
		buf[(*used)++] = '%';
		buf[(*used)++] = hex[*p >> 4];
		buf[(*used)++] = hex[*p & 15];
	}
	buf[*used] = '\0';
	return true;
}

/* See grants.h: the line with its newline, or 0 when it does not fit in len. */
size_t hostiam_grant_format(const struct hostiam_grant *g, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%lu %s %s %s %ld %lld %lld %lld %lld %lu %s %s :", g->id,
			 status_names[g->status], g->requester, g->role, g->duration,
			 (long long)g->requested, (long long)g->decided, (long long)g->not_before,
			 (long long)g->not_after, (unsigned long)g->gid,
			 g->decider[0] ? g->decider : "-", g->approver[0] ? g->approver : "-");
	size_t used;

	if (n < 0 || (size_t)n >= len)
		return 0;
	used = (size_t)n;
	if (!put_reason(g->reason, buf, len, &used) || used + 2 > len)
		return 0;
	buf[used++] = '\n';
	buf[used] = '\0';
	return used;
}

/* The value of one hex digit, or -1. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undo put_reason from s (after the ':') into out. */
static int get_reason(const char *s, char *out, size_t len)
{
	size_t used = 0;

	for (; *s; s++) {
		int c = (unsigned char)*s;

		if (c == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (lo < 0)
				return HOSTIAM_ERR_CACHE_CORRUPT;
			c = hi * 16 + lo;
			s += 2;
		} else if (c <= ' ' || c > '~') {
			return HOSTIAM_ERR_CACHE_CORRUPT;
		}
		if (c == 0 || used + 1 >= len)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		out[used++] = (char)c;
	}
	out[used] = '\0';
	return 0;
}

/* A name field: "-" is none; anything else must be a valid name. */
static int get_name(const char *f, char *out, bool group, bool may_be_none)
{
	if (strcmp(f, "-") == 0 && may_be_none) {
		out[0] = '\0';
		return 0;
	}
	if (!(group ? hostiam_valid_group_name(f) : hostiam_valid_user_name(f)))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	memcpy(out, f, strlen(f) + 1); /* valid names fit HOSTIAM_NAME_MAX */
	return 0;
}

/* Split copy (a writable line without its newline) into exactly N_FIELDS at spaces. */
static int split(char *copy, char **f)
{
	size_t n = 0;

	for (char *p = copy;; p++) {
		if (n == N_FIELDS)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		f[n++] = p;
		if (n == N_FIELDS)
			return strchr(p, ' ') ? HOSTIAM_ERR_CACHE_CORRUPT : 0;
		if ((p = strchr(p, ' ')) == NULL)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		*p = '\0';
	}
}

/* The numeric fields, each bounded. */
static int get_numbers(char **f, struct hostiam_grant *g)
{
	unsigned long v[7];
	static const int idx[7] = { 0, 4, 5, 6, 7, 8, 9 };
	static const unsigned long max[7] = { 1000000000UL, 366UL * 86400, TIME_MAX,    TIME_MAX,
					      TIME_MAX,     TIME_MAX,      4294967295UL };

	for (int i = 0; i < 7; i++)
		if (hostiam_parse_ulong(f[idx[i]], 0, max[i], &v[i]) < 0)
			return HOSTIAM_ERR_CACHE_CORRUPT;
	g->id = v[0];
	g->duration = (long)v[1];
	g->requested = (time_t)v[2];
	g->decided = (time_t)v[3];
	g->not_before = (time_t)v[4];
	g->not_after = (time_t)v[5];
	g->gid = (uint32_t)v[6];
	return g->id == 0 ? HOSTIAM_ERR_CACHE_CORRUPT : 0;
}

/* See grants.h: 0, or HOSTIAM_ERR_CACHE_CORRUPT for anything that is not a whole line. */
int hostiam_grant_parse(const char *line, struct hostiam_grant *g)
{
	char copy[2048], *f[N_FIELDS];
	size_t len = strlen(line);
	int s;

	if (len == 0 || len >= sizeof(copy))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	memcpy(copy, line, len + 1);
	memset(g, 0, sizeof(*g));
	if (split(copy, f) < 0 || get_numbers(f, g) < 0 || f[12][0] != ':')
		return HOSTIAM_ERR_CACHE_CORRUPT;
	for (s = 0; s < (int)(sizeof(status_names) / sizeof(status_names[0])); s++)
		if (strcmp(f[1], status_names[s]) == 0)
			break;
	if (s == (int)(sizeof(status_names) / sizeof(status_names[0])))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	g->status = (enum hostiam_grant_status)s;
	if (get_name(f[2], g->requester, false, false) < 0 ||
	    get_name(f[3], g->role, true, false) < 0 ||
	    get_name(f[10], g->decider, false, true) < 0 ||
	    get_name(f[11], g->approver, false, true) < 0 ||
	    get_reason(f[12] + 1, g->reason, sizeof(g->reason)) < 0)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return 0;
}
