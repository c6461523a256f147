/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The certification line of a per-user state record (state_record.c):
 *   certify=CAMPAIGN WHEN keep|revoke REVIEWER
 * the user's decision in the last closed access-review campaign (certify.h). The reviewer
 * is written as a token (state_terms_token: no spaces or control bytes), so the line
 * always reads back as the four fields it was written with.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "parse_num.h"
#include "state_internal.h"

/* The i-th space-separated field of [v, v + len): start and length; false if missing. */
static bool field_at(const char *v, size_t len, int i, const char **f, size_t *n)
{
	const char *p = v, *end = v + len, *sp;

	for (;;) {
		sp = memchr(p, ' ', (size_t)(end - p));
		if (i-- == 0)
			break;
		if (sp == NULL)
			return false;
		p = sp + 1;
	}
	*f = p;
	*n = (size_t)((sp ? sp : end) - p);
	return *n > 0;
}

/* One "certify=" value into st->cert; false (and st->cert left empty) if malformed. */
bool state_certify_parse(struct hostiam_user_state *st, const char *v, size_t len)
{
	struct hostiam_certification c;
	unsigned long id, when;
	const char *f;
	size_t n;

	memset(&c, 0, sizeof(c));
	if (!field_at(v, len, 0, &f, &n) || hostiam_parse_ulong_n(f, n, 1, ULONG_MAX, &id) < 0)
		return false;
	if (!field_at(v, len, 1, &f, &n) || hostiam_parse_ulong_n(f, n, 0, LONG_MAX, &when) < 0)
		return false;
	if (!field_at(v, len, 2, &f, &n))
		return false;
	if (n == 6 && memcmp(f, "revoke", 6) == 0)
		c.revoked = true;
	else if (n != 4 || memcmp(f, "keep", 4) != 0)
		return false;
	/* The reviewer is the last field: it runs to the end and holds no space. */
	if (!field_at(v, len, 3, &f, &n) || f + n != v + len || n >= sizeof(c.reviewer))
		return false;
	memcpy(c.reviewer, f, n);
	c.campaign = id;
	c.when = (time_t)when;
	st->cert = c;
	return true;
}

/* Append st's certify line (none when never certified) to buf; new length, 0 if no room. */
size_t state_certify_format(const struct hostiam_user_state *st, char *buf, size_t len, size_t used)
{
	const struct hostiam_certification *c = &st->cert;
	char reviewer[sizeof(c->reviewer)];
	int n;

	if (c->campaign == 0)
		return used;
	state_terms_token(reviewer, sizeof(reviewer), c->reviewer);
	n = snprintf(buf + used, len - used, "certify=%lu %lld %s %s\n", c->campaign,
		     c->when < 0 ? 0LL : (long long)c->when, c->revoked ? "revoke" : "keep",
		     reviewer);
	if (n < 0 || (size_t)n >= len - used)
		return 0;
	return used + (size_t)n;
}
