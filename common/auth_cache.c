/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth.cache (format in auth_cache.h). Written whole and atomically by the sync. At login
 * a format 3 file is mapped and binary-searched, and every line read must carry its own
 * check (and end in a newline): it holds secrets and decides who is locked out, and we
 * only ever trust lines exactly as our writer left them. Formats 1 and 2 are checked whole.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth_cache.h"
#include "auth_cache_internal.h"
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
/* Lines sorted by user, each ending in its own check: a lookup reads only its search path. */
#define HEADER_PREFIX "hostiam-auth-cache "
#define SUM_DIGITS 16
#define HEADER_V2_LEN (sizeof(HEADER_V2) - 1 + SUM_DIGITS + 1)
#define SECRET_B32_MAX 2048
/* A value column: "-", "!" or a signed 64-bit decimal. */
#define VALUE_MAX 21
#define FIELDS_V2 (2 + HOSTIAM_ACCT_N)
/* Format 3: the format 2 fields, then the line's check in hex. */
#define FIELDS_V3 (FIELDS_V2 + 1)
/* The seed of a line's check ("auth"), so that no other record's check fits. */
#define LINE_SEED 0x61757468u

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
int auth_cache_open_parent(const char *path, int *dfd, const char **base)
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
bool auth_cache_entry_valid(const struct hostiam_auth_entry *e)
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
		memcpy(buf, "-", 2);
	else if (v == HOSTIAM_ATTR_BAD)
		memcpy(buf, "!", 2);
	else
		snprintf(buf, VALUE_MAX + 1, "%" PRId64, v);
}

/* A format 3 line's check: over its text up to and including the tab before the check. */
static uint64_t line_check(const char *text, size_t len)
{
	return hostiam_check_bytes(hostiam_check_start(LINE_SEED, 0), text, len);
}

/* Append s at buf + *at (the room was counted by the caller). */
static void put_str(char *buf, size_t *at, const char *s)
{
	size_t n = strlen(s);

	memcpy(buf + *at, s, n);
	*at += n;
}

/* Append v as 16 lower-case hex digits, as "%016" PRIx64 would. */
static void put_hex64(char *buf, size_t *at, uint64_t v)
{
	for (int i = 0; i < SUM_DIGITS; i++)
		buf[*at + i] = "0123456789abcdef"[(v >> (4 * (SUM_DIGITS - 1 - i))) & 15];
	*at += SUM_DIGITS;
}

/*
 * Append e's line at buf + *at (size bytes in all); the room was counted by the caller.
 * Appended piece by piece, not through snprintf: 100,000 lines of ten fields each.
 */
void auth_cache_format_line(const struct hostiam_auth_entry *e, char *buf, size_t size, size_t *at)
{
	char value[VALUE_MAX + 1];
	size_t i, start = *at;

	put_str(buf, at, e->user);
	put_str(buf, at, "\t");
	put_str(buf, at, e->secret_b32 ? e->secret_b32 : "-");
	for (i = 0; i < HOSTIAM_ACCT_N; i++) {
		format_value(e->account ? e->account->v[i] : HOSTIAM_ATTR_ABSENT, value);
		put_str(buf, at, "\t");
		put_str(buf, at, value);
	}
	put_str(buf, at, "\t");
	put_hex64(buf, at, line_check(buf + start, *at - start));
	put_str(buf, at, "\n");
	buf[*at < size ? *at : size - 1] = '\0';
}

size_t auth_cache_line_size(const struct hostiam_auth_entry *e)
{
	return strlen(e->user) + (e->secret_b32 ? strlen(e->secret_b32) : 1) + 2 +
		HOSTIAM_ACCT_N * (VALUE_MAX + 1) + 1 + SUM_DIGITS;
}

/* The header line of a format 2 body of len bytes at body, into buf (HEADER_V2_LEN + 1). */
static void format_header(const char *body, size_t len, char *buf)
{
	snprintf(buf, HEADER_V2_LEN + 1, "%s%016" PRIx64 "\n", HEADER_V2,
		 hostiam_checksum(body, len));
}

/* Order of user names, as the reader's binary search compares them (bytes, unsigned). */
static int by_user(const void *a, const void *b)
{
	const struct hostiam_auth_entry *const *x = a, *const *y = b;

	return strcmp((*x)->user, (*y)->user);
}

/* entries sorted by user into *out (malloc'd); a user twice is refused. */
int auth_cache_sort_entries(const struct hostiam_auth_entry *entries, size_t n,
			    const struct hostiam_auth_entry ***out)
{
	const struct hostiam_auth_entry **v;
	size_t i;

	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; i < n; i++)
		v[i] = &entries[i];
	qsort(v, n, sizeof(*v), by_user);
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1]->user, v[i]->user) == 0) {
			free(v);
			return HOSTIAM_ERR_INVALID_ARG;
		}
	*out = v;
	return 0;
}

/* The file's text for entries, malloc'd (the caller wipes it); entries are checked. */
static int format_cache(const struct hostiam_auth_entry *entries, size_t n, char **text,
			size_t *len)
{
	const struct hostiam_auth_entry **sorted;
	size_t size = HEADER_V3_LEN, i, at;
	char *buf;
	int r;

	for (i = 0; i < n; i++) {
		const struct hostiam_auth_entry *e = &entries[i];

		if (!auth_cache_entry_valid(e))
			return HOSTIAM_ERR_INVALID_ARG;
		size += auth_cache_line_size(e);
		if (size > AUTH_CACHE_MAX)
			return HOSTIAM_ERR_INVALID_ARG;
	}
	if ((r = auth_cache_sort_entries(entries, n, &sorted)) < 0)
		return r;
	if ((buf = malloc(size + 1)) == NULL) {
		free(sorted);
		return HOSTIAM_ERR_NOMEM;
	}
	memcpy(buf, HEADER_V3, HEADER_V3_LEN);
	at = HEADER_V3_LEN;
	for (i = 0; i < n; i++)
		auth_cache_format_line(sorted[i], buf, size + 1, &at);
	free(sorted);
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
	if ((r = auth_cache_open_parent(path, &dfd, &base)) < 0)
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
 * The header: *version 1, 2 or 3 and *hlen its length (a version 2 body must match its
 * checksum: a flipped byte never reads as another lock state or secret), another version
 * (CACHE_VERSION: "hostiam-auth-cache N" then a newline or a space), or not ours (CORRUPT).
 */
static int check_header(const char *text, size_t len, int *version, size_t *hlen)
{
	size_t at = sizeof(HEADER_PREFIX) - 1, digits = 0;
	char want[HEADER_V2_LEN + 1];

	*version = 0;
	if (len >= HEADER_V3_LEN && memcmp(text, HEADER_V3, HEADER_V3_LEN) == 0) {
		*version = 3;
		*hlen = HEADER_V3_LEN;
		return 0;
	}
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
	    (digits == 1 && text[at] >= '1' && text[at] <= '3'))
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

/* Format 3: the last field is the check of everything before it on the line. */
static bool check_ok(const char *line, const char *sum, size_t sum_len)
{
	char want[SUM_DIGITS + 1];

	if (sum_len != SUM_DIGITS)
		return false;
	snprintf(want, sizeof(want), "%016" PRIx64, line_check(line, (size_t)(sum - line)));
	return memcmp(want, sum, SUM_DIGITS) == 0;
}

/* Parse and check the line at p of a version-v file into *l; *nl gets its newline. */
bool auth_cache_parse_line(const char *p, const char *end, int v, struct auth_line *l,
			   const char **nl)
{
	const char *f[FIELDS_V3];
	size_t flen[FIELDS_V3], n, i, want = v == 1 ? 2 : v == 2 ? FIELDS_V2 : FIELDS_V3;
	char name[HOSTIAM_NAME_MAX + 1];

	n = split(p, end, f, flen, want, nl);
	if (n != want || flen[0] == 0 || flen[0] > HOSTIAM_NAME_MAX)
		return false;
	if (v == 3 && !check_ok(p, f[FIELDS_V2], flen[FIELDS_V2]))
		return false;
	memcpy(name, f[0], flen[0]);
	name[flen[0]] = '\0';
	if (memchr(f[0], '\0', flen[0]) != NULL || !hostiam_valid_user_name(name))
		return false;
	l->user = f[0];
	l->user_len = flen[0];
	hostiam_account_attrs_clear(&l->account);
	if (v >= 2 && flen[1] == 1 && f[1][0] == '-') {
		l->secret = NULL;
		l->secret_len = 0;
	} else if (b32_valid(f[1], flen[1])) {
		l->secret = f[1];
		l->secret_len = flen[1];
	} else {
		return false;
	}
	for (i = 0; v >= 2 && i < HOSTIAM_ACCT_N; i++)
		if (!parse_value(f[2 + i], flen[2 + i], &l->account.v[i]))
			return false;
	/* The writer never writes a line with nothing on it. */
	return l->secret != NULL || hostiam_account_attrs_any(&l->account);
}

/* user (ulen bytes) against a line's user, in the writer's order. */
static int compare_user(const char *user, size_t ulen, const struct auth_line *l)
{
	int c = memcmp(user, l->user, ulen < l->user_len ? ulen : l->user_len);

	if (c != 0)
		return c;
	return ulen < l->user_len ? -1 : ulen > l->user_len;
}

/*
 * Format 3: binary search of the sorted lines, reading only the ~log2(n) lines on the
 * path, each checked: a damaged line met is a refused file, and a damaged line not met
 * cannot change the answer (the lines met are exactly as written, and in order).
 * *bad_at gets the offset of a damaged line.
 */
static int search_cache(const char *text, size_t len, size_t hlen, const char *user,
			struct auth_line *found, size_t *bad_at)
{
	size_t lo = hlen, hi = len, ulen = strlen(user);

	while (lo < hi) {
		size_t s = lo + (hi - lo) / 2;
		const char *nl = NULL;
		struct auth_line l;
		int c;

		while (s > lo && text[s - 1] != '\n')
			s--;
		*bad_at = s;
		if (!auth_cache_parse_line(text + s, text + hi, 3, &l, &nl))
			return HOSTIAM_ERR_CACHE_CORRUPT;
		if ((c = compare_user(user, ulen, &l)) == 0) {
			*found = l;
			return 0;
		}
		if (c < 0)
			hi = s;
		else
			lo = (size_t)(nl + 1 - text);
	}
	return HOSTIAM_ERR_NOT_FOUND;
}

/*
 * Scan every line after the header; *found gets user's line. Any damaged line, or the
 * user twice, refuses the file; *bad_at says where.
 */
static int scan_cache(const char *text, size_t len, size_t hlen, int v, const char *user,
		      struct auth_line *found, size_t *bad_at)
{
	const char *p = text + hlen, *end = text + len;
	size_t ulen = strlen(user);
	bool have = false;
	struct auth_line l;

	for (; p < end;) {
		const char *nl = NULL;

		*bad_at = (size_t)(p - text);
		if (!auth_cache_parse_line(p, end, v, &l, &nl))
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
static void log_refused(int r, size_t at, const char *path)
{
	if (r == HOSTIAM_ERR_CACHE_VERSION)
		hostiam_log(LOG_ERR,
			    "auth cache refused: %s; run 'hostiam sync' to rewrite it path=%s",
			    hostiam_strerror(r), path);
	else
		hostiam_log(LOG_ERR, "auth cache refused: %s offset=%zu path=%s",
			    hostiam_strerror(r), at, path);
}

/* Copy the found line (NULL: none) into *out. */
static int take_record(const struct auth_line *l, int version, struct hostiam_auth_record *out)
{
	memset(out, 0, sizeof(*out));
	hostiam_account_attrs_clear(&out->account);
	out->account_known = version >= 2;
	if (l == NULL)
		return 0;
	if (l->secret != NULL && (out->secret_b32 = strndup(l->secret, l->secret_len)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	out->account = l->account;
	return 0;
}

/* A failed open: a symlink in the way is refused, never "missing". */
static int open_failed(const char *path)
{
	if (errno == ENOENT)
		return HOSTIAM_ERR_CACHE_MISSING;
	if (errno == ELOOP) {
		hostiam_log(LOG_ERR, "auth cache refused: a symlink path=%s", path);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	hostiam_log(LOG_ERR, "cannot read auth cache %s: %s", path, strerror(errno));
	return HOSTIAM_ERR_SYSTEM;
}

/*
 * Map the file read-only, after the same checks as every MFA file (root's, 0600, not a
 * symlink): a lookup then touches only the pages it reads. The sync replaces the file by
 * rename, so the mapped inode never changes under us. An empty file maps to "".
 */
int auth_cache_map(int dfd, const char *base, const char *path, const char **text, size_t *len)
{
	struct stat st;
	void *m;
	int fd, r;

	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return open_failed(path);
	if ((r = mfa_check_fd(fd, false, 077, "auth cache", path)) < 0)
		goto out;
	if (fstat(fd, &st) < 0 || st.st_size < 0) {
		r = HOSTIAM_ERR_SYSTEM;
		goto out;
	}
	if ((uintmax_t)st.st_size > AUTH_CACHE_MAX) {
		hostiam_log(LOG_ERR, "auth cache refused: bigger than %u bytes path=%s",
			    AUTH_CACHE_MAX, path);
		r = HOSTIAM_ERR_CACHE_CORRUPT;
		goto out;
	}
	*text = "";
	*len = 0;
	if (st.st_size > 0) {
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			r = HOSTIAM_ERR_SYSTEM;
			goto out;
		}
		*text = m;
		*len = (size_t)st.st_size;
	}
out:
	close(fd);
	return r;
}

/* Check the header, then find user's line: searched in format 3, scanned whole before. */
static int find_line(const char *text, size_t len, const char *user, int *version,
		     struct auth_line *found, size_t *bad_at)
{
	size_t hlen = 0;
	int r;

	*bad_at = 0;
	/* Formats 1 and 2 are checked whole; format 3 checks each line it reads. */
	if ((r = check_header(text, len, version, &hlen)) < 0)
		return r;
	if (*version == 3)
		return search_cache(text, len, hlen, user, found, bad_at);
	if (memchr(text, '\0', len) != NULL)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return scan_cache(text, len, hlen, *version, user, found, bad_at);
}

/* Map, check what the lookup reads, copy out only user's line. */
int hostiam_auth_cache_find(const char *path, const char *user, struct hostiam_auth_record *out)
{
	const char *base, *text = NULL;
	size_t len = 0, at = 0;
	int dfd = -1, version = 0, r;
	struct auth_line found;

	if (path == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!hostiam_valid_user_name(user))
		return HOSTIAM_ERR_INVALID_NAME;
	if ((r = auth_cache_open_parent(path, &dfd, &base)) < 0) {
		if (r == HOSTIAM_ERR_NOT_FOUND)
			r = HOSTIAM_ERR_CACHE_MISSING;
		goto out;
	}
	if ((r = auth_cache_map(dfd, base, path, &text, &len)) < 0)
		goto out;
	r = find_line(text, len, user, &version, &found, &at);
	if (r == HOSTIAM_ERR_CACHE_CORRUPT || r == HOSTIAM_ERR_CACHE_VERSION) {
		log_refused(r, at, path);
		goto out;
	}
	if (r == 0)
		r = take_record(&found, version, out);
	else if (r == HOSTIAM_ERR_NOT_FOUND && version == 1)
		/* Format 1 knows secrets only: no line says nothing of the account's state. */
		r = take_record(NULL, version, out);
out:
	if (len > 0 && text != NULL)
		munmap((void *)text, len);
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
