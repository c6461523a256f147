/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The text of a campaign file, key=value lines:
 *   campaign=ID  reviewer=NAME  started=T  services=S,S  [closed=T]
 *   user=NAME keep|revoke|undecided WHEN NOTE
 * NOTE is the rest of the line with '\', control and non-ASCII bytes written as \xHH, so a
 * note can hold anything and still never end its line or start another.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certify.h"
#include "errors.h"
#include "names.h"
#include "parse_num.h"

/* See certify.h. */
const char *hostiam_certify_choice_name(enum hostiam_certify_choice c)
{
	return c == HOSTIAM_CERTIFY_KEEP    ? "keep" :
		c == HOSTIAM_CERTIFY_REVOKE ? "revoke" :
					      "undecided";
}

/* Append note escaped to f. */
static void put_note(FILE *f, const char *note)
{
	for (const unsigned char *p = (const unsigned char *)note; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

/* See certify.h: a new malloc'd text in *out and its length; 0 when out of memory. */
size_t hostiam_certify_format(const struct hostiam_campaign *c, char **out)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);

	if (f == NULL)
		return 0;
	fprintf(f, "campaign=%lu\nreviewer=%s\nstarted=%lld\nservices=%s\n", c->id, c->reviewer,
		(long long)c->started, c->services);
	if (c->closed)
		fprintf(f, "closed=%lld\n", (long long)c->closed);
	for (size_t i = 0; i < c->n; i++) {
		const struct hostiam_certify_entry *e = &c->entries[i];

		fprintf(f, "user=%s %s %lld ", e->user, hostiam_certify_choice_name(e->choice),
			(long long)e->decided);
		put_note(f, e->note);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return 0;
	}
	return len;
}

/* Undo put_note into dst (size); false on a bad escape or a note too long. */
static bool get_note(const char *v, size_t len, char *dst, size_t size)
{
	size_t o = 0;
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		char ch = v[i];

		if (ch == '\\') {
			const char *hi, *lo;

			if (i + 3 >= len || v[i + 1] != 'x' || v[i + 2] == '\0' ||
			    v[i + 3] == '\0' || (hi = strchr(hex, v[i + 2])) == NULL ||
			    (lo = strchr(hex, v[i + 3])) == NULL)
				return false;
			ch = (char)((hi - hex) * 16 + (lo - hex));
			i += 3;
		}
		if (o + 1 >= size)
			return false;
		dst[o++] = ch;
	}
	dst[o] = '\0';
	return true;
}

/* "user=" value: NAME CHOICE WHEN NOTE. */
static bool parse_entry(struct hostiam_certify_entry *e, const char *v, size_t len)
{
	const char *end = v + len, *sp[3], *p = v;
	unsigned long when;
	size_t n;

	for (int i = 0; i < 3; i++) {
		if ((sp[i] = memchr(p, ' ', (size_t)(end - p))) == NULL)
			return false;
		p = sp[i] + 1;
	}
	n = (size_t)(sp[0] - v);
	if (n == 0 || n >= sizeof(e->user))
		return false;
	memcpy(e->user, v, n);
	e->user[n] = '\0';
	n = (size_t)(sp[1] - sp[0] - 1);
	if (n == 4 && memcmp(sp[0] + 1, "keep", 4) == 0)
		e->choice = HOSTIAM_CERTIFY_KEEP;
	else if (n == 6 && memcmp(sp[0] + 1, "revoke", 6) == 0)
		e->choice = HOSTIAM_CERTIFY_REVOKE;
	else if (n != 9 || memcmp(sp[0] + 1, "undecided", 9) != 0)
		return false;
	if (hostiam_parse_ulong_n(sp[1] + 1, (size_t)(sp[2] - sp[1] - 1), 0, LONG_MAX, &when) < 0)
		return false;
	e->decided = (time_t)when;
	return hostiam_valid_user_name(e->user) &&
		get_note(p, (size_t)(end - p), e->note, sizeof(e->note));
}

/* Copy the string value [v, v + len) into dst (size); false if empty or too long. */
static bool copy_value(char *dst, size_t size, const char *v, size_t len)
{
	if (len == 0 || len >= size)
		return false;
	memcpy(dst, v, len);
	dst[len] = '\0';
	return true;
}

/* One line into c; false if malformed. */
static bool parse_line(struct hostiam_campaign *c, const char *line, size_t len)
{
	const char *eq = memchr(line, '=', len), *v;
	unsigned long n;
	size_t k, vl;

	if (eq == NULL)
		return false;
	k = (size_t)(eq - line);
	v = eq + 1;
	vl = len - k - 1;
#define KEY(s) (k == sizeof(s) - 1 && memcmp(line, s, k) == 0)
	if (KEY("user")) {
		struct hostiam_certify_entry *e;

		if (c->n >= HOSTIAM_CERTIFY_USERS_MAX)
			return false;
		e = realloc(c->entries, (c->n + 1) * sizeof(*e));
		if (e == NULL)
			return false;
		c->entries = e;
		memset(&e[c->n], 0, sizeof(*e));
		return parse_entry(&e[c->n++], v, vl);
	}
	if (KEY("reviewer"))
		return copy_value(c->reviewer, sizeof(c->reviewer), v, vl);
	if (KEY("services"))
		return copy_value(c->services, sizeof(c->services), v, vl);
	if (hostiam_parse_ulong_n(v, vl, 0, LONG_MAX, &n) < 0)
		return false;
	if (KEY("campaign"))
		c->id = n;
	else if (KEY("started"))
		c->started = (time_t)n;
	else if (KEY("closed"))
		c->closed = (time_t)n;
#undef KEY
	return true;
}

/* See certify.h: 0, or HOSTIAM_ERR_INVALID_ARG for a damaged file (*c then empty). */
int hostiam_certify_parse(const char *text, size_t len, struct hostiam_campaign *c)
{
	const char *p = text, *end = text + len;

	memset(c, 0, sizeof(*c));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;

		if (stop > p && !parse_line(c, p, (size_t)(stop - p)))
			goto bad;
		p = stop + 1;
	}
	if (c->id == 0 || c->reviewer[0] == '\0' || memchr(text, '\0', len))
		goto bad;
	return 0;
bad:
	hostiam_certify_free(c);
	return HOSTIAM_ERR_INVALID_ARG;
}

/* See certify.h. */
void hostiam_certify_free(struct hostiam_campaign *c)
{
	free(c->entries);
	memset(c, 0, sizeof(*c));
}

/* See certify.h. */
struct hostiam_certify_entry *hostiam_certify_find(struct hostiam_campaign *c, const char *user)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->entries[i].user, user) == 0)
			return &c->entries[i];
	return NULL;
}
