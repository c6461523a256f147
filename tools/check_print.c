/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam check output: the inputs, the decision, and the trace of every rule. */
#include "config.h"

#include <string.h>

#include "check_print.h"
#include "cli_args.h"
#include "grants_cli.h"
#include "json_out.h"
#include "text_out.h"

#define DAY 86400

/* "label:" padded to the value column, then the value made safe. */
static void field(FILE *f, const char *label, const char *value)
{
	fprintf(f, "%-14s", label);
	text_safe(f, value);
	fputc('\n', f);
}

/* How the engine describes who decided. */
static const char *decided_by_name(enum hostiam_decided_by by)
{
	switch (by) {
	case HOSTIAM_BY_RULE:
		return "rule";
	case HOSTIAM_BY_EXEMPT:
		return "exempt";
	case HOSTIAM_BY_ACCOUNT:
		return "account";
	case HOSTIAM_BY_REVOKED:
		return "revoked";
	case HOSTIAM_BY_DEFAULT:
		break;
	}
	return "default";
}

/* "yes", "no" or "unknown" for a tristate. */
static const char *tristate_text(enum hostiam_tristate t)
{
	return t == HOSTIAM_TRUE ? "yes" : t == HOSTIAM_FALSE ? "no" : "unknown";
}

/* A recorded time with its age in days, or "none recorded"/"never". */
static void time_with_age(const struct hostiam_tz *z, char *buf, size_t len, time_t t, time_t now,
			  const char *none)
{
	char when[64];

	if (t == 0) {
		snprintf(buf, len, "%s", none);
		return;
	}
	cli_format_time(z, t, 0, when, sizeof(when));
	snprintf(buf, len, "%s (%lld days ago)", when, (long long)(now - t) / DAY);
}

/* The last closed access review's decision for the user (hostiam certify). */
static void certified_text(const struct check_report *r, char *buf, size_t len)
{
	const struct hostiam_certification *c = &r->req->cert;
	char when[96];

	time_with_age(cli_zone(r->cfg), when, sizeof(when), c->when, r->now, "-");
	snprintf(buf, len, "%s in campaign %lu by %s, %s", c->revoked ? "revoked" : "kept",
		 c->campaign, c->reviewer, when);
}

/* The account state as the decision saw it: local, unknown, or the verdict. */
static void account_text(const struct check_report *r, char *buf, size_t len)
{
	const struct hostiam_request *q = r->req;

	if (r->d->by == HOSTIAM_BY_EXEMPT)
		snprintf(buf, len, "not looked up (exempt account)");
	else if (!q->directory_user)
		snprintf(buf, len, "local (not in the directory cache)");
	else if (q->account_unknown)
		snprintf(buf, len, "unknown (auth.cache has no account state: run 'hostiam sync')");
	else if (q->account == NULL)
		snprintf(buf, len, "ok (no account state in the directory)");
	else
		hostiam_account_describe(r->cfg, &r->d->account, buf, len);
}

/* The request as the engine saw it. */
static void print_inputs(FILE *f, const struct check_report *r)
{
	const struct hostiam_request *q = r->req;
	char buf[256];
	size_t i;

	field(f, "user:", r->user);
	field(f, "service:", r->service);
	field(f, "from:", r->rhost && r->rhost[0] ? r->rhost : "local (no remote host)");
	field(f, "tty:", r->tty && r->tty[0] ? r->tty : "none");
	cli_format_time(cli_zone(r->cfg), r->now, 1, buf, sizeof(buf));
	field(f, "time:", buf);
	if (q == NULL)
		return;
	fprintf(f, "%-14s", "groups:");
	for (i = 0; i < q->n_groups; i++) {
		fputs(i ? ", " : "", f);
		text_safe(f, q->groups[i] ? q->groups[i] : "?");
	}
	fputs(q->n_groups ? "\n" : "none\n", f);
	check_print_grants(f, r);
	field(f, "cache:",
	      !r->cfg->directory.configured ? "none (no directory configured)" :
		      q->offline            ? "offline (missing or older than cache.max_age)" :
					      "current");
	time_with_age(cli_zone(r->cfg), buf, sizeof(buf), q->last_login, r->now, "none recorded");
	field(f, "last login:", buf);
	time_with_age(cli_zone(r->cfg), buf, sizeof(buf), q->last_mfa, r->now, "never");
	field(f, "last MFA:", buf);
	field(f, "MFA enrolled:", tristate_text(q->enrolled));
	if (q->cert.campaign != 0) {
		certified_text(r, buf, sizeof(buf));
		field(f, "certified:", buf);
	}
	account_text(r, buf, sizeof(buf));
	field(f, "account:", buf);
	field(f, "caller:", q->caller_root ? "root (--caller)" : "not root");
}

/* The decision line: enforced action, with what report mode let through. */
static void decision_text(const struct hostiam_decision *d, char *buf, size_t len)
{
	if (d->no_prompt)
		snprintf(buf, len, "%s (%s)", hostiam_action_name(d->action), d->note);
	else if (d->report_only && d->policy_action == HOSTIAM_ACTION_DENY)
		snprintf(buf, len, "would deny (report mode: allowed)");
	else if (d->report_only && d->policy_action == HOSTIAM_ACTION_MFA)
		snprintf(buf, len, "would ask for MFA (report mode: allowed)");
	else if (d->action == HOSTIAM_ACTION_MFA && d->mfa_fresh)
		snprintf(buf, len, "mfa (satisfied: a code was accepted within mfa_max_age)");
	else if (d->action == HOSTIAM_ACTION_MFA)
		snprintf(buf, len, "mfa (a TOTP code is required)");
	else
		snprintf(buf, len, "%s", hostiam_action_name(d->action));
}

/* Which rule decided, with its line in the configuration. */
static void rule_text(const struct check_report *r, char *buf, size_t len)
{
	const struct hostiam_decision *d = r->d;

	if (d->by == HOSTIAM_BY_RULE && d->rule_index >= 0 &&
	    (size_t)d->rule_index < r->cfg->access.n_rules)
		snprintf(buf, len, "%s (line %d)", r->cfg->access.rules[d->rule_index].name,
			 r->cfg->access.rules[d->rule_index].line);
	else if (r->req == NULL)
		/* Decided without the engine: "unknown-user", or failing closed ("error", "exempt"). */
		snprintf(buf, len, "%s (pam_hostiam decides so without the policy)", d->rule_name);
	else if (d->by == HOSTIAM_BY_EXEMPT)
		snprintf(buf, len, "exempt (access.exempt)");
	else if (d->by == HOSTIAM_BY_ACCOUNT)
		snprintf(buf, len, "account (the directory's account state, before any rule)");
	else if (d->by == HOSTIAM_BY_REVOKED)
		snprintf(buf, len, "revoked (a closed access review, before any rule)");
	else
		snprintf(buf, len, "default (no rule matched: access.default = \"%s\")",
			 hostiam_action_name(r->cfg->access.default_action));
}

/* The deciding rule's terms of use: accepted when, or what a login would need. */
static void terms_text(const struct check_report *r, char *buf, size_t len)
{
	const struct hostiam_decision *d = r->d;
	const struct hostiam_terms_acceptance *a = d->terms_accepted;
	char when[96];

	if (a != NULL) {
		time_with_age(cli_zone(r->cfg), when, sizeof(when), a->when, r->now, "never");
		snprintf(buf, len, "%s version %s accepted %s through %s", d->terms->name,
			 d->terms->version, when, a->service);
	} else if (d->terms_needed)
		snprintf(buf, len, "must accept terms %s version %s (shown at login, after MFA)",
			 d->terms->name, d->terms->version);
	else if (d->policy_action == HOSTIAM_ACTION_DENY)
		snprintf(buf, len, "%s version %s not accepted, and service %s cannot show them",
			 d->terms->name, d->terms->version, r->service);
	else
		snprintf(buf, len, "%s version %s not asked (%s run by root)", d->terms->name,
			 d->terms->version, r->service);
}

/* The decision, the rule, why, and the message a denied user sees. */
static void print_decision(FILE *f, const struct check_report *r)
{
	const struct hostiam_decision *d = r->d;
	char buf[256];

	fputc('\n', f);
	decision_text(d, buf, sizeof(buf));
	field(f, "decision:", buf);
	rule_text(r, buf, sizeof(buf));
	field(f, "rule:", buf);
	field(f, "reason:", d->reason);
	if (d->terms != NULL) {
		terms_text(r, buf, sizeof(buf));
		field(f, "terms:", buf);
	}
	/* Without the engine there is no rule and so no rule's message to show. */
	if (d->policy_action == HOSTIAM_ACTION_DENY && r->req != NULL)
		field(f, "message:", d->message ? d->message : "(none: the generic denial)");
	if (r->cfg && r->cfg->access.mode == HOSTIAM_MODE_REPORT)
		field(f, "mode:", "report (decisions are logged, never enforced)");
	else if (r->cfg == NULL)
		field(f, "mode:", "none (the configuration is unusable)");
}

/* Widest rule name, for the trace table. */
static size_t name_width(const struct hostiam_decision *d)
{
	size_t i, w = 4;

	for (i = 0; i < d->n_trace; i++)
		if (d->trace[i].rule && text_width(d->trace[i].rule->name) > w)
			w = text_width(d->trace[i].rule->name);
	return w;
}

/* The table of rules: one row each. */
static void print_rows(FILE *f, const struct hostiam_decision *d, size_t w)
{
	size_t i;

	if (d->n_trace == 0)
		return;
	fputs("  #   ", f);
	text_pad(f, "RULE", w + 2);
	fputs("LINE  RESULT         WHY\n", f);
	for (i = 0; i < d->n_trace; i++) {
		const struct hostiam_rule_trace *t = &d->trace[i];

		fprintf(f, "  %-3zu ", i + 1);
		text_pad(f, t->rule ? t->rule->name : "?", w + 2);
		fprintf(f, "%-5d ", t->rule ? t->rule->line : 0);
		if (!t->evaluated) {
			fputs("not evaluated\n", f);
			continue;
		}
		fprintf(f, "%-14s ", t->matched ? "MATCHED" : "no match");
		text_safe(f, t->reason);
		fputc('\n', f);
	}
}

/* One row per rule: matched, no match and why, or not evaluated; then the prompt note. */
static void print_trace(FILE *f, const struct hostiam_decision *d)
{
	size_t w = name_width(d);

	fputs("\ntrace:\n", f);
	if (d->by == HOSTIAM_BY_ACCOUNT || d->by == HOSTIAM_BY_REVOKED) {
		fputs(d->by == HOSTIAM_BY_ACCOUNT ? "  account: " : "  revoked: ", f);
		text_safe(f, d->reason);
		fputs("; no rule evaluated\n", f);
	}
	if (d->n_trace == 0)
		fputs("  (no rules)\n", f);
	print_rows(f, d, w);
	if (d->no_prompt) {
		fputs("  note: ", f);
		text_safe(f, d->note);
		fputc('\n', f);
	}
}

/* The whole text report; without inputs, no trace, but the line pam_hostiam logs. */
void check_print_text(FILE *f, const struct check_report *r)
{
	struct hostiam_request items = { .user = r->user,
					 .service = r->service,
					 .rhost = r->rhost,
					 .tty = r->tty,
					 .now = r->now };
	char line[1024];

	print_inputs(f, r);
	print_decision(f, r);
	if (r->req != NULL)
		print_trace(f, r->d);
	hostiam_decision_format_log(r->d, r->req ? r->req : &items, line, sizeof(line));
	fputs("\nlog line:     ", f);
	text_safe(f, line);
	fputc('\n', f);
}

/* "inputs": what the decision depended on. */
static void json_inputs(struct json_out *j, const struct hostiam_request *q)
{
	size_t i;

	json_key(j, "inputs");
	if (q == NULL) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_key(j, "groups");
	json_array_begin(j);
	for (i = 0; i < q->n_groups; i++)
		json_str(j, q->groups[i]);
	json_array_end(j);
	json_kv_bool(j, "offline", q->offline);
	json_kv_opt_int(j, "last_login", (long long)q->last_login, q->last_login != 0);
	json_kv_opt_int(j, "last_mfa", (long long)q->last_mfa, q->last_mfa != 0);
	json_kv_opt_bool(j, "enrolled", q->enrolled == HOSTIAM_TRUE, q->enrolled != HOSTIAM_UNSET);
	json_key(j, "certification"); /* the last closed access review's decision, or null */
	if (q->cert.campaign == 0) {
		json_null(j);
	} else {
		json_object_begin(j);
		json_kv_int(j, "campaign", (long long)q->cert.campaign);
		json_kv_str(j, "reviewer", q->cert.reviewer);
		json_kv_int(j, "date", (long long)q->cert.when);
		json_kv_str(j, "decision", q->cert.revoked ? "revoke" : "keep");
		json_object_end(j);
	}
	json_kv_bool(j, "directory_user", q->directory_user);
	json_kv_bool(j, "caller_root", q->caller_root);
	json_object_end(j);
}

/* "account": the directory account's state and the attribute that decided it. */
static void json_account(struct json_out *j, const struct check_report *r)
{
	const struct hostiam_account_verdict *v = &r->d->account;
	const struct hostiam_request *q = r->req;
	char buf[192];

	json_key(j, "account");
	if (q == NULL || !q->directory_user || r->d->by == HOSTIAM_BY_EXEMPT) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_str(j, "state",
		    q->account_unknown ? "unknown" : hostiam_account_status_name(v->status));
	json_kv_str(j, "attribute",
		    v->attr >= 0 ? hostiam_account_attr_name(r->cfg, v->attr) : NULL);
	json_kv_bool(j, "unreadable", v->malformed);
	json_kv_opt_int(j, "password_expires_in_days", v->password_days, v->password_days >= 0);
	account_text(r, buf, sizeof(buf));
	json_kv_str(j, "text", buf);
	json_object_end(j);
}

/* "trace": one object per rule. */
static void json_trace(struct json_out *j, const struct hostiam_decision *d)
{
	size_t i;

	json_key(j, "trace");
	json_array_begin(j);
	for (i = 0; i < d->n_trace; i++) {
		const struct hostiam_rule_trace *t = &d->trace[i];

		json_object_begin(j);
		json_kv_str(j, "name", t->rule ? t->rule->name : NULL);
		json_kv_int(j, "line", t->rule ? t->rule->line : 0);
		json_kv_str(j, "action", t->rule ? hostiam_action_name(t->rule->action) : NULL);
		json_kv_bool(j, "evaluated", t->evaluated);
		json_kv_bool(j, "matched", t->matched);
		json_kv_str(j, "reason", t->evaluated ? t->reason : NULL);
		json_object_end(j);
	}
	json_array_end(j);
}

/* "terms": the deciding rule's terms of use and the user's acceptance; null when none. */
static void json_terms(struct json_out *j, const struct check_report *r)
{
	const struct hostiam_decision *d = r->d;
	char buf[256];

	json_key(j, "terms");
	if (d->terms == NULL) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_str(j, "name", d->terms->name);
	json_kv_str(j, "version", d->terms->version);
	json_kv_bool(j, "needed", d->terms_needed);
	json_kv_opt_int(j, "accepted", d->terms_accepted ? (long long)d->terms_accepted->when : 0,
			d->terms_accepted != NULL);
	terms_text(r, buf, sizeof(buf));
	json_kv_str(j, "text", buf);
	json_object_end(j);
}

/* The whole report as one JSON object. */
void check_print_json(FILE *f, const struct check_report *r)
{
	const struct hostiam_decision *d = r->d;
	char at[64];
	struct json_out j;

	json_init(&j, f);
	json_object_begin(&j);
	json_kv_str(&j, "user", r->user);
	json_kv_str(&j, "service", r->service);
	json_kv_str(&j, "from", r->rhost && r->rhost[0] ? r->rhost : NULL);
	json_kv_str(&j, "tty", r->tty && r->tty[0] ? r->tty : NULL);
	cli_format_time(cli_zone(r->cfg), r->now, 0, at, sizeof(at));
	json_kv_str(&j, "at", at);
	json_kv_int(&j, "time", (long long)r->now);
	json_kv_str(&j, "mode",
		    r->cfg == NULL                                     ? NULL :
			    r->cfg->access.mode == HOSTIAM_MODE_REPORT ? "report" :
									 "enforce");
	json_kv_str(&j, "decision", hostiam_action_name(d->action));
	json_kv_str(&j, "policy_decision", hostiam_action_name(d->policy_action));
	json_kv_str(&j, "decided_by", decided_by_name(d->by));
	json_kv_str(&j, "rule", d->rule_name);
	json_kv_int(&j, "rule_line",
		    d->by == HOSTIAM_BY_RULE && d->rule_index >= 0 ?
			    r->cfg->access.rules[d->rule_index].line :
			    0);
	json_kv_str(&j, "reason", d->reason);
	json_kv_str(&j, "message", d->message);
	json_kv_bool(&j, "report_only", d->report_only);
	json_kv_bool(&j, "mfa_fresh", d->mfa_fresh);
	json_kv_str(&j, "prompt", d->no_prompt ? "none" : NULL);
	json_kv_str(&j, "note", d->no_prompt ? d->note : NULL);
	json_terms(&j, r);
	check_json_grants(&j, r);
	json_inputs(&j, r->req);
	json_account(&j, r);
	json_trace(&j, d);
	json_object_end(&j);
}
