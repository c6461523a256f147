/* SPDX-License-Identifier: BSD-2-Clause */
/* Bounded text for traces and log lines: appends that never overflow and say when they cut. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "policy_internal.h"

static const char *const day_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

/* Start an empty string in buf (len > 0). */
void sb_init(struct strbuf *sb, char *buf, size_t len)
{
	sb->buf = buf;
	sb->len = len;
	sb->used = 0;
	sb->truncated = false;
	buf[0] = '\0';
}

/* Mark sb as cut: what is kept ends in "..." so a reader sees that text is missing. */
static void sb_cut(struct strbuf *sb)
{
	sb->truncated = true;
	sb->used = sb->len - 1;
	sb->buf[sb->used] = '\0';
	if (sb->len > 4)
		memcpy(sb->buf + sb->len - 4, "...", 3);
}

/* Append formatted text; once cut, later appends are dropped. */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	size_t room = sb->len - sb->used;
	va_list ap;
	int n;

	if (sb->truncated)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->used, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->buf[sb->used] = '\0';
		return;
	}
	if ((size_t)n >= room)
		sb_cut(sb);
	else
		sb->used += (size_t)n;
}

/* Untrusted text (rhost, tty) for a trace: control bytes become '?' so a line stays a line. */
void sb_text(struct strbuf *sb, const char *s)
{
	for (; *s && !sb->truncated; s++) {
		unsigned char ch = (unsigned char)*s;

		sb_printf(sb, "%c", ch < 0x20 || ch == 0x7f ? '?' : ch);
	}
}

/* "a, b, c". */
void sb_join(struct strbuf *sb, const struct hostiam_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		sb_printf(sb, "%s%s", i ? ", " : "", l->items[i]);
}

/* "10.0.0.0/8", "fd00::/8". */
void sb_cidr(struct strbuf *sb, const struct hostiam_cidr *c)
{
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(c->family, c->addr, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "?");
	sb_printf(sb, "%s/%d", text, c->prefix);
}

/* Days as the admin would write them: "*", "Mon-Fri", "Sat,Sun", "Fri-Mon". */
static void sb_days(struct strbuf *sb, uint8_t days)
{
	int start = 0, i, n = 0;

	days &= 0x7f;
	if (days == 0x7f || days == 0) {
		sb_printf(sb, "*");
		return;
	}
	/* Begin at a day whose previous day is off, so a run through Sunday prints as one. */
	while (!(days & (1u << start)) || (days & (1u << ((start + 6) % 7))))
		start++;
	for (i = 0; i < 7;) {
		int d = (start + i) % 7, len = 0;

		if (!(days & (1u << d))) {
			i++;
			continue;
		}
		while (i + len < 7 && (days & (1u << ((start + i + len) % 7))))
			len++;
		sb_printf(sb, "%s%s", n++ ? "," : "", day_names[d]);
		if (len == 2)
			sb_printf(sb, ",%s", day_names[(d + 1) % 7]);
		else if (len > 2)
			sb_printf(sb, "-%s", day_names[(d + len - 1) % 7]);
		i += len;
	}
}

/* "Mon-Fri 08:00-18:00". */
void sb_window(struct strbuf *sb, const struct hostiam_time_window *w)
{
	sb_days(sb, w->days);
	sb_printf(sb, " %02d:%02d-%02d:%02d", w->start_min / 60, w->start_min % 60, w->end_min / 60,
		  w->end_min % 60);
}

/* True for bytes that may stand in a bare log value. */
static bool plain_byte(unsigned char ch)
{
	return ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != '=';
}

/* Append one byte of a quoted value, escaped; false when it no longer fits. */
static bool put_escaped(struct strbuf *sb, unsigned char ch)
{
	char unit[5];
	size_t n;

	if (ch == '"' || ch == '\\')
		n = (size_t)snprintf(unit, sizeof(unit), "\\%c", ch);
	else if (ch < 0x20 || ch >= 0x7f)
		n = (size_t)snprintf(unit, sizeof(unit), "\\x%02x", ch);
	else
		n = (size_t)snprintf(unit, sizeof(unit), "%c", ch);
	/* Never split an escape: a half "\x4" could be read back as something else. */
	if (sb->used + n + 1 > sb->len)
		return false;
	memcpy(sb->buf + sb->used, unit, n);
	sb->used += n;
	sb->buf[sb->used] = '\0';
	return true;
}

/*
 * A log value: bare when it is plain printable ASCII, else in double quotes with '"' and
 * '\' backslash-escaped and every control or non-ASCII byte as \xHH. So a value can never
 * close its quotes early or start a new key=value pair, and the line stays ASCII.
 */
void sb_log_value(struct strbuf *sb, const char *v, bool always_quote)
{
	const unsigned char *p;
	bool quote = always_quote || v[0] == '\0';

	for (p = (const unsigned char *)v; *p && !quote; p++)
		quote = !plain_byte(*p);
	if (!quote) {
		sb_printf(sb, "%s", v);
		return;
	}
	sb_printf(sb, "\"");
	for (p = (const unsigned char *)v; *p && !sb->truncated; p++) {
		if (!put_escaped(sb, *p)) {
			sb_cut(sb);
			return;
		}
	}
	sb_printf(sb, "\"");
}
