/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam review: for every account, what the policy decides for each service from a
 * remote and a local origin, with MFA enrolment, last login and flags. Each user's
 * inputs are gathered once by the request builder a login uses; each cell is then the
 * engine's answer for that request with only the service and origin changed.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "cli_args.h"
#include "commands.h"
#include "errors.h"
#include "grants_cli.h"
#include "policy.h"
#include "request.h"
#include "review.h"
#include "review_users.h"

#define MAX_SERVICES 16
#define DAY 86400

enum review_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_CSV
};

struct review_args {
	const char *services[MAX_SERVICES];
	size_t n_services;
	enum review_format format;
	const char *at;
};

/* --format's value; 0, or -1 after a message. */
static int parse_format(const char *v, enum review_format *out)
{
	if (strcmp(v, "text") == 0)
		*out = FORMAT_TEXT;
	else if (strcmp(v, "json") == 0)
		*out = FORMAT_JSON;
	else if (strcmp(v, "csv") == 0)
		*out = FORMAT_CSV;
	else {
		fprintf(stderr, "hostiam: review: unknown format '%s' (text, json or csv)\n", v);
		return -1;
	}
	return 0;
}

/* The command line after "review"; 0, or -1 after a message. */
static int parse_args(int argc, char **argv, struct review_args *a)
{
	const char *v;
	int i, r;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if ((r = cli_opt_value(argc, argv, &i, "--service", &v)) != 0) {
			if (r < 0)
				return -1;
			if (v[0] == '\0' || a->n_services == MAX_SERVICES) {
				fprintf(stderr,
					"hostiam: review: --service: empty, or more than %d\n",
					MAX_SERVICES);
				return -1;
			}
			a->services[a->n_services++] = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (r < 0 || parse_format(v, &a->format) < 0)
				return -1;
		} else if ((r = cli_opt_value(argc, argv, &i, "--at", &a->at)) != 0) {
			if (r < 0)
				return -1;
		} else {
			fprintf(stderr, "hostiam: review: unexpected argument '%s'\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

/* Smallest inactive_days of a deny rule: from then on an account counts as stale. */
static int stale_threshold(const struct hostiam_config *cfg)
{
	int best = -1;
	size_t i;

	for (i = 0; i < cfg->access.n_rules; i++) {
		const struct hostiam_rule *r = &cfg->access.rules[i];

		if (r->action == HOSTIAM_ACTION_DENY && r->inactive_days >= 0 &&
		    (best < 0 || r->inactive_days < best))
			best = r->inactive_days;
	}
	return best;
}

/* Open the cache and describe it in the report header; the cache, or NULL. */
static struct hostiam_cache *open_cache(const struct hostiam_config *cfg, struct review_report *r)
{
	struct hostiam_cache_info info;
	struct hostiam_cache *c = NULL;
	char when[64];
	int rc;

	rc = hostiam_cache_open(cfg->cache.nss_path, &c);
	if (rc < 0) {
		r->cache_state = "unavailable";
		snprintf(r->cache_note, sizeof(r->cache_note), "%s", hostiam_strerror(rc));
		return NULL;
	}
	hostiam_cache_get_info(c, &info);
	r->cache_sync_time = info.sync_time;
	r->cache_state = hostiam_cache_offline(cfg, &info, r->now) ? "offline" : "current";
	cli_format_time(cli_zone(cfg), (time_t)info.sync_time, 0, when, sizeof(when));
	snprintf(r->cache_note, sizeof(r->cache_note), "synced %s, %u users", when, info.n_users);
	return c;
}

/* Every cell fails closed as pam_hostiam would: exempt accounts in, everyone else out. */
static void fail_user(const struct hostiam_config *cfg, const struct review_report *r,
		      struct review_user *u, int err)
{
	struct hostiam_decision d;
	size_t i;

	/* The decision does not depend on the service or the origin: one for every cell. */
	hostiam_policy_fail_closed(cfg, u->name, err, &d);
	for (i = 0; i < r->n_services * 2; i++) {
		u->cells[i].error = true;
		u->cells[i].action = d.action;
		u->cells[i].policy_action = d.policy_action;
		u->cells[i].rule = d.rule_name;
	}
	free(u->error);
	u->error = strdup(d.reason);
	fprintf(stderr, "hostiam: review: %s: %s\n", u->name, d.reason);
}

/* The name of whatever decided d. */
static const char *decided_name(const struct hostiam_config *cfg, const struct hostiam_decision *d)
{
	if (d->by == HOSTIAM_BY_RULE && d->rule_index >= 0 &&
	    (size_t)d->rule_index < cfg->access.n_rules)
		return cfg->access.rules[d->rule_index].name;
	if (d->by == HOSTIAM_BY_ACCOUNT)
		return "account";
	if (d->by == HOSTIAM_BY_REVOKED)
		return "revoked";
	return d->by == HOSTIAM_BY_EXEMPT ? "exempt" : "default";
}

/* Every service from both origins, over one gathered request. */
static int decide_cells(const struct hostiam_config *cfg, const struct review_report *r,
			const struct hostiam_request *base, struct review_user *u)
{
	struct hostiam_decision d;
	struct hostiam_request q;
	size_t i;
	int rc;

	for (i = 0; i < r->n_services * 2; i++) {
		q = *base;
		q.service = r->services[i / 2];
		q.rhost = i % 2 == 0 ? REVIEW_REMOTE_ADDR : NULL;
		if ((rc = hostiam_policy_evaluate(cfg, &q, &d)) < 0)
			return rc;
		u->cells[i].action = d.action;
		u->cells[i].policy_action = d.policy_action;
		u->cells[i].rule = decided_name(cfg, &d);
		if (d.policy_action == HOSTIAM_ACTION_MFA && u->enrolled == HOSTIAM_FALSE)
			u->mfa_missing = true;
		hostiam_decision_free(&d);
	}
	return 0;
}

/* Keep a copy of the user's groups as the request saw them. */
static int copy_groups(const struct hostiam_request *q, struct review_user *u)
{
	size_t i;

	if (q->n_groups == 0)
		return 0;
	if ((u->groups = calloc(q->n_groups, sizeof(*u->groups))) == NULL)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; i < q->n_groups; i++, u->n_groups++)
		if ((u->groups[i] = strdup(q->groups[i] ? q->groups[i] : "?")) == NULL)
			return HOSTIAM_ERR_NOMEM;
	return 0;
}

/* One row: gather, decide every cell, set the flags. Fails only on NOMEM. */
static int review_one(const struct hostiam_config *cfg, const struct review_report *r,
		      struct review_user *u)
{
	struct hostiam_request_ctx ctx;
	int rc;

	u->exempt = hostiam_policy_is_exempt(cfg, u->name);
	hostiam_account_evaluate(NULL, r->now, &u->account);
	if ((u->cells = calloc(r->n_services * 2, sizeof(*u->cells))) == NULL)
		return HOSTIAM_ERR_NOMEM;
	memset(&ctx, 0, sizeof(ctx));
	rc = hostiam_request_build(cfg, u->name, r->services[0], NULL, NULL, r->now, &ctx);
	if (rc == 0)
		rc = copy_groups(&ctx.req, u);
	if (rc == 0) {
		u->enrolled = ctx.req.enrolled;
		u->last_login = ctx.req.last_login;
		if (u->last_login != 0)
			u->days_inactive = r->now > u->last_login ?
				(long)((r->now - u->last_login) / DAY) :
				0;
		u->stale = r->stale_days >= 0 && u->days_inactive >= r->stale_days;
		/* As the engine sees it: exempt accounts are never looked up. */
		hostiam_account_evaluate(u->exempt ? NULL : ctx.req.account, r->now, &u->account);
		u->account_unknown = ctx.req.account_unknown;
		u->n_terms = ctx.req.n_terms;
		u->cert = ctx.req.cert;
		if (ctx.req.n_terms > 0)
			memcpy(u->terms, ctx.req.terms, ctx.req.n_terms * sizeof(u->terms[0]));
		rc = decide_cells(cfg, r, &ctx.req, u);
	}
	if (rc == HOSTIAM_ERR_NOMEM)
		goto out;
	if (rc < 0)
		fail_user(cfg, r, u, rc);
	rc = 0;
out:
	hostiam_request_ctx_free(&ctx);
	return rc;
}

/* Print in the chosen format; 0, or EXIT_FAILED when standard output failed. */
static int print_report(const struct review_report *r, enum review_format format)
{
	if (format == FORMAT_JSON)
		review_print_json(stdout, r);
	else if (format == FORMAT_CSV)
		review_print_csv(stdout, r);
	else
		review_print_text(stdout, r);
	if (format == FORMAT_TEXT)
		review_print_elevation(stdout, r);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "hostiam: review: write error on standard output\n");
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* Build every row of the report and print it. */
static int run_review(const struct cli *cli, const struct hostiam_config *cfg,
		      const struct review_args *a, time_t now)
{
	static const char *const defaults[] = { "sshd", "sudo", "login" };
	struct review_report r;
	struct hostiam_cache *c;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	r.now = now;
	r.cfg = cfg;
	r.config_path = cli->config_path;
	r.services = a->n_services ? a->services : defaults;
	r.n_services = a->n_services ? a->n_services : 3;
	r.stale_days = stale_threshold(cfg);
	r.certify_days = review_certify_days(cfg);
	if (gethostname(r.host, sizeof(r.host) - 1) < 0)
		snprintf(r.host, sizeof(r.host), "?");
	c = open_cache(cfg, &r);
	rc = review_users_collect(cfg, c, &r.users, &r.n_users);
	if (c)
		hostiam_cache_close(c);
	for (i = 0; rc == 0 && i < r.n_users; i++)
		rc = review_one(cfg, &r, &r.users[i]);
	if (rc < 0) {
		fprintf(stderr, "hostiam: review: %s\n", hostiam_strerror(rc));
		rc = EXIT_FAILED;
	} else {
		rc = print_report(&r, a->format);
	}
	review_users_free(r.users, r.n_users);
	return rc;
}

/*
 * The configuration is unusable, so there is no policy to review: say on stderr what
 * pam_hostiam then decides, from the same fail-closed decision it takes ("" is nobody's
 * name, so it stands for every account but the break-glass one).
 */
static void tell_unusable(void)
{
	struct hostiam_decision others, glass;

	hostiam_policy_fail_closed(NULL, "", HOSTIAM_ERR_CONFIG, &others);
	hostiam_policy_fail_closed(NULL, HOSTIAM_BREAK_GLASS_USER, HOSTIAM_ERR_CONFIG, &glass);
	fprintf(stderr,
		"hostiam: review: %s: pam_hostiam decides %s (rule %s) for every "
		"account, %s (rule %s) for %s\n",
		others.reason, hostiam_action_name(others.action), others.rule_name,
		hostiam_action_name(glass.action), glass.rule_name, HOSTIAM_BREAK_GLASS_USER);
}

/* hostiam review [--service S ...] [--format text|json|csv] [--at TIME] */
int cmd_review(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	struct review_args a;
	time_t now = time(NULL);
	char why[160];
	int rc;

	if (parse_args(argc, argv, &a) < 0) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (cfg == NULL) {
		tell_unusable();
		return EXIT_USAGE;
	}
	/* --at is on the policy's clock: read once the configuration has named its zone. */
	if (a.at && cli_parse_at(cli_zone(cfg), a.at, &now, why, sizeof(why)) < 0) {
		fprintf(stderr, "hostiam: review: --at: %s\n", why);
		hostiam_config_free(cfg);
		return EXIT_USAGE;
	}
	rc = run_review(cli, cfg, &a, now);
	hostiam_config_free(cfg);
	return rc;
}
