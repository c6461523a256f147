/* SPDX-License-Identifier: BSD-2-Clause */
/* The `elevation` list: which groups may be granted for a while, to whom, approved by whom. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "duration.h"
#include "names.h"

#define E(field) offsetof(struct hostiam_elevation, field)

static const struct cfg_enum reasons[] = {
	{ "required", HOSTIAM_REASON_REQUIRED },
	{ "optional", HOSTIAM_REASON_OPTIONAL },
	{ NULL, 0 },
};

/* role: a group name as NSS could know it. */
static void parse_role(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		       const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);

	if (!hostiam_valid_group_name(v)) {
		cfg_error(ctx, s, "\"%s\" is not a valid group name", v);
		return;
	}
	cfg_parse_string(ctx, s, base, k);
}

/* max: a duration such as "4h" (see duration.h). */
static void parse_max(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		      const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);

	if (hostiam_duration_parse(v, CFG_FIELD(base, k, long)) < 0)
		cfg_error(
			ctx, s,
			"\"%s\" is not a duration such as \"30m\", \"4h\" or \"1d\" (at most 366d)",
			v);
}

static const struct cfg_key elevation_keys[] = {
	{ "role", CFG_STRING, parse_role, E(role), 0, 0, NULL, NULL },
	{ "eligible", CFG_STRINGS, cfg_parse_strings, E(eligible), 1, 0, NULL, NULL },
	{ "approvers", CFG_STRINGS, cfg_parse_strings, E(approvers), 1, 0, NULL, NULL },
	{ "max", CFG_STRING, parse_max, E(max), 0, 0, NULL, NULL },
	{ "mfa", CFG_BOOL, cfg_parse_bool, E(mfa), 0, 0, NULL, NULL },
	{ "reason", CFG_STRING, cfg_parse_enum, E(reason), 0, 0, reasons, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* A role may be listed once: two entries would make "which max applies" a guess. */
static void check_unique(struct cfg_ctx *ctx, const config_setting_t *s,
			 const struct hostiam_elevation *list, size_t n)
{
	const struct hostiam_elevation *e = &list[n];

	for (size_t i = 0; e->role && i < n; i++)
		if (list[i].role && strcmp(list[i].role, e->role) == 0)
			cfg_error(ctx, config_setting_get_member(s, "role"),
				  "role \"%s\" is already listed (line %d)", e->role, list[i].line);
}

/* One entry: its table, then every key that carries authority must be there. */
static void parse_entry(struct cfg_ctx *ctx, const config_setting_t *s,
			struct hostiam_elevation *list, size_t n)
{
	struct hostiam_elevation *e = &list[n];

	e->line = (int)config_setting_source_line(s);
	e->reason = HOSTIAM_REASON_REQUIRED;
	if (!config_setting_is_group(s)) {
		cfg_error(ctx, s,
			  "expected { role = ...; eligible = ...; approvers = ...; max = ...; }");
		return;
	}
	cfg_apply(ctx, s, elevation_keys, e);
	cfg_require(ctx, s, "role");
	cfg_require(ctx, s, "eligible");
	cfg_require(ctx, s, "approvers");
	cfg_require(ctx, s, "max");
	check_unique(ctx, s, list, n);
}

/* The elevation list, in file order. */
void cfg_parse_elevation(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			 const struct cfg_key *k)
{
	struct hostiam_config *cfg = base;
	int n = config_setting_length(s);

	if (n == 0)
		return;
	cfg->elevation = calloc((size_t)n, sizeof(*cfg->elevation));
	if (cfg->elevation == NULL) {
		cfg_oom(ctx);
		return;
	}
	for (cfg->n_elevation = 0; cfg->n_elevation < (size_t)n; cfg->n_elevation++)
		parse_entry(ctx, config_setting_get_elem(s, (unsigned)cfg->n_elevation),
			    cfg->elevation, cfg->n_elevation);
}

/* Free the list (safe on a half-parsed one). */
void cfg_elevation_free(struct hostiam_config *cfg)
{
	for (size_t i = 0; i < cfg->n_elevation; i++) {
		free(cfg->elevation[i].role);
		cfg_strlist_free(&cfg->elevation[i].eligible);
		cfg_strlist_free(&cfg->elevation[i].approvers);
	}
	free(cfg->elevation);
	cfg->elevation = NULL;
	cfg->n_elevation = 0;
}
