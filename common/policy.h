/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The policy engine: one pure function from (configuration, request) to a decision, the
 * rule that made it and a trace of every rule. The PAM module, `hostiam check` and
 * `hostiam review` all call hostiam_policy_evaluate(), so what the admin tool says is
 * exactly what a login gets. No I/O, no clock, no DNS: everything comes in the request.
 */
#ifndef HOSTIAM_POLICY_H
#define HOSTIAM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "account_state.h"
#include "configuration.h"
#include "state.h"

/* How the user has a group through a grant (grants.h) rather than a standing membership. */
struct hostiam_group_grant {
	unsigned long id; /* 0: a standing membership */
	time_t not_before, not_after;
};

/* Everything the decision may depend on, gathered by the caller (see request.h). */
struct hostiam_request {
	const char *user;
	const char *service;       /* PAM service name ("sshd", "sudo", ...) */
	const char *rhost;         /* PAM_RHOST; NULL or "" means a local login */
	const char *tty;           /* PAM_TTY, "/dev/" prefix allowed; NULL if none */
	const char *const *groups; /* names of every group of the user: primary and
	                                  supplementary, local and directory */
	size_t n_groups;
	/* Beside groups, one each: which of them the user has through a grant active at now;
	   NULL when none is. */
	const struct hostiam_group_grant *group_grants;
	time_t now;                     /* the clock, injected */
	bool offline;                   /* the directory cache is missing or older than max_age */
	enum hostiam_tristate enrolled; /* has MFA; HOSTIAM_UNSET when not known */
	time_t last_login;              /* last recorded login on this host; 0: none recorded */
	time_t last_mfa;                /* last TOTP success on this host; 0: never */
	bool directory_user;            /* in the directory cache (nss.cache) */
	/* The directory's account state (auth.cache); NULL: a local or exempt account, a
	   directory account with none, or an auth.cache of format 1 (state unknown). */
	const struct hostiam_account_attrs *account;
	bool account_unknown; /* a directory account whose state auth.cache cannot tell */
	bool caller_root;     /* the process's real uid is 0 (su/runuser run by root) */
	/* The user's recorded acceptances of terms of use (state.h); NULL: none. */
	const struct hostiam_terms_acceptance *terms;
	size_t n_terms;
	/* The user's decision in the last closed access review (certify.h); campaign 0: none. */
	struct hostiam_certification cert;
};

/* Why a rule did or did not match: one line of the trace. */
struct hostiam_rule_trace {
	const struct hostiam_rule *rule;
	bool matched;
	bool evaluated;   /* false for rules after the deciding one */
	char reason[192]; /* matched: what held; else the first failed condition */
};

enum hostiam_decided_by {
	HOSTIAM_BY_RULE,    /* rule_index names the rule */
	HOSTIAM_BY_DEFAULT, /* no rule matched: access.default */
	HOSTIAM_BY_EXEMPT,  /* the user is in access.exempt */
	HOSTIAM_BY_ACCOUNT, /* the directory account is disabled, locked or expired */
	HOSTIAM_BY_REVOKED, /* a closed access review decided revoke (req->cert) */
};

struct hostiam_decision {
	enum hostiam_action action;        /* what to enforce (report mode never says deny) */
	enum hostiam_action policy_action; /* what the policy says, before report mode */
	enum hostiam_decided_by by;
	int rule_index;                         /* index into cfg->access.rules, or -1 */
	const char *rule_name;                  /* the rule's name, "default" or "exempt" */
	const char *message;                    /* the rule's message for a denial, or NULL */
	bool report_only;                       /* mode = report: logged, not enforced */
	bool mfa_fresh;                         /* action mfa, and last_mfa is within mfa_max_age */
	char reason[192];                       /* short, for the log line and the user */
	struct hostiam_account_verdict account; /* the account state at req->now (ok when none) */
	bool no_prompt;                         /* mfa let through: the service cannot prompt */
	char note[160];                         /* why no_prompt, for the trace; else "" */
	/* The deciding rule's terms of use (allow or mfa rules): the entry, whether the
	   user's acceptance covers it (terms_accepted, the acceptance), and terms_needed:
	   a login must show the text and have it accepted first. A service that cannot ask
	   (access.non_interactive) is denied instead (terms_needed stays false). */
	const struct hostiam_terms *terms;
	const struct hostiam_terms_acceptance *terms_accepted;
	bool terms_needed;
	struct hostiam_rule_trace *trace; /* one per rule, in order (owned) */
	size_t n_trace;
	/* The deciding rule's `group` held only through this grant (0: not through one);
	   grant_mfa: its role has mfa = true and no TOTP code was given since it began, so an
	   allow became mfa and an earlier code does not count as fresh. */
	unsigned long grant_id;
	bool grant_mfa;
};

/*
 * Decide: exempt accounts are allowed; a directory account that is disabled, locked or
 * expired is denied before any rule (rule "account", the reason naming the attribute);
 * so is a user whose last closed access review decided revoke (rule "revoked");
 * then the rules, then access.default. An `mfa` decision for a service in
 * access.non_interactive, or in access.root_switch when req->caller_root, becomes allow
 * (no_prompt, note): those cannot ask for a code; deny stays deny. Report mode last: it
 * lets the rules' deny and mfa through, never the account state (the directory's own
 * decision, enforced in either mode). A deciding rule with `terms` the user's acceptance
 * (req->terms) does not cover sets terms_needed; for a service in access.non_interactive
 * the decision becomes deny instead (it cannot show the text), with the rule's message;
 * su by root (access.root_switch with caller_root) is not asked, as for MFA.
 * Returns 0 and fills *out (free with hostiam_decision_free), or HOSTIAM_ERR_NOMEM
 * or HOSTIAM_ERR_INVALID_ARG (no user or service). Never fails open: callers treat any
 * error as a denial.
 */
int hostiam_policy_evaluate(const struct hostiam_config *cfg, const struct hostiam_request *req,
			    struct hostiam_decision *out);

void hostiam_decision_free(struct hostiam_decision *d);

/*
 * True when user is one of access.exempt, the break-glass accounts: the one definition,
 * also for callers that could not gather a whole request and must fail closed for others.
 */
bool hostiam_policy_is_exempt(const struct hostiam_config *cfg, const char *user);

/* The account let in when the configuration cannot be read (its exempt list with it). */
#define HOSTIAM_BREAK_GLASS_USER "root"

/*
 * The one fail-closed decision, for a login the engine could not decide; pam_hostiam,
 * `hostiam check` and `hostiam review` all take it. Fills *out (no trace, never
 * report-only: failing closed is enforced in either mode), reason included:
 *  - cfg NULL, the configuration is unusable: deny ("config-error"), except the built-in
 *    HOSTIAM_BREAK_GLASS_USER ("break-glass"), so an administrator can repair the host;
 *  - err HOSTIAM_ERR_NOT_FOUND or HOSTIAM_ERR_INVALID_NAME: deny ("unknown-user");
 *  - any other err (insecure state, out of memory, ...): allow access.exempt accounts
 *    ("exempt"), deny everyone else ("error"), the reason naming err.
 * No I/O. hostiam_decision_free() on *out is harmless.
 */
void hostiam_policy_fail_closed(const struct hostiam_config *cfg, const char *user, int err,
				struct hostiam_decision *out);

/* "allow", "deny" or "mfa". */
const char *hostiam_action_name(enum hostiam_action a);

/*
 * The one syslog line per decision, machine-parsable:
 *   decision=deny user=alice service=sshd rhost=203.0.113.7 rule=contractors reason="..."
 * (grant=ID after rule= when the rule's group held through a grant)
 * (plus mode=report when not enforced). Values with spaces or quotes are quoted and
 * escaped; user-controlled strings cannot inject a new key. Truncates to len.
 */
void hostiam_decision_format_log(const struct hostiam_decision *d,
				 const struct hostiam_request *req, char *buf, size_t len);

#endif
