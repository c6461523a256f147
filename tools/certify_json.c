/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The JSON form of a decisions file: [ {"user": "alice", "decision": "keep", "note": "..."},
 * ... ] — an array of flat objects whose values are strings. Only what that needs is
 * parsed (strings with every JSON escape, \u as UTF-8); anything else is refused with the
 * line it is on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "certify_cli.h"
#include "names.h"

struct jcur {
	const char *p;
	const char *path;
	int line;
};

/* Skip blanks, counting lines. */
static void ws(struct jcur *c)
{
	for (; *c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'; c->p++)
		if (*c->p == '\n')
			c->line++;
}

/* Expect ch after blanks. */
static bool eat(struct jcur *c, char ch)
{
	ws(c);
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
static bool escape(struct jcur *c, char *dst, size_t size, size_t *o)
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

/* A JSON string into dst (size); false if malformed or too long. */
static bool string(struct jcur *c, char *dst, size_t size)
{
	size_t o = 0;

	if (!eat(c, '"'))
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

/* One object into in; false after a message. */
static bool object(struct jcur *c, struct certify_input *in)
{
	char key[16], word[16] = "";
	bool more = true;

	memset(in, 0, sizeof(*in));
	in->line = c->line;
	if (!eat(c, '{'))
		return false;
	if (eat(c, '}'))
		more = false;
	while (more) {
		if (!string(c, key, sizeof(key)) || !eat(c, ':'))
			return false;
		if (strcmp(key, "user") == 0 && !string(c, in->user, sizeof(in->user)))
			return false;
		else if (strcmp(key, "decision") == 0 && !string(c, word, sizeof(word)))
			return false;
		else if (strcmp(key, "note") == 0 && !string(c, in->note, sizeof(in->note)))
			return false;
		else if (strcmp(key, "user") && strcmp(key, "decision") && strcmp(key, "note"))
			return false;
		if (eat(c, ','))
			continue;
		if (!eat(c, '}'))
			return false;
		more = false;
	}
	return hostiam_valid_user_name(in->user) &&
		certify_choice_of(word, strlen(word), &in->choice);
}

/* See certify_cli.h. */
int certify_read_json(const char *text, const char *path, struct certify_input **out, size_t *n)
{
	struct jcur c = { text, path, 1 };
	struct certify_input in;

	if (!eat(&c, '['))
		goto bad;
	if (!eat(&c, ']')) {
		do {
			if (!object(&c, &in) || certify_input_add(out, n, &in) < 0)
				goto bad;
		} while (eat(&c, ','));
		if (!eat(&c, ']'))
			goto bad;
	}
	ws(&c);
	if (*c.p == '\0')
		return 0;
bad:
	fprintf(stderr,
		"hostiam: certify: %s:%d: expected an array of {\"user\": NAME, \"decision\": "
		"\"keep\"|\"revoke\", \"note\": TEXT}\n",
		path, c.line);
	return -1;
}
