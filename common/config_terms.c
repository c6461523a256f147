/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The `terms` list (terms of use a rule may require) and the rule key `terms` that names
 * one: each rule's name is resolved once everything is read, since `terms` may come after
 * `access` in the file.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define T(field) offsetof(struct hostiam_terms, field)

/* Names and versions go into state records and log lines: a tight alphabet, no spaces. */
static bool valid_token(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > HOSTIAM_TERMS_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* name and version: a token (see valid_token). */
static void parse_token(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);

	if (!valid_token(v)) {
		cfg_error(ctx, s, "\"%s\" must be 1 to %d of A-Z a-z 0-9 . _ -", v,
			  HOSTIAM_TERMS_NAME_MAX);
		return;
	}
	cfg_parse_string(ctx, s, base, k);
}

static const struct cfg_key terms_keys[] = {
	{ "name", CFG_STRING, parse_token, T(name), 0, 0, NULL, NULL },
	{ "version", CFG_STRING, parse_token, T(version), 0, 0, NULL, NULL },
	{ "file", CFG_STRING, cfg_parse_path, T(file), 0, 0, NULL, NULL },
	{ "reaccept_days", CFG_INT, cfg_parse_int, T(reaccept_days), 0, 36500, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* A name may be listed once: rules refer to terms by name. */
static void check_unique(struct cfg_ctx *ctx, const config_setting_t *s,
			 const struct hostiam_terms *list, size_t n)
{
	const struct hostiam_terms *t = &list[n];

	for (size_t i = 0; t->name && i < n; i++)
		if (list[i].name && strcmp(list[i].name, t->name) == 0)
			cfg_error(ctx, config_setting_get_member(s, "name"),
				  "terms \"%s\" are already listed (line %d)", t->name,
				  list[i].line);
}

/* One entry: its table, then the keys without which nothing can be shown or recorded. */
static void parse_entry(struct cfg_ctx *ctx, const config_setting_t *s, struct hostiam_terms *list,
			size_t n)
{
	struct hostiam_terms *t = &list[n];

	t->line = (int)config_setting_source_line(s);
	if (!config_setting_is_group(s)) {
		cfg_error(ctx, s, "expected { name = ...; version = ...; file = ...; }");
		return;
	}
	cfg_apply(ctx, s, terms_keys, t);
	cfg_require(ctx, s, "name");
	cfg_require(ctx, s, "version");
	cfg_require(ctx, s, "file");
	check_unique(ctx, s, list, n);
}

/* The terms list, in file order. */
void cfg_parse_terms(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		     const struct cfg_key *k)
{
	struct hostiam_config *cfg = base;
	int n = config_setting_length(s);

	if (n == 0)
		return;
	cfg->terms = calloc((size_t)n, sizeof(*cfg->terms));
	if (cfg->terms == NULL) {
		cfg_oom(ctx);
		return;
	}
	for (cfg->n_terms = 0; cfg->n_terms < (size_t)n; cfg->n_terms++)
		parse_entry(ctx, config_setting_get_elem(s, (unsigned)cfg->n_terms), cfg->terms,
			    cfg->n_terms);
}

/* Rule key terms: a token; which entry it names is settled in cfg_terms_finish. */
void cfg_parse_rule_terms(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			  const struct cfg_key *k)
{
	parse_token(ctx, s, base, k);
}

/* Resolve rule r's terms (its setting s) to an entry; unknown names are mistakes. */
static void resolve(struct cfg_ctx *ctx, const config_setting_t *s, struct hostiam_config *cfg,
		    struct hostiam_rule *r)
{
	for (size_t i = 0; i < cfg->n_terms; i++) {
		if (cfg->terms[i].name && strcmp(cfg->terms[i].name, r->terms_name) == 0) {
			r->terms_index = (int)i;
			return;
		}
	}
	cfg_error(ctx, s, "no terms named \"%s\" in the terms list", r->terms_name);
}

/*
 * Every rule's terms: only on rules that let in (allow, mfa), and naming a listed entry.
 * rules is the access.rules setting (NULL when absent).
 */
void cfg_terms_finish(struct cfg_ctx *ctx, const config_setting_t *rules,
		      struct hostiam_config *cfg)
{
	for (size_t i = 0; i < cfg->access.n_rules; i++) {
		struct hostiam_rule *r = &cfg->access.rules[i];
		const config_setting_t *e = NULL, *s = NULL;

		r->terms_index = -1;
		if (rules)
			e = config_setting_get_elem(rules, (unsigned)i);
		if (e && config_setting_is_group(e))
			s = config_setting_get_member(e, "terms");
		if (r->terms_name == NULL || s == NULL)
			continue;
		if (r->action == HOSTIAM_ACTION_DENY)
			cfg_error(ctx, s,
				  "only allowed with action = \"allow\" or \"mfa\" (this rule "
				  "says \"deny\")");
		else
			resolve(ctx, s, cfg, r);
	}
}

/* Free the list (safe on a half-parsed one). */
void cfg_terms_free(struct hostiam_config *cfg)
{
	for (size_t i = 0; i < cfg->n_terms; i++) {
		free(cfg->terms[i].name);
		free(cfg->terms[i].version);
		free(cfg->terms[i].file);
	}
	free(cfg->terms);
	cfg->terms = NULL;
	cfg->n_terms = 0;
}
