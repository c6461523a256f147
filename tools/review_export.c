/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam review for programs: one JSON document, or RFC 4180 CSV with a header row. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "csv_out.h"
#include "json_out.h"
#include "policy.h"
#include "review.h"
#include "terms_print.h"

/* A UNIX time, or null for 0 (none recorded). */
static void json_time(struct json_out *j, const char *key, time_t t)
{
	json_kv_opt_int(j, key, (long long)t, t != 0);
}

/* The same time as RFC 3339 UTC, or null. */
static void json_time_iso(struct json_out *j, const char *key, time_t t)
{
	char buf[64];

	cli_format_utc(t, buf, sizeof(buf));
	json_kv_str(j, key, t ? buf : NULL);
}

/* {"decision", "policy_decision", "rule"}; undecidable cells say "error" or "unknown-user". */
static void json_cell(struct json_out *j, const char *key, const struct review_cell *c)
{
	json_key(j, key);
	json_object_begin(j);
	json_kv_str(j, "decision", hostiam_action_name(c->action));
	json_kv_str(j, "policy_decision", hostiam_action_name(c->policy_action));
	json_kv_str(j, "rule", c->rule);
	json_object_end(j);
}

/* "flags": [ ... ] */
static void json_flags(struct json_out *j, const struct review_user *u)
{
	const char *words[REVIEW_MAX_FLAGS];
	size_t i, n = review_flag_words(u, words);

	json_key(j, "flags");
	json_array_begin(j);
	for (i = 0; i < n; i++)
		json_str(j, words[i]);
	json_array_end(j);
}

/* "account": the state, the attribute that decided, the days the password has left. */
static void json_account(struct json_out *j, const struct review_report *r,
			 const struct review_user *u)
{
	const struct hostiam_account_verdict *v = &u->account;

	json_key(j, "account");
	json_object_begin(j);
	json_kv_str(j, "state",
		    u->account_unknown ? "unknown" : hostiam_account_status_name(v->status));
	json_kv_str(j, "attribute",
		    v->attr >= 0 ? hostiam_account_attr_name(r->cfg, v->attr) : NULL);
	json_kv_opt_int(j, "password_expires_in_days", v->password_days, v->password_days >= 0);
	json_object_end(j);
}

/* One user object. */
static void json_user(struct json_out *j, const struct review_report *r,
		      const struct review_user *u)
{
	size_t i;

	json_object_begin(j);
	json_kv_str(j, "name", u->name);
	json_kv_int(j, "uid", u->uid);
	json_kv_str(j, "source", u->directory ? "directory" : "local");
	json_key(j, "groups");
	json_array_begin(j);
	for (i = 0; i < u->n_groups; i++)
		json_str(j, u->groups[i]);
	json_array_end(j);
	json_kv_opt_bool(j, "mfa_enrolled", u->enrolled == HOSTIAM_TRUE,
			 u->enrolled != HOSTIAM_UNSET);
	json_time(j, "last_login", u->last_login);
	json_time_iso(j, "last_login_utc", u->last_login);
	json_kv_opt_int(j, "days_inactive", u->days_inactive, u->days_inactive >= 0);
	json_flags(j, u);
	json_account(j, r, u);
	json_kv_str(j, "error", u->error);
	if (r->cfg->n_terms > 0)
		terms_print_json(j, r->cfg,
				 &(struct terms_user){ u->name, u->terms, u->n_terms, NULL },
				 r->now);
	review_certify_json(j, r, u);
	json_key(j, "decisions");
	json_object_begin(j);
	for (i = 0; i < r->n_services; i++) {
		json_key(j, r->services[i]);
		json_object_begin(j);
		json_cell(j, "remote", &u->cells[i * 2]);
		json_cell(j, "local", &u->cells[i * 2 + 1]);
		json_object_end(j);
	}
	json_object_end(j);
	json_object_end(j);
}

/* Everything the text header says, as members of the top object. */
static void json_meta(struct json_out *j, const struct review_report *r)
{
	const struct hostiam_access_config *a = &r->cfg->access;
	size_t i;

	json_kv_str(j, "host", r->host);
	json_time(j, "time", r->now);
	json_time_iso(j, "time_utc", r->now);
	json_kv_str(j, "config", r->config_path);
	json_kv_str(j, "mode", a->mode == HOSTIAM_MODE_REPORT ? "report" : "enforce");
	json_kv_str(j, "default", hostiam_action_name(a->default_action));
	json_key(j, "exempt");
	json_array_begin(j);
	for (i = 0; i < a->exempt.n; i++)
		json_str(j, a->exempt.items[i]);
	json_array_end(j);
	json_key(j, "cache");
	json_object_begin(j);
	json_kv_str(j, "path", r->cfg->cache.nss_path);
	json_kv_str(j, "state", r->cache_state);
	json_time(j, "sync_time", (time_t)r->cache_sync_time);
	json_object_end(j);
	json_kv_str(j, "remote_origin", REVIEW_REMOTE_ADDR);
	json_key(j, "services");
	json_array_begin(j);
	for (i = 0; i < r->n_services; i++)
		json_str(j, r->services[i]);
	json_array_end(j);
	json_kv_opt_int(j, "stale_days", r->stale_days, r->stale_days >= 0);
}

/* One object: the metadata, then "users": [ ... ]. */
void review_print_json(FILE *f, const struct review_report *r)
{
	struct json_out j;
	size_t i;

	json_init(&j, f);
	json_object_begin(&j);
	json_meta(&j, r);
	json_key(&j, "users");
	json_array_begin(&j);
	for (i = 0; i < r->n_users; i++)
		json_user(&j, r, &r->users[i]);
	json_array_end(&j);
	json_object_end(&j);
}

/* The header row: fixed columns, then decision and rule per service and origin. */
static void csv_header(FILE *f, const struct review_report *r)
{
	static const char *const fixed[] = { "user",          "uid",          "source",
					     "groups",        "mfa_enrolled", "last_login",
					     "days_inactive", "flags" };
	static const char *const cols[] = { "_remote", "_remote_rule", "_local", "_local_rule" };
	char name[160];
	size_t i, k;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		csv_field(f, fixed[i], i == 0);
	for (i = 0; i < r->n_services; i++) {
		for (k = 0; k < 4; k++) {
			snprintf(name, sizeof(name), "%s%s", r->services[i], cols[k]);
			csv_field(f, name, false);
		}
	}
	review_certify_csv(f, r, NULL);
	csv_end_row(f);
}

/* The groups joined by spaces (names never hold one). */
static void csv_groups(FILE *f, const struct review_user *u)
{
	size_t i, len = 1;
	char *buf, *p;

	for (i = 0; i < u->n_groups; i++)
		len += strlen(u->groups[i]) + 1;
	if ((buf = malloc(len)) == NULL) {
		csv_field(f, "", false);
		return;
	}
	for (p = buf, *p = '\0', i = 0; i < u->n_groups; i++)
		p += sprintf(p, "%s%s", i ? " " : "", u->groups[i]);
	csv_field(f, buf, false);
	free(buf);
}

/* One row per user. */
static void csv_user(FILE *f, const struct review_report *r, const struct review_user *u)
{
	char buf[160];
	size_t i;

	csv_field(f, u->name, true);
	snprintf(buf, sizeof(buf), "%lu", (unsigned long)u->uid);
	csv_field(f, buf, false);
	csv_field(f, u->directory ? "directory" : "local", false);
	csv_groups(f, u);
	csv_field(f,
		  u->enrolled == HOSTIAM_TRUE          ? "yes" :
			  u->enrolled == HOSTIAM_FALSE ? "no" :
							 "unknown",
		  false);
	cli_format_utc(u->last_login, buf, sizeof(buf));
	csv_field(f, u->last_login ? buf : "", false);
	snprintf(buf, sizeof(buf), "%ld", u->days_inactive);
	csv_field(f, u->days_inactive >= 0 ? buf : "", false);
	review_flags(u, buf, sizeof(buf));
	csv_field(f, buf, false);
	for (i = 0; i < r->n_services * 2; i++) {
		const struct review_cell *c = &u->cells[i];

		csv_field(f, hostiam_action_name(c->policy_action), false);
		csv_field(f, c->rule, false);
	}
	review_certify_csv(f, r, u);
	csv_end_row(f);
}

/* A header row, then one row per user. */
void review_print_csv(FILE *f, const struct review_report *r)
{
	size_t i;

	csv_header(f, r);
	for (i = 0; i < r->n_users; i++)
		csv_user(f, r, &r->users[i]);
}
