/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The text of one per-user state record: "key=value" lines, unknown keys ignored so a newer
 * version's record still loads. A malformed value reads as zero (the safe default for every
 * field: no login, no MFA, no lockout) and is reported, never fatal: a damaged record must
 * not turn into a denial of service for its user. The next update writes a clean record.
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parse_num.h"
#include "state_internal.h"

enum field_type {
	F_TIME,
	F_U64,
	F_U32,
	F_STR
};

struct field {
	const char *key;
	enum field_type type;
	size_t offset;
	size_t size; /* F_STR: the buffer's size */
};

#define S(f) offsetof(struct hostiam_user_state, f)
#define Z(f) sizeof(((struct hostiam_user_state *)0)->f)

static const struct field fields[] = {
	{ "last_login", F_TIME, S(last_login), 0 },
	{ "last_service", F_STR, S(last_service), Z(last_service) },
	{ "last_rhost", F_STR, S(last_rhost), Z(last_rhost) },
	{ "last_mfa", F_TIME, S(last_mfa), 0 },
	{ "last_totp_step", F_U64, S(last_totp_step), 0 },
	{ "failures", F_U32, S(failures), 0 },
	{ "locked_until", F_TIME, S(locked_until), 0 },
	/* Added later: a record written before it has no such line and reads as 0. */
	{ "lockouts", F_U32, S(lockouts), 0 },
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

/* The largest value each numeric type may hold (time_t: non-negative only). */
static unsigned long field_max(enum field_type t)
{
	if (t == F_U32)
		return UINT32_MAX;
	if (t == F_TIME)
		return sizeof(time_t) >= sizeof(long) ? LONG_MAX : INT32_MAX;
	return ULONG_MAX;
}

/* Store value (len bytes) into field f of st; false if it is not a valid value. */
static bool set_field(struct hostiam_user_state *st, const struct field *f, const char *v,
		      size_t len)
{
	char *base = (char *)st + f->offset;
	unsigned long n;

	if (f->type == F_STR) {
		/* Longer than the buffer: keep what fits, it is only shown to people. */
		if (len >= f->size)
			len = f->size - 1;
		memcpy(base, v, len);
		base[len] = '\0';
		return true;
	}
	if (hostiam_parse_ulong_n(v, len, 0, field_max(f->type), &n) < 0)
		return false;
	if (f->type == F_TIME)
		*(time_t *)(void *)base = (time_t)n;
	else if (f->type == F_U64)
		*(uint64_t *)(void *)base = (uint64_t)n;
	else
		*(uint32_t *)(void *)base = (uint32_t)n;
	return true;
}

/* One line (without its newline); false when a known key has a bad value. */
static bool parse_line(struct hostiam_user_state *st, const char *line, size_t len)
{
	const char *eq = memchr(line, '=', len);
	size_t klen, i;

	if (len == 0)
		return true;
	if (eq == NULL)
		return false;
	klen = (size_t)(eq - line);
	if (klen == 5 && memcmp(line, "terms", 5) == 0)
		return state_terms_parse(st, eq + 1, len - klen - 1);
	if (klen == 7 && memcmp(line, "certify", 7) == 0)
		return state_certify_parse(st, eq + 1, len - klen - 1);
	for (i = 0; i < N_FIELDS; i++) {
		if (strlen(fields[i].key) == klen && memcmp(fields[i].key, line, klen) == 0)
			return set_field(st, &fields[i], eq + 1, len - klen - 1);
	}
	return true; /* unknown key: a newer version's, ignore it */
}

/* Parse len bytes of text into *st (zeroed first); false if anything was malformed. */
bool state_record_parse(const char *text, size_t len, struct hostiam_user_state *st)
{
	const char *p = text, *end = text + len;
	bool clean = true;

	memset(st, 0, sizeof(*st));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;

		if (!parse_line(st, p, (size_t)(stop - p)))
			clean = false;
		p = stop + 1;
	}
	/* A NUL inside a string value would hide the rest; treat it as damage. */
	if (memchr(text, '\0', len))
		clean = false;
	return clean;
}

/* One string field, control bytes as '?' (a value can never start a new line); len if cut. */
static size_t format_str(char *buf, size_t len, const char *key, const char *v, size_t max)
{
	size_t n = (size_t)snprintf(buf, len, "%s=", key), i;

	if (n >= len)
		return len;
	for (i = 0; i < max && v[i]; i++) {
		unsigned char ch = (unsigned char)v[i];

		if (n + 2 >= len)
			return len; /* no room for this byte, the newline and the NUL */
		buf[n++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	if (n + 2 > len)
		return len;
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

/* A time as stored: before 1970 means nothing useful, and would not read back. */
static long long time_field(time_t t)
{
	return t < 0 ? 0 : (long long)t;
}

/* Format *st; returns the length, or 0 if buf (STATE_RECORD_MAX) was too small. */
size_t state_record_format(const struct hostiam_user_state *st, char *buf, size_t len)
{
	size_t used = 0, i;

	for (i = 0; i < N_FIELDS; i++) {
		const struct field *f = &fields[i];
		const char *base = (const char *)st + f->offset;
		int n = 0;

		if (f->type == F_STR)
			n = (int)format_str(buf + used, len - used, f->key, base, f->size);
		else if (f->type == F_TIME)
			n = snprintf(buf + used, len - used, "%s=%lld\n", f->key,
				     time_field(*(const time_t *)(const void *)base));
		else if (f->type == F_U64)
			n = snprintf(buf + used, len - used, "%s=%llu\n", f->key,
				     (unsigned long long)*(const uint64_t *)(const void *)base);
		else
			n = snprintf(buf + used, len - used, "%s=%lu\n", f->key,
				     (unsigned long)*(const uint32_t *)(const void *)base);
		if (n < 0 || (size_t)n >= len - used)
			return 0;
		used += (size_t)n;
	}
	used = state_terms_format(st, buf, len, used);
	return used ? state_certify_format(st, buf, len, used) : 0;
}
