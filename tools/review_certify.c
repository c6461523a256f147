/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam review: each user's last access-review decision (campaign, reviewer, date), and
 * the flag "not certified in N days" for those the policy's certified_within rule matches
 * (N the smallest certified_within of a deny rule): never kept, revoked, or kept too long ago.
 */
#include "config.h"

#include "cli_args.h"
#include "csv_out.h"
#include "json_out.h"
#include "review.h"
#include "text_out.h"

#define DAY 86400

/* See review.h: the smallest certified_within of any deny rule; -1: none. */
int review_certify_days(const struct hostiam_config *cfg)
{
	int best = -1;

	for (size_t i = 0; i < cfg->access.n_rules; i++) {
		const struct hostiam_rule *r = &cfg->access.rules[i];

		if (r->action == HOSTIAM_ACTION_DENY && r->certified_within >= 0 &&
		    (best < 0 || r->certified_within < best))
			best = r->certified_within;
	}
	return best;
}

/* See review.h: as the condition certified_within decides it (policy_conditions.c). */
bool review_not_certified(const struct review_report *r, const struct review_user *u)
{
	const struct hostiam_certification *c = &u->cert;

	if (r->certify_days < 0)
		return false;
	return c->campaign == 0 || c->revoked || c->when > r->now ||
		(long long)r->now - (long long)c->when >= (long long)r->certify_days * DAY;
}

/* The table after the main one: USER LAST CAMPAIGN REVIEWER DATE FLAG. */
void review_print_certify(FILE *f, const struct review_report *r)
{
	size_t w = 4;
	char when[64];

	if (r->certify_days < 0)
		return;
	for (size_t i = 0; i < r->n_users; i++)
		if (text_width(r->users[i].name) > w)
			w = text_width(r->users[i].name);
	fputs("\ncertification:\n", f);
	text_pad(f, "USER", w + 2);
	fputs("LAST     CAMPAIGN  REVIEWER          DATE              FLAG\n", f);
	for (size_t i = 0; i < r->n_users; i++) {
		const struct review_user *u = &r->users[i];
		const struct hostiam_certification *c = &u->cert;
		char id[24];

		text_pad(f, u->name, w + 2);
		snprintf(id, sizeof(id), "%lu", c->campaign);
		cli_format_time(cli_zone(r->cfg), c->when, 0, when, sizeof(when));
		text_pad(f, c->campaign == 0 ? "none" : c->revoked ? "revoked" : "kept", 9);
		text_pad(f, c->campaign ? id : "-", 10);
		text_pad(f, c->campaign ? c->reviewer : "-", 18);
		text_pad(f, c->campaign ? when : "-", 18);
		if (review_not_certified(r, u))
			fprintf(f, "not certified in %d days", r->certify_days);
		fputc('\n', f);
	}
}

/* See review.h: "certification" (null: never) and "not_certified" (null: no such rule). */
void review_certify_json(struct json_out *j, const struct review_report *r,
			 const struct review_user *u)
{
	const struct hostiam_certification *c = &u->cert;

	json_key(j, "certification");
	if (c->campaign == 0) {
		json_null(j);
	} else {
		json_object_begin(j);
		json_kv_int(j, "campaign", (long long)c->campaign);
		json_kv_str(j, "reviewer", c->reviewer);
		json_kv_int(j, "date", (long long)c->when);
		json_kv_str(j, "decision", c->revoked ? "revoke" : "keep");
		json_object_end(j);
	}
	json_key(j, "not_certified");
	if (r->certify_days < 0)
		json_null(j);
	else
		json_bool(j, review_not_certified(r, u));
}

/* See review.h: certified, certified_campaign, certified_reviewer, certified_utc,
   not_certified. */
void review_certify_csv(FILE *f, const struct review_report *r, const struct review_user *u)
{
	static const char *const names[] = { "certified", "certified_campaign",
					     "certified_reviewer", "certified_utc",
					     "not_certified" };
	const struct hostiam_certification *c = u ? &u->cert : NULL;
	char id[24], when[64];

	if (r->certify_days < 0)
		return;
	if (u == NULL) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			csv_field(f, names[i], false);
		return;
	}
	snprintf(id, sizeof(id), "%lu", c->campaign);
	cli_format_utc(c->when, when, sizeof(when));
	csv_field(f, c->campaign == 0 ? "none" : c->revoked ? "revoked" : "kept", false);
	csv_field(f, c->campaign ? id : "", false);
	csv_field(f, c->campaign ? c->reviewer : "", false);
	csv_field(f, c->campaign ? when : "", false);
	csv_field(f, review_not_certified(r, u) ? "yes" : "no", false);
}
