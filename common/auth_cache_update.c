/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth.cache changed in place of rewritten: the agent publishes one directory change by
 * copying the unchanged lines of the sorted format 3 file and formatting only the lines of
 * the users that changed. Every copied line is checked as a lookup checks it, so damage is
 * refused here (the caller then writes the file whole) rather than carried on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "auth_cache.h"
#include "auth_cache_internal.h"
#include "errors.h"
#include "mfa_files.h"
#include "totp.h"

/* user (len bytes, no NUL) against the NUL-terminated name, in the file's order. */
static int compare(const char *user, size_t len, const char *name)
{
	size_t n = strlen(name);
	int c = memcmp(user, name, len < n ? len : n);

	return c ? c : len < n ? -1 : len > n;
}

/* Order of drop names. */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True if user (len bytes) is among the sorted names v[0..n). */
static bool listed(const char *const *v, size_t n, const char *user, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = compare(user, len, v[mid]);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* The merge of one sorted file body with the sorted changes. */
struct merge {
	const struct hostiam_auth_entry **set;
	size_t n_set, next;
	const char **drop;
	size_t n_drop;
	char *out;
	size_t size, at;
};

/* Emit the new lines of users ordered before user (len bytes; NULL: all that remain). */
static void emit_before(struct merge *m, const char *user, size_t len)
{
	for (; m->next < m->n_set; m->next++) {
		const struct hostiam_auth_entry *e = m->set[m->next];

		if (user && compare(user, len, e->user) <= 0)
			return;
		auth_cache_format_line(e, m->out, m->size, &m->at);
	}
}

/* Copy the checked, ordered lines of the body at [p, end) with the changes merged in. */
static int merge_body(struct merge *m, const char *p, const char *end)
{
	const char *prev = NULL;
	size_t prev_len = 0;

	while (p < end) {
		const char *nl = NULL;
		struct auth_line l;

		if (!auth_cache_parse_line(p, end, 3, &l, &nl))
			return HOSTIAM_ERR_CACHE_CORRUPT;
		if (prev) {
			int c = memcmp(prev, l.user, prev_len < l.user_len ? prev_len : l.user_len);

			if (c > 0 || (c == 0 && prev_len >= l.user_len))
				return HOSTIAM_ERR_CACHE_CORRUPT;
		}
		prev = l.user;
		prev_len = l.user_len;
		emit_before(m, l.user, l.user_len);
		/* A user with a new line, or dropped, loses the old one. */
		if (!(m->next < m->n_set &&
		      compare(l.user, l.user_len, m->set[m->next]->user) == 0) &&
		    !listed((const char *const *)m->drop, m->n_drop, l.user, l.user_len)) {
			memcpy(m->out + m->at, p, (size_t)(nl + 1 - p));
			m->at += (size_t)(nl + 1 - p);
		}
		p = nl + 1;
	}
	emit_before(m, NULL, 0);
	return 0;
}

/* Sorted copies of the changes in *m; the new lines are checked. */
static int prepare(struct merge *m, const struct hostiam_auth_entry *set, size_t n_set,
		   const char *const *drop, size_t n_drop, size_t *extra)
{
	int r;

	*extra = 0;
	for (size_t i = 0; i < n_set; i++) {
		if (!auth_cache_entry_valid(&set[i]))
			return HOSTIAM_ERR_INVALID_ARG;
		*extra += auth_cache_line_size(&set[i]);
	}
	if ((r = auth_cache_sort_entries(set, n_set, &m->set)) < 0)
		return r;
	m->n_set = n_set;
	if (!(m->drop = calloc(n_drop ? n_drop : 1, sizeof(*m->drop))))
		return HOSTIAM_ERR_NOMEM;
	if (n_drop > 0) /* drop may be NULL then */
		memcpy(m->drop, drop, n_drop * sizeof(*drop));
	qsort(m->drop, n_drop, sizeof(*m->drop), by_name);
	m->n_drop = n_drop;
	return 0;
}

/* The merged text of the mapped file and the changes into m->out. */
static int merge_file(struct merge *m, const char *text, size_t len, size_t extra)
{
	if (len < HEADER_V3_LEN || memcmp(text, HEADER_V3, HEADER_V3_LEN) != 0)
		return HOSTIAM_ERR_CACHE_VERSION;
	m->size = len + extra + 1;
	if (m->size > AUTH_CACHE_MAX)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!(m->out = malloc(m->size)))
		return HOSTIAM_ERR_NOMEM;
	memcpy(m->out, HEADER_V3, HEADER_V3_LEN);
	m->at = HEADER_V3_LEN;
	return merge_body(m, text + HEADER_V3_LEN, text + len);
}

int hostiam_auth_cache_update(const char *path, const struct hostiam_auth_entry *set, size_t n_set,
			      const char *const *drop, size_t n_drop)
{
	struct merge m = { 0 };
	const char *base, *text = NULL;
	size_t len = 0, extra;
	int dfd = -1, r;

	if (!path || (!set && n_set) || (!drop && n_drop))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = prepare(&m, set, n_set, drop, n_drop, &extra)) < 0)
		goto out;
	if ((r = auth_cache_open_parent(path, &dfd, &base)) < 0)
		goto out;
	if ((r = auth_cache_map(dfd, base, path, &text, &len)) < 0)
		goto out;
	r = merge_file(&m, text, len, extra);
	if (len > 0)
		munmap((void *)text, len);
	if (r == 0)
		r = mfa_replace_file(dfd, base, m.out, m.at);
out:
	if (m.out)
		hostiam_secret_wipe(m.out, m.size);
	free(m.set);
	free(m.drop);
	if (dfd >= 0)
		close(dfd);
	return r;
}
