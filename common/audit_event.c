/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An audit event as one JSON line. Every value is escaped so that no byte a user chose (a
 * name, an rhost, a tty, a reviewer's note) can end the line, forge a field, break the
 * JSON or reach a terminal raw: see hostiam_json_quote in audit.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"

/* Names and MESSAGE_IDs, generated once; documented in hostiam(8), never to change. */
static const struct {
	const char *name;
	const char *message_id;
} kinds[HOSTIAM_AUDIT_KINDS] = {
	[HOSTIAM_AUDIT_DECISION] = { "decision", "be64af13cc9442bbae325b1c87b38b92" },
	[HOSTIAM_AUDIT_MFA] = { "mfa", "fec9485453224cc2b047beef36e64eb1" },
	[HOSTIAM_AUDIT_PASSWORD] = { "password", "31bf4e400042448e9b0b2c6c0f752130" },
	[HOSTIAM_AUDIT_TERMS] = { "terms", "b2f1b865585840b5a3b9800f4b6a1e0f" },
	[HOSTIAM_AUDIT_GRANT] = { "grant", "0a0a8f23369243ceb7fd2702a08bf22c" },
	[HOSTIAM_AUDIT_CERTIFY] = { "certify", "8a6cf0a239e744c3b43cb87153bc5e2f" },
};

/* See audit.h. */
const char *hostiam_audit_kind_name(enum hostiam_audit_kind kind)
{
	return (unsigned)kind < HOSTIAM_AUDIT_KINDS ? kinds[kind].name : NULL;
}

/* See audit.h. */
int hostiam_audit_kind_lookup(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < HOSTIAM_AUDIT_KINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

/* See audit.h. */
const char *hostiam_audit_message_id(enum hostiam_audit_kind kind)
{
	return (unsigned)kind < HOSTIAM_AUDIT_KINDS ? kinds[kind].message_id : NULL;
}

/* A bounded output: writes what fits, counts what the whole would need. */
struct out {
	char *buf;
	size_t len, need;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->need < o->len) {
		size_t room = o->len - 1 - o->need;

		memcpy(o->buf + o->need, s, n < room ? n : room);
	}
	o->need += n;
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_u(struct out *o, unsigned long cp)
{
	char esc[8];

	snprintf(esc, sizeof(esc), "\\u%04lx", cp);
	put(o, esc, 6);
}

/*
 * The length of the valid UTF-8 sequence at p (at most n bytes) and its code point; 0 when
 * p[0] starts none: stray continuation bytes, overlong forms, surrogates, > U+10FFFF.
 */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned long *cp)
{
	size_t want, i;
	unsigned long c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		want = 2, c = p[0] & 0x1f, min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		want = 3, c = p[0] & 0x0f, min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		want = 4, c = p[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < want)
		return 0;
	for (i = 1; i < want; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return want;
}

/* A code point that must be written as \uXXXX: controls, C1, line separators. */
static bool must_escape(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029;
}

/* See audit.h. */
size_t hostiam_json_quote(char *buf, size_t len, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strnlen((const char *)p, max), i = 0;
	struct out o = { buf, len, 0 };

	put(&o, "\"", 1);
	while (i < n) {
		unsigned long cp;
		size_t k = utf8_seq(p + i, n - i, &cp);

		if (k == 0) {
			put_u(&o, p[i]); /* not UTF-8: the byte's own number */
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			put(&o, "\\", 1);
			put(&o, (const char *)p + i, 1);
		} else if (must_escape(cp)) {
			put_u(&o, cp);
		} else {
			put(&o, (const char *)p + i, k);
		}
		i += k;
	}
	put(&o, "\"", 1);
	if (len > 0)
		buf[o.need < len ? o.need : len - 1] = '\0';
	return o.need;
}

/* ,"key":"value" or ,"key":null */
static void field(struct out *o, const char *key, const char *v, size_t max)
{
	char tmp[6 * HOSTIAM_AUDIT_VALUE_MAX * 2 + 3];
	size_t n;

	put_str(o, ",\"");
	put_str(o, key);
	put_str(o, "\":");
	if (v == NULL) {
		put_str(o, "null");
		return;
	}
	n = hostiam_json_quote(tmp, sizeof(tmp), v, max);
	put(o, tmp, n < sizeof(tmp) ? n : sizeof(tmp) - 1);
}

/* ,"key":N, or null for 0 */
static void number(struct out *o, const char *key, unsigned long v)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), ",\"%s\":", key);
	put_str(o, tmp);
	if (v == 0) {
		put_str(o, "null");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%lu", v);
	put_str(o, tmp);
}

/* ,"factors":["a","b"] from "a,b"; [] for none; empty items are skipped. */
static void factors(struct out *o, const char *list)
{
	const char *p = list ? list : "";
	char q[6 * 64 + 3];
	bool first = true;

	put_str(o, ",\"factors\":[");
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n > 0) {
			size_t m = hostiam_json_quote(q, sizeof(q), p, n < 64 ? n : 64);

			if (!first)
				put_str(o, ",");
			put(o, q, m < sizeof(q) ? m : sizeof(q) - 1);
			first = false;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	put_str(o, "]");
}

/* See audit.h. */
size_t hostiam_audit_format(const struct hostiam_audit_event *ev, const char *host, char *buf,
			    size_t len)
{
	const size_t V = HOSTIAM_AUDIT_VALUE_MAX;
	struct out o = { buf, len, 0 };
	char stamp[32];
	time_t t = ev->time ? ev->time : time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || (unsigned)ev->kind >= HOSTIAM_AUDIT_KINDS)
		return 0;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	put_str(&o, "{\"time\":\"");
	put_str(&o, stamp);
	put_str(&o, "\",\"event\":\"");
	put_str(&o, kinds[ev->kind].name);
	put_str(&o, "\"");
	field(&o, "host", host, V);
	field(&o, "service", ev->service, V);
	field(&o, "user", ev->user, V);
	field(&o, "rhost", ev->rhost, V);
	field(&o, "tty", ev->tty, V);
	field(&o, "rule", ev->rule, V);
	field(&o, "decision", ev->decision, V);
	if (ev->mode != NULL)
		field(&o, "mode", ev->mode, V);
	field(&o, "reason", ev->reason, V);
	factors(&o, ev->factors);
	field(&o, "result", ev->result, V);
	number(&o, "grant", ev->grant);
	if (ev->kind == HOSTIAM_AUDIT_TERMS) {
		field(&o, "terms", ev->terms, V);
		field(&o, "version", ev->version, V);
	}
	if (ev->kind == HOSTIAM_AUDIT_CERTIFY) {
		number(&o, "campaign", ev->campaign);
		field(&o, "reviewer", ev->reviewer, V);
		field(&o, "note", ev->note, 2 * V);
	}
	put_str(&o, "}\n");
	if (o.need >= len)
		return 0;
	buf[o.need] = '\0';
	return o.need;
}
