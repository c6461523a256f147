/* SPDX-License-Identifier: BSD-2-Clause */
/* access.rules: each rule's conditions and action, and the checks across keys and rules. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "parse_num.h"

#define R(field) offsetof(struct hostiam_rule, field)

/* Room for one parsed item per entry of the string-or-list s; an empty list is a mistake. */
static int alloc_items(struct cfg_ctx *ctx, const config_setting_t *s, void **items,
		       size_t *n_items, size_t size)
{
	int n = cfg_items(s);

	if (n == 0) {
		cfg_error(ctx, s, "the list must not be empty");
		return -1;
	}
	free(*items);
	*n_items = 0;
	if ((*items = calloc((size_t)n, size)) == NULL) {
		cfg_oom(ctx);
		return -1;
	}
	return 0;
}

/* from: CIDRs, bare addresses and "local"; each bad item reported on its own line. */
static void parse_from(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		       const struct cfg_key *k)
{
	struct hostiam_rule *r = base;
	int i, n = cfg_items(s);
	char why[200];

	r->has_from = true;
	if (alloc_items(ctx, s, (void **)&r->from, &r->n_from, sizeof(*r->from)) < 0)
		return;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = cfg_item(s, i);
		const char *v = config_setting_get_string(e);

		if (v == NULL)
			cfg_error_at(ctx, e, s, NULL, "item %d: expected a string", i);
		else if (strcmp(v, "local") == 0)
			r->from_local = true;
		else if (hostiam_cidr_parse_msg(v, &r->from[r->n_from], why, sizeof(why)) < 0)
			cfg_error_at(ctx, e, s, NULL, "%s", why);
		else
			r->n_from++;
	}
}

/* time: "DAYS HH:MM-HH:MM" windows. */
static void parse_time(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		       const struct cfg_key *k)
{
	struct hostiam_rule *r = base;
	int i, n = cfg_items(s);
	char why[200];

	if (alloc_items(ctx, s, (void **)&r->times, &r->n_times, sizeof(*r->times)) < 0)
		return;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = cfg_item(s, i);
		const char *v = config_setting_get_string(e);

		if (v == NULL)
			cfg_error_at(ctx, e, s, NULL, "item %d: expected a string", i);
		else if (hostiam_time_window_parse_msg(v, &r->times[r->n_times], why, sizeof(why)) <
			 0)
			cfg_error_at(ctx, e, s, NULL, "%s", why);
		else
			r->n_times++;
	}
}

/*
 * "YYYY-MM-DD", a real calendar date, as YYYYMMDD. The instant it ends at is computed in
 * cfg_access_finish, once the zone is known (access.timezone may come after the rules).
 */
static int parse_date(const char *v, unsigned long *out)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned long y, m, d;
	bool leap;

	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' ||
	    hostiam_parse_ulong_n(v, 4, 1970, 9999, &y) < 0 ||
	    hostiam_parse_ulong_n(v + 5, 2, 1, 12, &m) < 0 ||
	    hostiam_parse_ulong_n(v + 8, 2, 1, 31, &d) < 0)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if ((int)d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return -1;
	*out = y * 10000 + m * 100 + d;
	return 0;
}

/* enrol_by: a calendar date. */
static void parse_enrol_by(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			   const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);

	if (parse_date(v, CFG_FIELD(base, k, unsigned long)) < 0)
		cfg_error(ctx, s, "\"%s\" is not a date YYYY-MM-DD", v);
}

static const struct cfg_key rule_keys[] = {
	{ "name", CFG_STRING, cfg_parse_string, R(name), 0, 0, NULL, NULL },
	{ "user", CFG_STRINGS, cfg_parse_strings, R(users), 1, 0, NULL, NULL },
	{ "group", CFG_STRINGS, cfg_parse_strings, R(groups), 1, 0, NULL, NULL },
	{ "service", CFG_STRINGS, cfg_parse_strings, R(services), 1, 0, NULL, NULL },
	{ "from", CFG_STRINGS, parse_from, 0, 0, 0, NULL, NULL },
	{ "tty", CFG_STRINGS, cfg_parse_strings, R(ttys), 1, 0, NULL, NULL },
	{ "time", CFG_STRINGS, parse_time, 0, 0, 0, NULL, NULL },
	{ "inactive_days", CFG_INT, cfg_parse_int, R(inactive_days), 1, 36500, NULL, NULL },
	{ "certified_within", CFG_INT, cfg_parse_int, R(certified_within), 1, 36500, NULL, NULL },
	{ "enrolled", CFG_BOOL, cfg_parse_tristate, R(enrolled), 0, 0, NULL, NULL },
	{ "offline", CFG_BOOL, cfg_parse_tristate, R(offline), 0, 0, NULL, NULL },
	{ "action", CFG_STRING, cfg_parse_enum, R(action), 0, 0, cfg_action_values, NULL },
	{ "mfa_max_age", CFG_INT, cfg_parse_long, R(mfa_max_age), 0, 31536000, NULL, NULL },
	{ "enrol_by", CFG_STRING, parse_enrol_by, R(enrol_by_date), 0, 0, NULL, NULL },
	{ "message", CFG_STRING, cfg_parse_string, R(message), 0, 0, NULL, NULL },
	{ "terms", CFG_STRING, cfg_parse_rule_terms, R(terms_name), 0, 0, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* mfa_max_age and enrol_by only make sense when the rule asks for MFA. */
static void check_mfa_only(struct cfg_ctx *ctx, const config_setting_t *s)
{
	static const char *const keys[] = { "mfa_max_age", "enrol_by" };
	const config_setting_t *a = config_setting_get_member(s, "action");
	const char *name;
	int action;
	size_t i;

	/* A missing or unknown action is reported already; don't pile guesses on top. */
	if (a == NULL || (name = config_setting_get_string(a)) == NULL ||
	    cfg_enum_lookup(cfg_action_values, name, &action) < 0 || action == HOSTIAM_ACTION_MFA)
		return;
	for (i = 0; i < 2; i++) {
		const config_setting_t *e = config_setting_get_member(s, keys[i]);

		if (e)
			cfg_error(ctx, e,
				  "only allowed with action = \"mfa\" (this rule says \"%s\")",
				  name);
	}
}

/* Rule names must be unique: traces and logs refer to rules by name. */
static void check_unique(struct cfg_ctx *ctx, const config_setting_t *s,
			 const struct hostiam_rule *rules, size_t n)
{
	const struct hostiam_rule *r = &rules[n];
	size_t i;

	if (r->name == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (rules[i].name && strcmp(rules[i].name, r->name) == 0) {
			cfg_error(ctx, config_setting_get_member(s, "name"),
				  "duplicate rule name \"%s\" (first used on line %d)", r->name,
				  rules[i].line);
			return;
		}
	}
}

/* One rule: defaults, its table, then the checks across its keys. */
static void parse_rule(struct cfg_ctx *ctx, const config_setting_t *s, struct hostiam_rule *rules,
		       size_t n)
{
	struct hostiam_rule *r = &rules[n];

	r->line = (int)config_setting_source_line(s);
	r->inactive_days = -1;
	r->certified_within = -1;
	r->enrolled = HOSTIAM_UNSET;
	r->offline = HOSTIAM_UNSET;
	r->action = HOSTIAM_ACTION_DENY;
	r->mfa_max_age = -1;
	r->terms_index = -1;
	if (!config_setting_is_group(s)) {
		cfg_error(ctx, s, "expected a rule { name = ...; action = ...; }");
		return;
	}
	cfg_apply(ctx, s, rule_keys, r);
	cfg_require(ctx, s, "name");
	cfg_require(ctx, s, "action");
	check_mfa_only(ctx, s);
	check_unique(ctx, s, rules, n);
}

/* The rules list, in file order (first match wins). */
void cfg_parse_rules(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		     const struct cfg_key *k)
{
	struct hostiam_access_config *a = base;
	int n = config_setting_length(s);

	if (n == 0)
		return;
	a->rules = calloc((size_t)n, sizeof(*a->rules));
	if (a->rules == NULL) {
		cfg_oom(ctx);
		return;
	}
	for (a->n_rules = 0; a->n_rules < (size_t)n; a->n_rules++)
		parse_rule(ctx, config_setting_get_elem(s, (unsigned)a->n_rules), a->rules,
			   a->n_rules);
}
