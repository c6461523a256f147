/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The policy engine: exempt accounts, then the rules top to bottom, then access.default;
 * report mode on top. Pure: everything comes from the configuration and the request.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "policy_internal.h"
#include "terms.h"
#include "tz.h"

/* An rhost is an address only when it is a bare IPv4/IPv6 literal (a zone id is dropped). */
static bool parse_rhost(const char *rhost, struct hostiam_cidr *addr)
{
	char text[INET6_ADDRSTRLEN];
	const char *pct = strchr(rhost, '%');
	size_t n = pct ? (size_t)(pct - rhost) : strlen(rhost);

	/* "10.0.0.0/8" parses as a network; a peer is one address, so a '/' means garbage. */
	if (strchr(rhost, '/') || n >= sizeof(text) || (pct && !memchr(rhost, ':', n)))
		return false;
	memcpy(text, rhost, n);
	text[n] = '\0';
	if (hostiam_cidr_parse(text, addr) < 0)
		return false;
	/* ::ffff:a.b.c.d comes back as the IPv4 address a.b.c.d/32. */
	return addr->prefix == (addr->family == AF_INET ? 32 : 128);
}

/*
 * Classify the rhost, strip "/dev/" from the tty, break now down in the policy's zone (the
 * configuration's, never the process's TZ, which the caller of sudo or su sets).
 */
void policy_input_init(struct policy_input *in, const struct hostiam_config *cfg,
		       const struct hostiam_request *req)
{
	memset(in, 0, sizeof(*in));
	in->req = req;
	if (req->rhost == NULL || req->rhost[0] == '\0')
		in->origin = POLICY_ORIGIN_LOCAL;
	else if (parse_rhost(req->rhost, &in->addr))
		in->origin = POLICY_ORIGIN_IP;
	else
		in->origin = POLICY_ORIGIN_NAME;
	in->tty = req->tty;
	if (in->tty && strncmp(in->tty, "/dev/", 5) == 0)
		in->tty += 5;
	if (in->tty && in->tty[0] == '\0')
		in->tty = NULL;
	in->have_tm = cfg->access.tz != NULL &&
		hostiam_tz_localtime(cfg->access.tz, req->now, &in->tm) == 0;
}

bool hostiam_policy_is_exempt(const struct hostiam_config *cfg, const char *user)
{
	size_t i;

	for (i = 0; i < cfg->access.exempt.n; i++)
		if (strcmp(cfg->access.exempt.items[i], user) == 0)
			return true;
	return false;
}

/* Trace every rule up to the first match; true and the decision filled when one matched. */
static bool run_rules(const struct hostiam_config *cfg, const struct policy_input *in,
		      struct hostiam_decision *d)
{
	struct strbuf sb;
	size_t i;

	for (i = 0; i < cfg->access.n_rules; i++) {
		const struct hostiam_rule *r = &cfg->access.rules[i];
		struct hostiam_rule_trace *t = &d->trace[i];

		t->evaluated = true;
		t->matched = policy_rule_matches(r, in, t->reason, sizeof(t->reason));
		if (!t->matched)
			continue;
		d->by = HOSTIAM_BY_RULE;
		d->rule_index = (int)i;
		d->rule_name = r->name;
		d->policy_action = r->action;
		if (r->action == HOSTIAM_ACTION_DENY)
			d->message = r->message;
		sb_init(&sb, d->reason, sizeof(d->reason));
		sb_printf(&sb, "matched rule %s: %s", r->name, t->reason);
		return true;
	}
	return false;
}

/*
 * A recent enough TOTP success spares the prompt. Unset (-1) and 0 both mean "ask every
 * time"; a last_mfa in the future (clock stepped back) is not trusted.
 */
static bool mfa_is_fresh(const struct hostiam_config *cfg, const struct hostiam_request *req,
			 const struct hostiam_decision *d)
{
	long max_age;
	long long age;

	if (d->policy_action != HOSTIAM_ACTION_MFA || d->by != HOSTIAM_BY_RULE)
		return false;
	max_age = cfg->access.rules[d->rule_index].mfa_max_age;
	if (max_age <= 0 || req->last_mfa == 0 || d->grant_mfa)
		return false;
	age = (long long)req->now - (long long)req->last_mfa;
	return age >= 0 && age <= max_age;
}

/* The decision for a request nobody's rule spoke about, or for a break-glass account. */
static void decide_fixed(struct hostiam_decision *d, enum hostiam_decided_by by,
			 enum hostiam_action action, const char *name, const char *reason)
{
	struct strbuf sb;

	d->by = by;
	d->rule_index = -1;
	d->rule_name = name;
	d->policy_action = action;
	sb_init(&sb, d->reason, sizeof(d->reason));
	sb_printf(&sb, "%s", reason);
}

/* A disabled, locked or expired directory account: denied before any rule. */
static bool account_denies(const struct hostiam_config *cfg, const struct hostiam_request *req,
			   struct hostiam_decision *d)
{
	hostiam_account_evaluate(req->account, req->now, &d->account);
	if (!hostiam_account_denies(&d->account))
		return false;
	d->by = HOSTIAM_BY_ACCOUNT;
	d->rule_index = -1;
	d->rule_name = "account";
	d->policy_action = HOSTIAM_ACTION_DENY;
	d->message = hostiam_account_message(d->account.status);
	hostiam_account_describe(cfg, &d->account, d->reason, sizeof(d->reason));
	return true;
}

/*
 * A reviewer revoked this access in a closed campaign: denied before any rule, and in
 * report mode too, since a person decided it for this user (not a rule being rolled out).
 * Only a later campaign that keeps the user lets them in again.
 */
static bool revoked_denies(const struct hostiam_request *req, struct hostiam_decision *d)
{
	struct strbuf sb;

	if (req->cert.campaign == 0 || !req->cert.revoked)
		return false;
	decide_fixed(d, HOSTIAM_BY_REVOKED, HOSTIAM_ACTION_DENY, "revoked", "");
	d->message = "Your access to this host was revoked in an access review.";
	sb_init(&sb, d->reason, sizeof(d->reason));
	sb_printf(&sb, "access revoked in review campaign %lu by %s", req->cert.campaign,
		  req->cert.reviewer);
	return true;
}

/* True when name is one of l. */
static bool listed(const struct hostiam_strlist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i], name) == 0)
			return true;
	return false;
}

/*
 * cron, atd or su run by root cannot show a prompt: asking would only fail the job. An
 * `mfa` decision lets them through; deny rules and the account state were applied before.
 */
static void skip_prompt(const struct hostiam_config *cfg, const struct hostiam_request *req,
			struct hostiam_decision *d)
{
	struct strbuf sb;

	if (d->policy_action != HOSTIAM_ACTION_MFA)
		return;
	sb_init(&sb, d->note, sizeof(d->note));
	if (listed(&cfg->access.non_interactive, req->service))
		sb_printf(&sb, "service %s cannot prompt: mfa not asked", req->service);
	else if (req->caller_root && listed(&cfg->access.root_switch, req->service))
		sb_printf(&sb, "service %s run by root: mfa not asked", req->service);
	else
		return;
	d->no_prompt = true;
	d->mfa_fresh = false;
	d->policy_action = HOSTIAM_ACTION_ALLOW;
	sb_init(&sb, d->reason + strlen(d->reason), sizeof(d->reason) - strlen(d->reason));
	sb_printf(&sb, "; %s", d->note);
}

/*
 * The deciding rule's terms of use. Not accepted (or too long ago, or another version):
 * the login must show them, unless the service cannot converse (cron, atd): then the
 * decision is deny, with the rule's message. su by root switches as an administrator and
 * is not asked, as for MFA.
 */
static void apply_terms(const struct hostiam_config *cfg, const struct hostiam_request *req,
			struct hostiam_decision *d)
{
	const struct hostiam_rule *r;
	struct strbuf sb;
	size_t used;

	if (d->by != HOSTIAM_BY_RULE || d->policy_action == HOSTIAM_ACTION_DENY)
		return;
	r = &cfg->access.rules[d->rule_index];
	if (r->terms_index < 0 || (size_t)r->terms_index >= cfg->n_terms)
		return;
	d->terms = &cfg->terms[r->terms_index];
	d->terms_accepted = hostiam_terms_find(d->terms, req->terms, req->n_terms, req->now);
	if (d->terms_accepted ||
	    (req->caller_root && listed(&cfg->access.root_switch, req->service)))
		return;
	used = strlen(d->reason);
	sb_init(&sb, d->reason + used, sizeof(d->reason) - used);
	if (!listed(&cfg->access.non_interactive, req->service)) {
		d->terms_needed = true;
		sb_printf(&sb, "; terms %s version %s not accepted", d->terms->name,
			  d->terms->version);
		return;
	}
	sb_printf(&sb, "; terms %s version %s not accepted and service %s cannot show them",
		  d->terms->name, d->terms->version, req->service);
	d->policy_action = HOSTIAM_ACTION_DENY;
	d->message = r->message;
	d->mfa_fresh = false;
}

/* Exempt first, then the account state, then the first matching rule, else the default. */
int hostiam_policy_evaluate(const struct hostiam_config *cfg, const struct hostiam_request *req,
			    struct hostiam_decision *out)
{
	struct hostiam_decision d;
	struct policy_input in;
	size_t i;

	if (!cfg || !req || !out || !req->user || !req->user[0] || !req->service ||
	    !req->service[0])
		return HOSTIAM_ERR_INVALID_ARG;
	memset(&d, 0, sizeof(d));
	if (cfg->access.n_rules > 0) {
		d.trace = calloc(cfg->access.n_rules, sizeof(*d.trace));
		if (d.trace == NULL)
			return HOSTIAM_ERR_NOMEM;
	}
	d.n_trace = cfg->access.n_rules;
	for (i = 0; i < d.n_trace; i++)
		d.trace[i].rule = &cfg->access.rules[i];
	policy_input_init(&in, cfg, req);
	hostiam_account_evaluate(NULL, req->now, &d.account);
	if (hostiam_policy_is_exempt(cfg, req->user))
		decide_fixed(&d, HOSTIAM_BY_EXEMPT, HOSTIAM_ACTION_ALLOW, "exempt",
			     "exempt account");
	else if (!account_denies(cfg, req, &d) && !revoked_denies(req, &d) &&
		 !run_rules(cfg, &in, &d))
		decide_fixed(&d, HOSTIAM_BY_DEFAULT, cfg->access.default_action, "default",
			     "no rule matched");
	policy_grant_use(cfg, req, &d);
	d.mfa_fresh = mfa_is_fresh(cfg, req, &d);
	skip_prompt(cfg, req, &d);
	apply_terms(cfg, req, &d);
	d.action = d.policy_action;
	/*
	 * Report mode is for rolling a policy out: it must not lock anyone out, and a TOTP
	 * prompt is just as disruptive to someone who never enrolled. So both deny and mfa are
	 * enforced as allow; policy_action keeps what enforce mode would do, for the log.
	 * The account state is not this host's policy but the directory's decision (what
	 * SSSD or nslcd enforced before): a locked account stays locked in either mode.
	 */
	if (cfg->access.mode == HOSTIAM_MODE_REPORT && d.by != HOSTIAM_BY_ACCOUNT &&
	    d.by != HOSTIAM_BY_REVOKED) {
		d.report_only = true;
		d.action = HOSTIAM_ACTION_ALLOW;
	}
	*out = d;
	return 0;
}

/* Free the trace; the rest of *d points into the configuration. */
void hostiam_decision_free(struct hostiam_decision *d)
{
	if (d == NULL)
		return;
	free(d->trace);
	d->trace = NULL;
	d->n_trace = 0;
}

/* The configuration's word for a, or "invalid" for a value that is none of them. */
const char *hostiam_action_name(enum hostiam_action a)
{
	switch (a) {
	case HOSTIAM_ACTION_ALLOW:
		return "allow";
	case HOSTIAM_ACTION_DENY:
		return "deny";
	case HOSTIAM_ACTION_MFA:
		return "mfa";
	}
	return "invalid";
}
