/* SPDX-License-Identifier: BSD-2-Clause */
/* A tiny JSON writer: string escaping and comma placement, nothing else. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "json_out.h"

/* Length of the well-formed UTF-8 sequence at s (1..4), or 0 when it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are not well-formed). */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	/* A NUL terminator is not a continuation byte, so this never reads past the end. */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Write s as a quoted JSON string, or null. */
void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *p; p += n) {
		n = utf8_len(p);
		if (n == 0) {
			fputs("\\ufffd", f);
			n = 1;
		} else if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p == '\t') {
			fputs("\\t", f);
		} else if (*p == '\r') {
			fputs("\\r", f);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fwrite(p, 1, n, f);
		}
	}
	fputc('"', f);
}

/* Start writing to f. */
void json_init(struct json_out *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* Before any value: the comma that separates it from the previous one. */
static void before_value(struct json_out *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
}

/* Open a container; nesting deeper than JSON_MAX_DEPTH is a bug in the caller. */
static void open_container(struct json_out *j, char c)
{
	before_value(j);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

/* Close a container; a newline after the outermost one ends the document. */
static void close_container(struct json_out *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		fputc('\n', j->f);
}

/* { */
void json_object_begin(struct json_out *j)
{
	open_container(j, '{');
}

/* } */
void json_object_end(struct json_out *j)
{
	close_container(j, '}');
}

/* [ */
void json_array_begin(struct json_out *j)
{
	open_container(j, '[');
}

/* ] */
void json_array_end(struct json_out *j)
{
	close_container(j, ']');
}

/* "key": */
void json_key(struct json_out *j, const char *key)
{
	before_value(j);
	json_escape(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

/* A string value, or null. */
void json_str(struct json_out *j, const char *s)
{
	before_value(j);
	json_escape(j->f, s);
}

/* An integer value. */
void json_int(struct json_out *j, long long v)
{
	before_value(j);
	fprintf(j->f, "%lld", v);
}

/* true or false. */
void json_bool(struct json_out *j, bool v)
{
	before_value(j);
	fputs(v ? "true" : "false", j->f);
}

/* null. */
void json_null(struct json_out *j)
{
	before_value(j);
	fputs("null", j->f);
}

/* "key":"s" (or null). */
void json_kv_str(struct json_out *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

/* "key":v */
void json_kv_int(struct json_out *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

/* "key":true|false */
void json_kv_bool(struct json_out *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

/* "key":v, or "key":null when absent. */
void json_kv_opt_int(struct json_out *j, const char *key, long long v, bool present)
{
	json_key(j, key);
	if (present)
		json_int(j, v);
	else
		json_null(j);
}

/* "key":true|false, or "key":null when not known. */
void json_kv_opt_bool(struct json_out *j, const char *key, bool v, bool present)
{
	json_key(j, key);
	if (present)
		json_bool(j, v);
	else
		json_null(j);
}
