/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small JSON reader for what hostiam reads back: certification decision files
 * (certify_json.c) and audit events (audit_read.c). A cursor over NUL-terminated text;
 * strings with every JSON escape, \u as UTF-8. No JSON library is among our dependencies.
 */
#include "config.h"

#include <string.h>

#include "json_read.h"

/* See json_read.h. */
void json_ws(struct json_cur *c)
{
	for (; *c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'; c->p++)
		if (*c->p == '\n')
			c->line++;
}

/* See json_read.h. */
bool json_eat(struct json_cur *c, char ch)
{
	json_ws(c);
	if (*c->p != ch)
		return false;
	c->p++;
	return true;
}

/* Append code point u as UTF-8 to dst at *o (size); false if no room. */
static bool put_utf8(char *dst, size_t size, size_t *o, unsigned long u)
{
	char b[4];
	size_t n = 0;

	if (u < 0x80)
		b[n++] = (char)u;
	else if (u < 0x800) {
		b[n++] = (char)(0xc0 | (u >> 6));
		b[n++] = (char)(0x80 | (u & 0x3f));
	} else {
		b[n++] = (char)(0xe0 | (u >> 12));
		b[n++] = (char)(0x80 | ((u >> 6) & 0x3f));
		b[n++] = (char)(0x80 | (u & 0x3f));
	}
	if (*o + n + 1 > size)
		return false;
	memcpy(dst + *o, b, n);
	*o += n;
	return true;
}

/* One escape after '\' into dst; false if bad (or \u0000, which no C string holds). */
static bool escape(struct json_cur *c, char *dst, size_t size, size_t *o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = *c->p ? strchr(from, *c->p) : NULL;
	unsigned long u = 0;

	if (k)
		return c->p++, put_utf8(dst, size, o, (unsigned char)to[k - from]);
	if (*c->p++ != 'u')
		return false;
	for (int i = 0; i < 4; i++, c->p++) {
		const char *hex = "0123456789abcdef", *h;
		char ch = (char)(*c->p | 0x20);

		if (*c->p == '\0' || (h = strchr(hex, ch)) == NULL)
			return false;
		u = u * 16 + (unsigned long)(h - hex);
	}
	return u != 0 && put_utf8(dst, size, o, u);
}

/* See json_read.h. */
bool json_string(struct json_cur *c, char *dst, size_t size)
{
	size_t o = 0;

	if (!json_eat(c, '"'))
		return false;
	while (*c->p != '"') {
		unsigned char ch = (unsigned char)*c->p++;

		if (ch < 0x20)
			return false; /* includes the end of the text */
		if (ch == '\\') {
			if (!escape(c, dst, size, &o))
				return false;
			continue;
		}
		if (o + 2 > size)
			return false;
		dst[o++] = (char)ch;
	}
	c->p++;
	dst[o] = '\0';
	return true;
}
