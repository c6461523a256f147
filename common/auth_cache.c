/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth.cache (format in auth_cache.h). Written whole and atomically by the sync; read
 * whole at login, and refused whole if any line is damaged (every line must end in a
 * newline, so a truncated file never passes): it holds secrets and decides who is locked
 * out, and we only ever trust a file exactly as our writer left it.
 */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth_cache.h"
#include "errors.h"
#include "hash.h"
#include "log.h"
#include "mfa_files.h"
#include "names.h"
#include "parse_num.h"
#include "totp.h"

#define HEADER_V1 "hostiam-auth-cache 1\n"
#define HEADER_V1_LEN (sizeof(HEADER_V1) - 1)
/* Then 16 lowercase hex digits of hostiam_checksum() over the lines after the header. */
#define HEADER_V2 "hostiam-auth-cache 2 sum="
#define HEADER_PREFIX "hostiam-auth-cache "
#define SUM_DIGITS 16
#define HEADER_V2_LEN (sizeof(HEADER_V2) - 1 + SUM_DIGITS + 1)
/* 100,000 users at a few hundred bytes each, with room to spare. */
#define AUTH_CACHE_MAX (256u << 20)
#define SECRET_B32_MAX 2048
/* A value column: "-", "!" or a signed 64-bit decimal. */
#define VALUE_MAX 21
#define FIELDS_V2 (2 + HOSTIAM_ACCT_N)

/* Base32 as the directory may hold it: RFC 4648 letters, padding, lowercase, spaces. */
static bool b32_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > SECRET_B32_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7') ||
		      c == '=' || c == ' '))
			return false;
	}
	return true;
}

/* Open the directory that holds path (group/world-writable refused); *base is in path. */
static int open_parent(const char *path, int *dfd, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int r;

	*base = slash ? slash + 1 : path;
	if (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return HOSTIAM_ERR_NOMEM;
	/* Others may read the cache directory (nss.cache lives there), never write to it. */
	r = mfa_open_dir(AT_FDCWD, dir, dir, false, 022, "cache directory", dfd);
	free(dir);
	return r;
}

/* True if e can be written: a valid name, and a valid secret or some account state. */
static bool entry_valid(const struct hostiam_auth_entry *e)
{
	if (!hostiam_valid_user_name(e->user))
		return false;
	if (e->secret_b32 != NULL && !b32_valid(e->secret_b32, strlen(e->secret_b32)))
		return false;
	return e->secret_b32 != NULL ||
		(e->account != NULL && hostiam_account_attrs_any(e->account));
}

/* One value column of v into buf (VALUE_MAX + 1 bytes). */
static void format_value(int64_t v, char *buf)
{
	if (v == HOSTIAM_ATTR_ABSENT)
		snprintf(buf, VALUE_MAX + 1, "-");
	else if (v == HOSTIAM_ATTR_BAD)
		snprintf(buf, VALUE_MAX + 1, "!");
	else
		snprintf(buf, VALUE_MAX + 1, "%" PRId64, v);
}

/* Append e's line at buf + *at (size bytes in all); the room was counted by the caller. */
static void format_line(const struct hostiam_auth_entry *e, char *buf, size_t size, size_t *at)
{
	char value[VALUE_MAX + 1];
	size_t i;

	*at += (size_t)snprintf(buf + *at, size - *at, "%s\t%s", e->user,
				e->secret_b32 ? e->secret_b32 : "-");
	for (i = 0; i < HOSTIAM_ACCT_N; i++) {
		format_value(e->account ? e->account->v[i] : HOSTIAM_ATTR_ABSENT, value);
		*at += (size_t)snprintf(buf + *at, size - *at, "\t%s", value);
	}
	*at += (size_t)snprintf(buf + *at, size - *at, "\n");
}

/* The header line of a body of len bytes at body, into buf (HEADER_V2_LEN + 1 bytes). */
static void format_header(const char *body, size_t len, char *buf)
{
	snprintf(buf, HEADER_V2_LEN + 1, "%s%016" PRIx64 "\n", HEADER_V2,
		 hostiam_checksum(body, len));
}

/* The file's text for entries, malloc'd (the caller wipes it); entries are checked. */
static int format_cache(const struct hostiam_auth_entry *entries, size_t n, char **text,
			size_t *len)
{
	size_t size = HEADER_V2_LEN, i, at;
	char *buf, header[HEADER_V2_LEN + 1];

	for (i = 0; i < n; i++) {
		const struct hostiam_auth_entry *e = &entries[i];

		if (!entry_valid(e))
			return HOSTIAM_ERR_INVALID_ARG;
		size += strlen(e->user) + (e->secret_b32 ? strlen(e->secret_b32) : 1) + 2 +
			HOSTIAM_ACCT_N * (VALUE_MAX + 1);
		if (size > AUTH_CACHE_MAX)
			return HOSTIAM_ERR_INVALID_ARG;
	}
	if ((buf = malloc(size + 1)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	at = HEADER_V2_LEN;
	for (i = 0; i < n; i++)
		format_line(&entries[i], buf, size + 1, &at);
	format_header(buf + HEADER_V2_LEN, at - HEADER_V2_LEN, header);
	memcpy(buf, header, HEADER_V2_LEN);
	*text = buf;
	*len = at;
	return 0;
}

/* The old file stays until the new one is complete; others must not write to the directory. */
int hostiam_auth_cache_write(const char *path, const struct hostiam_auth_entry *entries, size_t n)
{
	const char *base;
	char *text = NULL;
	size_t len = 0;
	int dfd = -1, r;

	if (path == NULL || (entries == NULL && n > 0))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = format_cache(entries, n, &text, &len)) < 0)
		return r;
	if ((r = open_parent(path, &dfd, &base)) < 0)
		goto out;
	if ((r = mfa_replace_file(dfd, base, text, len)) < 0)
		hostiam_log(LOG_ERR, "auth cache could not be written path=%s", path);
out:
	hostiam_secret_wipe(text, len);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/*
 * The header: *version 1 or 2 and *hlen its length (a version 2 body must match its
 * checksum: a flipped byte never reads as another lock state or secret), another version
 * (CACHE_VERSION: "hostiam-auth-cache N" then a newline or a space), or not ours (CORRUPT).
 */
static int check_header(const char *text, size_t len, int *version, size_t *hlen)
{
	size_t at = sizeof(HEADER_PREFIX) - 1, digits = 0;
	char want[HEADER_V2_LEN + 1];

	*version = 0;
	if (len >= HEADER_V1_LEN && memcmp(text, HEADER_V1, HEADER_V1_LEN) == 0) {
		*version = 1;
		*hlen = HEADER_V1_LEN;
		return 0;
	}
	if (len >= HEADER_V2_LEN && memcmp(text, HEADER_V2, sizeof(HEADER_V2) - 1) == 0) {
		format_header(text + HEADER_V2_LEN, len - HEADER_V2_LEN, want);
		if (memcmp(text, want, HEADER_V2_LEN) != 0)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		*version = 2;
		*hlen = HEADER_V2_LEN;
		return 0;
	}
	if (len < at || memcmp(text, HEADER_PREFIX, at) != 0)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	while (at + digits < len && text[at + digits] >= '0' && text[at + digits] <= '9')
		digits++;
	if (digits == 0 || at + digits >= len ||
	    (text[at + digits] != '\n' && text[at + digits] != ' ') ||
	    (digits == 1 && (text[at] == '1' || text[at] == '2')))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return HOSTIAM_ERR_CACHE_VERSION;
}

/* One value column: "-", "!", or a signed decimal that is not a sentinel. */
static bool parse_value(const char *s, size_t len, int64_t *out)
{
	unsigned long v;
	bool neg;

	if (len == 1 && (s[0] == '-' || s[0] == '!')) {
		*out = s[0] == '-' ? HOSTIAM_ATTR_ABSENT : HOSTIAM_ATTR_BAD;
		return true;
	}
	neg = len > 0 && s[0] == '-';
	/* Canonical only: no "-0", no leading zeros, as the writer's %PRId64 never makes. */
	if (len - neg == 0 || len > VALUE_MAX || (s[neg] == '0' && (len - neg > 1 || neg)))
		return false;
	if (hostiam_parse_ulong_n(s + neg, len - neg, 0,
				  neg ? (unsigned long)INT64_MAX - 1 : (unsigned long)INT64_MAX,
				  &v) < 0)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/* A parsed line: pointers into the text. */
struct line {
	const char *user, *secret;
	size_t user_len, secret_len;
	struct hostiam_account_attrs account;
};

/*
 * Split the line at p into at most max tab-separated fields, in one pass (short fields:
 * a memchr call per field costs more than the bytes). Returns the number of fields and
 * *nl at the newline, or 0 (too many fields, or no newline before end).
 */
static size_t split(const char *p, const char *end, const char **f, size_t *flen, size_t max,
		    const char **nl)
{
	size_t n = 0;

	f[0] = p;
	for (; p < end; p++) {
		if (*p != '\t' && *p != '\n')
			continue;
		flen[n] = (size_t)(p - f[n]);
		if (*p == '\n') {
			*nl = p;
			return n + 1;
		}
		if (++n == max)
			return 0;
		f[n] = p + 1;
	}
	return 0;
}

/* Parse and check the line at p of a version-v file into *l; *nl gets its newline. */
static bool parse_line(const char *p, const char *end, int v, struct line *l, const char **nl)
{
	const char *f[FIELDS_V2];
	size_t flen[FIELDS_V2], n, i;
	char name[HOSTIAM_NAME_MAX + 1];

	n = split(p, end, f, flen, v == 1 ? 2 : FIELDS_V2, nl);
	if (n != (v == 1 ? 2u : FIELDS_V2) || flen[0] == 0 || flen[0] > HOSTIAM_NAME_MAX)
		return false;
	memcpy(name, f[0], flen[0]);
	name[flen[0]] = '\0';
	if (!hostiam_valid_user_name(name))
		return false;
	l->user = f[0];
	l->user_len = flen[0];
	hostiam_account_attrs_clear(&l->account);
	if (v == 2 && flen[1] == 1 && f[1][0] == '-') {
		l->secret = NULL;
		l->secret_len = 0;
	} else if (b32_valid(f[1], flen[1])) {
		l->secret = f[1];
		l->secret_len = flen[1];
	} else {
		return false;
	}
	for (i = 0; v == 2 && i < HOSTIAM_ACCT_N; i++)
		if (!parse_value(f[2 + i], flen[2 + i], &l->account.v[i]))
			return false;
	/* The writer never writes a line with nothing on it. */
	return l->secret != NULL || hostiam_account_attrs_any(&l->account);
}

/*
 * Scan every line after the header; *found gets user's line. Any damaged line, or the
 * user twice, refuses the file; *bad_line says where.
 */
static int scan_cache(const char *text, size_t len, size_t hlen, int v, const char *user,
		      struct line *found, int *bad_line)
{
	const char *p = text + hlen, *end = text + len;
	size_t ulen = strlen(user);
	bool have = false;
	struct line l;

	for (*bad_line = 2; p < end; ++*bad_line) {
		const char *nl = NULL;

		if (!parse_line(p, end, v, &l, &nl))
			return HOSTIAM_ERR_CACHE_CORRUPT;
		if (l.user_len == ulen && memcmp(l.user, user, ulen) == 0) {
			if (have)
				return HOSTIAM_ERR_CACHE_CORRUPT;
			have = true;
			*found = l;
		}
		p = nl + 1;
	}
	return have ? 0 : HOSTIAM_ERR_NOT_FOUND;
}

/* Log a refused file once per lookup, saying what to do about another version. */
static void log_refused(int r, int line, const char *path)
{
	if (r == HOSTIAM_ERR_CACHE_VERSION)
		hostiam_log(LOG_ERR,
			    "auth cache refused: %s; run 'hostiam sync' to rewrite it path=%s",
			    hostiam_strerror(r), path);
	else
		hostiam_log(LOG_ERR, "auth cache refused: %s line=%d path=%s", hostiam_strerror(r),
			    line, path);
}

/* Copy the found line (NULL: none) into *out. */
static int take_record(const struct line *l, int version, struct hostiam_auth_record *out)
{
	memset(out, 0, sizeof(*out));
	hostiam_account_attrs_clear(&out->account);
	out->account_known = version == 2;
	if (l == NULL)
		return 0;
	if (l->secret != NULL && (out->secret_b32 = strndup(l->secret, l->secret_len)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	out->account = l->account;
	return 0;
}

/* Read whole, check whole, copy out only user's line, wipe the rest. */
int hostiam_auth_cache_find(const char *path, const char *user, struct hostiam_auth_record *out)
{
	const char *base;
	char *text = NULL;
	size_t len = 0, hlen = 0;
	int dfd = -1, line = 1, version = 0, r;
	struct line found;

	if (path == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!hostiam_valid_user_name(user))
		return HOSTIAM_ERR_INVALID_NAME;
	if ((r = open_parent(path, &dfd, &base)) < 0)
		goto out;
	r = mfa_read_file(dfd, base, path, "auth cache", AUTH_CACHE_MAX, &text, &len);
	if (r < 0)
		goto out;
	if (memchr(text, '\0', len) != NULL)
		r = HOSTIAM_ERR_CACHE_CORRUPT;
	else if ((r = check_header(text, len, &version, &hlen)) == 0)
		r = scan_cache(text, len, hlen, version, user, &found, &line);
	if (r == HOSTIAM_ERR_CACHE_CORRUPT || r == HOSTIAM_ERR_CACHE_VERSION) {
		log_refused(r, line, path);
		goto out;
	}
	if (r == 0)
		r = take_record(&found, version, out);
	else if (r == HOSTIAM_ERR_NOT_FOUND && version == 1)
		/* Format 1 knows secrets only: no line says nothing of the account's state. */
		r = take_record(NULL, version, out);
out:
	if (r == HOSTIAM_ERR_NOT_FOUND && text == NULL)
		r = HOSTIAM_ERR_CACHE_MISSING;
	hostiam_secret_wipe(text, len + 1);
	if (dfd >= 0)
		close(dfd);
	return r;
}

void hostiam_auth_record_wipe(struct hostiam_auth_record *r)
{
	if (r == NULL)
		return;
	if (r->secret_b32 != NULL)
		hostiam_secret_wipe(r->secret_b32, strlen(r->secret_b32));
	memset(r, 0, sizeof(*r));
}

int hostiam_auth_cache_lookup(const char *path, const char *user, char **secret_b32)
{
	struct hostiam_auth_record rec;
	int r;

	if (secret_b32 == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	r = hostiam_auth_cache_find(path, user, &rec);
	if (r < 0)
		return r;
	if (rec.secret_b32 == NULL)
		return HOSTIAM_ERR_NOT_FOUND;
	*secret_b32 = rec.secret_b32;
	return 0;
}
