/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One line of audit.jsonl back into its members, through the shared JSON reader. Anything
 * that is not exactly one object of the shapes we write is refused (the caller skips and
 * counts it), never guessed at.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit_cli.h"
#include "json_read.h"
#include "parse_num.h"

/* Longest value read back: a note of HOSTIAM_AUDIT_VALUE_MAX * 2 bytes, each one decoded
   from \u00XX into two bytes of UTF-8, fits. */
#define VALUE_MAX 8192

/* The digits at c (a JSON number as we write them: unsigned, no fraction) into buf. */
static bool number(struct json_cur *c, char *buf, size_t size)
{
	size_t n = strspn(c->p, "0123456789");

	if (n == 0 || n >= size || (n > 1 && c->p[0] == '0'))
		return false;
	memcpy(buf, c->p, n);
	buf[n] = '\0';
	c->p += n;
	return true;
}

/* A literal word (null, true, false) at c. */
static bool word(struct json_cur *c, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(c->p, w, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* An array of strings at c, comma-joined into buf; empty items are refused. */
static bool list(struct json_cur *c, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	if (json_eat(c, ']'))
		return true;
	do {
		if (used > 0) {
			if (used + 2 > size)
				return false;
			buf[used++] = ',';
		}
		if (!json_string(c, buf + used, size - used) || buf[used] == '\0')
			return false;
		used += strlen(buf + used);
	} while (json_eat(c, ','));
	return json_eat(c, ']');
}

/* One value at c into f (text in buf, copied on success). */
static bool value(struct json_cur *c, struct audit_field *f, char *buf)
{
	bool ok;

	json_ws(c);
	if (*c->p == '"') {
		f->type = AUDIT_STRING, ok = json_string(c, buf, VALUE_MAX);
	} else if (*c->p == '[') {
		c->p++;
		f->type = AUDIT_LIST, ok = list(c, buf, VALUE_MAX);
	} else if (word(c, "null")) {
		f->type = AUDIT_NULL;
		return true;
	} else if (word(c, "true") || word(c, "false")) {
		/* The word just read: "true" ends in "ue", "false" in "se". */
		f->type = AUDIT_BOOL, ok = true;
		strcpy(buf, c->p[-2] == 'u' ? "true" : "false");
	} else {
		f->type = AUDIT_NUMBER, ok = number(c, buf, 32);
	}
	return ok && (f->text = strdup(buf)) != NULL;
}

/* "YYYY-MM-DDTHH:MM:SSZ" as seconds since 1970; -1 when it is not that. */
static time_t parse_time(const char *s)
{
	static const struct {
		size_t at, len;
		unsigned long min, max;
	} part[6] = { { 0, 4, 1970, 9999 }, { 5, 2, 1, 12 },  { 8, 2, 1, 31 },
		      { 11, 2, 0, 23 },     { 14, 2, 0, 59 }, { 17, 2, 0, 60 } };
	unsigned long v[6];
	struct tm tm;

	if (s == NULL || strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	for (int i = 0; i < 6; i++)
		if (hostiam_parse_ulong_n(s + part[i].at, part[i].len, part[i].min, part[i].max,
					  &v[i]) < 0)
			return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)v[0] - 1900;
	tm.tm_mon = (int)v[1] - 1;
	tm.tm_mday = (int)v[2];
	tm.tm_hour = (int)v[3];
	tm.tm_min = (int)v[4];
	tm.tm_sec = (int)v[5];
	return timegm(&tm);
}

/* The members of the object at c into ev; false when malformed. */
static bool members(struct json_cur *c, struct audit_event *ev, char *buf)
{
	if (json_eat(c, '}'))
		return true;
	do {
		struct audit_field *f = &ev->f[ev->n];

		if (ev->n == AUDIT_MAX_FIELDS || !json_string(c, buf, VALUE_MAX) ||
		    (f->key = strdup(buf)) == NULL)
			return false;
		ev->n++;
		if (!json_eat(c, ':') || !value(c, f, buf))
			return false;
	} while (json_eat(c, ','));
	return json_eat(c, '}');
}

/* See audit_cli.h. */
int audit_event_parse(const char *line, struct audit_event *ev)
{
	struct json_cur c = { line, NULL, 1 };
	char *buf = malloc(VALUE_MAX);
	bool ok;

	memset(ev, 0, sizeof(*ev));
	ok = buf != NULL && json_eat(&c, '{') && members(&c, ev, buf);
	free(buf);
	if (ok) {
		json_ws(&c);
		ok = *c.p == '\0' && audit_event_get(ev, "event") != NULL &&
			(ev->time = parse_time(audit_event_get(ev, "time"))) != (time_t)-1;
	}
	if (!ok) {
		audit_event_free(ev);
		return -1;
	}
	return 0;
}

/* See audit_cli.h. */
const char *audit_event_get(const struct audit_event *ev, const char *key)
{
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, key) == 0)
			return ev->f[i].text;
	return NULL;
}

/* See audit_cli.h. */
void audit_event_free(struct audit_event *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		free(ev->f[i].key);
		free(ev->f[i].text);
	}
	ev->n = 0;
}
