/* SPDX-License-Identifier: BSD-2-Clause */
/* The `cache` section: where the cache files and the local state live. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define C(field) offsetof(struct hostiam_cache_config, field)

const struct cfg_key cfg_cache_keys[] = {
	{ "dir", CFG_STRING, cfg_parse_path, C(dir), 0, 0, NULL, NULL },
	{ "max_age", CFG_INT, cfg_parse_long, C(max_age), 0, INT64_MAX, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* Defaults that need no allocation. */
void cfg_cache_defaults(struct hostiam_cache_config *c)
{
	c->max_age = 86400;
}

/* dir + "/" + name, without doubling a trailing slash of dir. */
static char *join(struct cfg_ctx *ctx, const char *dir, const char *name)
{
	size_t dlen = strlen(dir), len;
	char *p;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	len = dlen + 1 + strlen(name) + 1;
	p = malloc(len);
	if (p == NULL) {
		cfg_oom(ctx);
		return NULL;
	}
	snprintf(p, len, "%.*s%s%s", (int)dlen, dir, dir[dlen - 1] == '/' ? "" : "/", name);
	return p;
}

/* The default directory and the paths derived from it. */
void cfg_cache_finish(struct cfg_ctx *ctx, struct hostiam_cache_config *c)
{
	cfg_default_string(ctx, &c->dir, LOCALSTATEDIR "/lib/hostiam");
	if (c->dir == NULL)
		return;
	c->nss_path = join(ctx, c->dir, "nss.cache");
	c->auth_path = join(ctx, c->dir, "auth.cache");
	c->state_dir = join(ctx, c->dir, "state");
}
