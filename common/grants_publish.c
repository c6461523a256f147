/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing grants.cache from the store: the approved grants that have not ended yet. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "file_io.h"
#include "grants.h"
#include "grants_cache.h"

#define HEADER_MAX 64

/* True when g belongs in grants.cache at now: approved, its window not over. */
static bool published(const struct hostiam_grant *g, time_t now)
{
	return g->status == HOSTIAM_GRANT_APPROVED && g->not_after > now &&
		g->not_after > g->not_before;
}

/* The body: one line per published grant; its length, or an error when it is too big. */
static int format_body(const struct hostiam_grant_list *l, time_t now, char *buf, size_t cap,
		       size_t *len, unsigned long *count)
{
	size_t used = 0;

	*count = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct hostiam_grant *g = &l->items[i];
		int n;

		if (!published(g, now))
			continue;
		n = snprintf(buf + used, cap - used, "%lu %s %lu %lld %lld\n", g->id, g->requester,
			     (unsigned long)g->gid, (long long)g->not_before,
			     (long long)g->not_after);
		if (n < 0 || (size_t)n >= cap - used)
			return HOSTIAM_ERR_TOO_SMALL;
		used += (size_t)n;
		(*count)++;
	}
	*len = used;
	return 0;
}

struct text {
	const char *p;
	size_t len;
};

/* hostiam_replace_path's writer: the text as it is. */
static int write_text(int fd, void *ctx)
{
	const struct text *t = ctx;

	return hostiam_write_all(fd, t->p, t->len) == 0 ? 0 : HOSTIAM_ERR_SYSTEM;
}

/* Replace path with len bytes of p, world-readable: NSS readers are every user. */
static int write_file(const char *path, const char *p, size_t len)
{
	struct text t = { p, len };
	const struct hostiam_replace_ops ops = { write_text, NULL, &t };

	return hostiam_replace_path(path, 0644, &ops);
}

/* See grants_cache.h. */
int hostiam_grants_cache_publish(const char *path, const struct hostiam_grant_list *l, time_t now)
{
	char *buf = malloc(HOSTIAM_GRANTS_CACHE_MAX + 1);
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned long count;
	size_t len, hlen;
	int r;

	if (buf == NULL)
		return HOSTIAM_ERR_NOMEM;
	r = format_body(l, now, buf + HEADER_MAX, HOSTIAM_GRANTS_CACHE_MAX - HEADER_MAX, &len,
			&count);
	if (r == 0) {
		char header[HEADER_MAX];

		for (size_t i = 0; i < len; i++)
			h = (h ^ (uint8_t)buf[HEADER_MAX + i]) * 0x100000001b3ULL;
		hlen = (size_t)snprintf(header, sizeof(header), "hostiam-grants 1 %lu %016llx\n",
					count, (unsigned long long)h);
		memcpy(buf + HEADER_MAX - hlen, header, hlen);
		r = write_file(path, buf + HEADER_MAX - hlen, hlen + len);
	}
	free(buf);
	return r;
}
