/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The grants.cache reader, for the NSS module and the request builder: libc only, no
 * allocation, one fixed buffer; every line checked, the whole file or nothing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "grants_cache.h"
#include "names.h"
#include "parse_num.h"

#define LINE_MAX_LEN 512
#define TIME_LIMIT 253402300799UL /* 9999-12-31 */

struct scan {
	const char *user;
	struct hostiam_grant_entry *out;
	size_t max, found;
	unsigned long lines, count, last_id;
	uint64_t check;
};

/* FNV-1a 64 over len bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ULL;
	return h;
}

/* Cut the next space-separated field off *p (a NUL-terminated line); NULL when none. */
static char *field(char **p)
{
	char *f = *p, *sp;

	if (f == NULL || *f == '\0')
		return NULL;
	sp = strchr(f, ' ');
	if (sp) {
		*sp = '\0';
		*p = sp + 1;
	} else {
		*p = NULL;
	}
	return f;
}

/* "hostiam-grants 1 COUNT CHECK" */
static int header(char *line, struct scan *s)
{
	char *p = line, *magic = field(&p), *ver = field(&p), *count = field(&p),
	     *check = field(&p);
	uint64_t v = 0;

	if (!magic || strcmp(magic, "hostiam-grants") != 0 || !ver || strcmp(ver, "1") != 0 ||
	    !count || hostiam_parse_ulong(count, 0, HOSTIAM_GRANTS_CACHE_MAX, &s->count) < 0 ||
	    !check || strlen(check) != 16 || p != NULL)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	for (int i = 0; i < 16; i++) {
		char c = check[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		v = v << 4 | (uint64_t)d;
	}
	s->check = v;
	return 0;
}

/* "ID USER GID NOT_BEFORE NOT_AFTER": checked; kept when USER is ours. */
static int entry(char *line, struct scan *s)
{
	char *p = line, *id = field(&p), *user = field(&p), *gid = field(&p), *nb = field(&p),
	     *na = field(&p);
	unsigned long v[4];

	if (!na || p != NULL || !hostiam_valid_user_name(user) ||
	    hostiam_parse_ulong(id, 1, 1000000000UL, &v[0]) < 0 ||
	    hostiam_parse_ulong(gid, 0, 4294967294UL, &v[1]) < 0 ||
	    hostiam_parse_ulong(nb, 0, TIME_LIMIT, &v[2]) < 0 ||
	    hostiam_parse_ulong(na, 0, TIME_LIMIT, &v[3]) < 0 || v[3] <= v[2] || v[0] <= s->last_id)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	s->last_id = v[0];
	if (strcmp(user, s->user) != 0 || s->found >= s->max)
		return 0;
	s->out[s->found++] = (struct hostiam_grant_entry){ .id = v[0],
							   .gid = (uint32_t)v[1],
							   .not_before = (int64_t)v[2],
							   .not_after = (int64_t)v[3] };
	return 0;
}

/* Read fd line by line through buf; the body's lines go to entry() and into the check. */
static int scan_fd(int fd, struct scan *s)
{
	char buf[LINE_MAX_LEN * 2], line[LINE_MAX_LEN];
	size_t have = 0, total = 0;
	uint64_t h = 0xcbf29ce484222325ULL;
	ssize_t n;
	int r;

	for (;;) {
		char *nl;

		while ((nl = memchr(buf, '\n', have)) != NULL) {
			size_t len = (size_t)(nl - buf);

			if (len >= sizeof(line))
				return HOSTIAM_ERR_CACHE_CORRUPT;
			memcpy(line, buf, len);
			line[len] = '\0';
			if (s->lines > 0)
				h = fnv(h, buf, len + 1);
			if (memchr(line, '\0', len))
				return HOSTIAM_ERR_CACHE_CORRUPT;
			r = s->lines++ == 0 ? header(line, s) : entry(line, s);
			if (r < 0 || s->lines > s->count + 1)
				return HOSTIAM_ERR_CACHE_CORRUPT;
			memmove(buf, nl + 1, have - len - 1);
			have -= len + 1;
		}
		if (have >= LINE_MAX_LEN)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		do
			n = read(fd, buf + have, sizeof(buf) - have);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return HOSTIAM_ERR_SYSTEM;
		if (n == 0)
			break;
		have += (size_t)n;
		if ((total += (size_t)n) > HOSTIAM_GRANTS_CACHE_MAX)
			return HOSTIAM_ERR_CACHE_CORRUPT;
	}
	if (have != 0 || s->lines != s->count + 1 || h != s->check)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return 0;
}

/* See grants_cache.h. */
int hostiam_grants_cache_read(const char *path, const char *user, struct hostiam_grant_entry *out,
			      size_t max)
{
	struct scan s = { .user = user, .out = out, .max = max };
	struct stat st;
	int fd, r;

	if (path == NULL || user == NULL || (out == NULL && max > 0))
		return HOSTIAM_ERR_INVALID_ARG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? HOSTIAM_ERR_CACHE_MISSING :
			errno == ELOOP ? HOSTIAM_ERR_INSECURE_FILE :
					 HOSTIAM_ERR_SYSTEM;
	if (fstat(fd, &st) < 0)
		r = HOSTIAM_ERR_SYSTEM;
	else if (!S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
		 (st.st_mode & 022) != 0)
		r = HOSTIAM_ERR_INSECURE_FILE;
	else if (st.st_size > HOSTIAM_GRANTS_CACHE_MAX)
		r = HOSTIAM_ERR_CACHE_CORRUPT;
	else
		r = scan_fd(fd, &s);
	close(fd);
	return r < 0 ? r : (int)s.found;
}
