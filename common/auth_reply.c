/* SPDX-License-Identifier: BSD-2-Clause */
/* The password helper's reply: one writer, one strict reader (see auth_reply.h). */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "auth_reply.h"
#include "errors.h"
#include "parse_num.h"

static const char *const result_names[] = {
	[HOSTIAM_AUTH_OK] = "ok",
	[HOSTIAM_AUTH_WRONG] = "wrong",
	[HOSTIAM_AUTH_LOCKED] = "locked",
	[HOSTIAM_AUTH_EXPIRED] = "expired",
	[HOSTIAM_AUTH_UNKNOWN] = "unknown",
	[HOSTIAM_AUTH_REJECTED] = "rejected",
	[HOSTIAM_AUTH_UNREACHABLE] = "unreachable",
	[HOSTIAM_AUTH_REFUSED] = "refused",
	[HOSTIAM_AUTH_ERROR] = "error",
};
#define RESULT_COUNT (sizeof(result_names) / sizeof(result_names[0]))

void hostiam_auth_reply_init(struct hostiam_auth_reply *r, enum hostiam_auth_result result)
{
	memset(r, 0, sizeof(*r));
	r->result = result;
	r->expires_in = -1;
	r->grace = -1;
}

const char *hostiam_auth_result_name(enum hostiam_auth_result result)
{
	if ((unsigned)result >= RESULT_COUNT)
		return "error";
	return result_names[result];
}

/*
 * Length of the well-formed UTF-8 sequence at s (n bytes available) encoding a printable
 * code point (U+00A0 and up, not a surrogate, at most U+10FFFF), or 0: overlong forms and
 * the C1 controls U+0080..U+009F would let a message steer a terminal.
 */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	static const uint32_t min_of_len[] = { 0, 0, 0xa0, 0x800, 0x10000 };
	if (cp < min_of_len[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Clean the n bytes of src into dst (room for max bytes and a NUL), as set_message says. */
static void clean_message(char *dst, size_t max, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t in = 0, out = 0, seq;

	while (in < n) {
		if (s[in] >= 0x20 && s[in] < 0x7f)
			seq = 1;
		else
			seq = utf8_printable(s + in, n - in);
		if (out + (seq ? seq : 1) > max)
			break;
		if (seq == 0) {
			dst[out++] = '?';
			in++;
			continue;
		}
		memcpy(dst + out, s + in, seq);
		out += seq;
		in += seq;
	}
	dst[out] = '\0';
}

void hostiam_auth_reply_set_message(struct hostiam_auth_reply *r, const char *msg)
{
	if (msg == NULL) {
		r->message[0] = '\0';
		return;
	}
	clean_message(r->message, HOSTIAM_AUTH_MESSAGE_MAX, msg, strnlen(msg, 4096));
}

/* Append the n bytes of text to buf at *pos, keeping it terminated. */
static int append(char *buf, size_t len, size_t *pos, const char *text, size_t n)
{
	if (n >= len - *pos)
		return HOSTIAM_ERR_TOO_SMALL;
	memcpy(buf + *pos, text, n);
	*pos += n;
	buf[*pos] = '\0';
	return 0;
}

/* Append " KEY=VALUE". */
static int append_key(char *buf, size_t len, size_t *pos, const char *key, long value)
{
	char word[64];
	int n = snprintf(word, sizeof(word), " %s=%ld", key, value);

	if (n < 0 || (size_t)n >= sizeof(word))
		return HOSTIAM_ERR_INTERNAL;
	return append(buf, len, pos, word, (size_t)n);
}

/* The keys of line 1 (ok only), each after a blank. */
static int format_keys(const struct hostiam_auth_reply *r, char *buf, size_t len, size_t *pos)
{
	int err = 0;

	if (r->result != HOSTIAM_AUTH_OK)
		return 0;
	if (r->expires_in < -1 || r->expires_in > INT_MAX || r->grace < -1)
		return HOSTIAM_ERR_INVALID_ARG;
	if (r->expires_in >= 0)
		err = append_key(buf, len, pos, "expires_in", r->expires_in);
	if (err == 0 && r->grace >= 0)
		err = append_key(buf, len, pos, "grace", r->grace);
	if (err == 0 && r->must_change)
		err = append_key(buf, len, pos, "must_change", 1);
	return err;
}

int hostiam_auth_reply_format(const struct hostiam_auth_reply *r, char *buf, size_t len,
			      size_t *out_len)
{
	char message[HOSTIAM_AUTH_MESSAGE_MAX + 1];
	const char *name;
	size_t pos = 0;
	int err;

	if ((unsigned)r->result >= RESULT_COUNT)
		return HOSTIAM_ERR_INVALID_ARG;
	if (len == 0)
		return HOSTIAM_ERR_TOO_SMALL;
	buf[0] = '\0';
	name = result_names[r->result];
	err = append(buf, len, &pos, name, strlen(name));
	if (err == 0)
		err = format_keys(r, buf, len, &pos);
	if (err == 0)
		err = append(buf, len, &pos, "\n", 1);
	clean_message(message, HOSTIAM_AUTH_MESSAGE_MAX, r->message,
		      strnlen(r->message, sizeof(r->message)));
	if (err == 0 && message[0] != '\0') {
		err = append(buf, len, &pos, message, strlen(message));
		if (err == 0)
			err = append(buf, len, &pos, "\n", 1);
	}
	if (err == 0)
		*out_len = pos;
	return err;
}

/* The result named by the n bytes at s, or -1. */
static int result_of(const char *s, size_t n)
{
	for (size_t i = 0; i < RESULT_COUNT; i++)
		if (strlen(result_names[i]) == n && memcmp(result_names[i], s, n) == 0)
			return (int)i;
	return -1;
}

/* One "KEY=INT" word of n bytes into r; seen tracks the keys already given. */
static int parse_key(const char *s, size_t n, struct hostiam_auth_reply *r, unsigned *seen)
{
	static const struct {
		const char *name;
		unsigned long max;
	} keys[] = { { "expires_in", INT_MAX }, { "grace", INT_MAX }, { "must_change", 1 } };
	const char *eq = memchr(s, '=', n);
	unsigned long value;

	if (eq == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	for (unsigned k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (strlen(keys[k].name) != (size_t)(eq - s) ||
		    memcmp(keys[k].name, s, eq - s) != 0)
			continue;
		if ((*seen & (1u << k)) != 0 ||
		    hostiam_parse_ulong_n(eq + 1, n - (size_t)(eq - s) - 1, 0, keys[k].max,
					  &value) != 0)
			return HOSTIAM_ERR_INVALID_ARG;
		*seen |= 1u << k;
		if (k == 0)
			r->expires_in = (long)value;
		else if (k == 1)
			r->grace = (int)value;
		else
			r->must_change = value == 1;
		return 0;
	}
	return HOSTIAM_ERR_INVALID_ARG;
}

/* Line 1 (n bytes, no newline) into r: the result word, then keys separated by one blank. */
static int parse_first_line(const char *s, size_t n, struct hostiam_auth_reply *r)
{
	const char *end = s + n, *word = s, *blank;
	unsigned seen = 0;
	int result;

	blank = memchr(word, ' ', n);
	result = result_of(word, (blank ? blank : end) - word);
	if (result < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	hostiam_auth_reply_init(r, (enum hostiam_auth_result)result);
	while (blank != NULL) {
		if (r->result != HOSTIAM_AUTH_OK)
			return HOSTIAM_ERR_INVALID_ARG;
		word = blank + 1;
		blank = memchr(word, ' ', (size_t)(end - word));
		if (parse_key(word, (size_t)((blank ? blank : end) - word), r, &seen) != 0)
			return HOSTIAM_ERR_INVALID_ARG;
	}
	return 0;
}

int hostiam_auth_reply_parse(const char *buf, size_t len, struct hostiam_auth_reply *out)
{
	struct hostiam_auth_reply r;
	const char *nl1, *rest, *nl2;
	size_t rest_len;

	if (buf == NULL || len == 0 || len > HOSTIAM_AUTH_REPLY_MAX || memchr(buf, '\0', len))
		return HOSTIAM_ERR_INVALID_ARG;
	nl1 = memchr(buf, '\n', len);
	if (nl1 == NULL || parse_first_line(buf, (size_t)(nl1 - buf), &r) != 0)
		return HOSTIAM_ERR_INVALID_ARG;
	rest = nl1 + 1;
	rest_len = len - (size_t)(rest - buf);
	if (rest_len > 0) {
		nl2 = memchr(rest, '\n', rest_len);
		/* exactly one more line, not empty, not longer than the writer allows */
		if (nl2 == NULL || nl2 != rest + rest_len - 1 || rest_len == 1 ||
		    rest_len - 1 > HOSTIAM_AUTH_MESSAGE_MAX)
			return HOSTIAM_ERR_INVALID_ARG;
		clean_message(r.message, HOSTIAM_AUTH_MESSAGE_MAX, rest, rest_len - 1);
	}
	*out = r;
	return 0;
}
