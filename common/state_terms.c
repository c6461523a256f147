/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The terms-of-use lines of a per-user state record (state_record.c):
 *   terms=NAME VERSION WHEN SERVICE HOST
 * one per accepted terms name, fields separated by one space. Every field is a token with
 * no spaces or control bytes (anything else is written as '?'), so a line always reads back
 * as the five fields it was written with and a value can never start a line of its own.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "parse_num.h"
#include "state_internal.h"

/* Copy the next space-delimited field of [*p, end) into buf (size); false if empty/long. */
static bool next_field(const char **p, const char *end, char *buf, size_t size)
{
	const char *sp = memchr(*p, ' ', (size_t)(end - *p));
	const char *stop = sp ? sp : end;
	size_t n = (size_t)(stop - *p);

	if (n == 0 || n >= size)
		return false;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p = sp ? sp + 1 : end;
	return true;
}

/* One "terms=" value (len bytes at v) into the next free slot of st; false if malformed. */
bool state_terms_parse(struct hostiam_user_state *st, const char *v, size_t len)
{
	struct hostiam_terms_acceptance a;
	const char *p = v, *end = v + len;
	char when[24];
	unsigned long t;

	memset(&a, 0, sizeof(a));
	if (st->n_terms >= HOSTIAM_TERMS_KEPT)
		return false;
	if (!next_field(&p, end, a.name, sizeof(a.name)) ||
	    !next_field(&p, end, a.version, sizeof(a.version)) ||
	    !next_field(&p, end, when, sizeof(when)) ||
	    !next_field(&p, end, a.service, sizeof(a.service)) ||
	    !next_field(&p, end, a.host, sizeof(a.host)) || p != end)
		return false;
	if (hostiam_parse_ulong_n(when, strlen(when), 0, LONG_MAX, &t) < 0)
		return false;
	a.when = (time_t)t;
	st->terms[st->n_terms++] = a;
	return true;
}

/* v as a token: '?' for spaces, control and non-ASCII bytes; "-" when empty. */
void state_terms_token(char *dst, size_t size, const char *v)
{
	size_t i;

	if (size == 0)
		return;
	for (i = 0; v && v[i] && i + 1 < size; i++) {
		unsigned char c = (unsigned char)v[i];

		dst[i] = (c <= 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	dst[i] = '\0';
	if (i == 0 && size > 1)
		snprintf(dst, size, "-");
}

/* Append st's terms lines to buf (len bytes, used so far); the new length, 0 if no room. */
size_t state_terms_format(const struct hostiam_user_state *st, char *buf, size_t len, size_t used)
{
	for (uint32_t i = 0; i < st->n_terms && i < HOSTIAM_TERMS_KEPT; i++) {
		const struct hostiam_terms_acceptance *a = &st->terms[i];
		char name[sizeof(a->name)], version[sizeof(a->version)];
		char service[sizeof(a->service)], host[sizeof(a->host)];
		int n;

		state_terms_token(name, sizeof(name), a->name);
		state_terms_token(version, sizeof(version), a->version);
		state_terms_token(service, sizeof(service), a->service);
		state_terms_token(host, sizeof(host), a->host);
		n = snprintf(buf + used, len - used, "terms=%s %s %lld %s %s\n", name, version,
			     a->when < 0 ? 0LL : (long long)a->when, service, host);
		if (n < 0 || (size_t)n >= len - used)
			return 0;
		used += (size_t)n;
	}
	return used;
}
