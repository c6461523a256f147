/* SPDX-License-Identifier: BSD-2-Clause */
/* The user's groups as the grants make them at the request's time (see grants.h). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "grants.h"
#include "grants_cache.h"
#include "log.h"
#include "request.h"

#define BUF_START 1024
#define BUF_MAX (1024 * 1024)

/*
 * The name of gid and whether user holds it without a grant (primary, or a listed member);
 * *name NULL when NSS has no such group.
 */
static int group_facts(gid_t gid, const char *user, gid_t primary, char **name, bool *standing)
{
	struct group gr, *res = NULL;
	size_t len = BUF_START;
	char *buf = NULL, *grown;
	int e, r = 0;

	*name = NULL;
	*standing = gid == primary;
	do {
		if ((grown = realloc(buf, len)) == NULL) {
			free(buf);
			return HOSTIAM_ERR_NOMEM;
		}
		buf = grown;
		e = getgrgid_r(gid, &gr, buf, len, &res);
		len *= 2;
	} while (e == ERANGE && len <= BUF_MAX);
	if (e == 0 && res != NULL) {
		for (char **m = gr.gr_mem; m && *m && !*standing; m++)
			*standing = strcmp(*m, user) == 0;
		if ((*name = strdup(gr.gr_name)) == NULL)
			r = HOSTIAM_ERR_NOMEM;
	}
	free(buf);
	return r;
}

/* Index of name in ctx->groups, or -1. */
static long find_group(const struct hostiam_request_ctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->n_groups; i++)
		if (strcmp(ctx->groups[i], name) == 0)
			return (long)i;
	return -1;
}

/* Drop group i (NSS listed it for a grant not active at the request's time). */
static void drop_group(struct hostiam_request_ctx *ctx, size_t i)
{
	free(ctx->groups[i]);
	memmove(&ctx->groups[i], &ctx->groups[i + 1], (ctx->n_groups - i - 1) * sizeof(char *));
	memmove(&ctx->group_grants[i], &ctx->group_grants[i + 1],
		(ctx->n_groups - i - 1) * sizeof(ctx->group_grants[0]));
	ctx->n_groups--;
}

/* Append name (owned from now on) as granted by e. */
static int add_group(struct hostiam_request_ctx *ctx, char *name,
		     const struct hostiam_grant_entry *e)
{
	char **g = realloc(ctx->groups, (ctx->n_groups + 1) * sizeof(*g));

	if (g == NULL) {
		free(name);
		return HOSTIAM_ERR_NOMEM;
	}
	ctx->groups = g;
	ctx->groups[ctx->n_groups] = name;
	ctx->group_grants[ctx->n_groups] = (struct hostiam_group_grant){ e->id,
									 (time_t)e->not_before,
									 (time_t)e->not_after };
	ctx->n_groups++;
	return 0;
}

/* One grant of the user: keep, drop or add its role's group at now. */
static int apply_one(struct hostiam_request_ctx *ctx, const struct hostiam_grant_entry *e,
		     gid_t primary, time_t now)
{
	bool active = now >= e->not_before && now < e->not_after, standing;
	char *name;
	long i;
	int r = group_facts((gid_t)e->gid, ctx->user, primary, &name, &standing);

	if (r < 0 || name == NULL || standing) {
		free(name);
		return r;
	}
	i = find_group(ctx, name);
	if (i >= 0 && !active) {
		drop_group(ctx, (size_t)i);
	} else if (i >= 0) {
		ctx->group_grants[i] = (struct hostiam_group_grant){ e->id, (time_t)e->not_before,
								     (time_t)e->not_after };
	} else if (active) {
		return add_group(ctx, name, e);
	}
	free(name);
	return 0;
}

/* See grants.h. */
int hostiam_request_grants(const struct hostiam_config *cfg, struct hostiam_request_ctx *ctx,
			   gid_t primary, time_t now)
{
	struct hostiam_grant_entry e[HOSTIAM_GRANTS_PER_USER];
	char path[4096];
	int n, r = 0;

	if (hostiam_grants_cache_path(cfg, path, sizeof(path)) < 0)
		return 0;
	n = hostiam_grants_cache_read(path, ctx->user, e, HOSTIAM_GRANTS_PER_USER);
	if (n < 0 && n != HOSTIAM_ERR_CACHE_MISSING)
		hostiam_log(LOG_WARNING, "grants.cache ignored: %s path=%s", hostiam_strerror(n),
			    path);
	if (n <= 0)
		return 0;
	/* Room for every group NSS gave plus one per grant. */
	ctx->group_grants = calloc(ctx->n_groups + (size_t)n, sizeof(*ctx->group_grants));
	if (ctx->group_grants == NULL)
		return HOSTIAM_ERR_NOMEM;
	for (int i = 0; i < n && r == 0; i++)
		r = apply_one(ctx, &e[i], primary, now);
	return r;
}
