/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The decision a login gets when the policy engine cannot be asked: the configuration is
 * unusable, there is no such user, or the request could not be gathered. pam_hostiam,
 * `hostiam check` and `hostiam review` all take it from here, so what the tools show for
 * a broken host is what a login on it gets.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "policy.h"

/* Fill *out with an enforced decision that no rule made. */
static void set_decision(struct hostiam_decision *out, bool allow, const char *rule)
{
	memset(out, 0, sizeof(*out));
	hostiam_account_evaluate(NULL, 0, &out->account);
	out->rule_index = -1;
	out->by = allow ? HOSTIAM_BY_EXEMPT : HOSTIAM_BY_DEFAULT;
	out->action = out->policy_action = allow ? HOSTIAM_ACTION_ALLOW : HOSTIAM_ACTION_DENY;
	out->rule_name = rule;
}

/* Deny everyone but the break-glass accounts; see policy.h for each case. */
void hostiam_policy_fail_closed(const struct hostiam_config *cfg, const char *user, int err,
				struct hostiam_decision *out)
{
	bool named = user != NULL;

	if (cfg == NULL) {
		/* The exempt list lives in the broken file, so only the built-in account passes. */
		bool glass = named && strcmp(user, HOSTIAM_BREAK_GLASS_USER) == 0;

		set_decision(out, glass, glass ? "break-glass" : "config-error");
		snprintf(out->reason, sizeof(out->reason), "%s",
			 glass ? "configuration unusable, built-in break-glass account" :
				 "configuration unusable");
	} else if (err == HOSTIAM_ERR_NOT_FOUND || err == HOSTIAM_ERR_INVALID_NAME) {
		set_decision(out, false, "unknown-user");
		snprintf(out->reason, sizeof(out->reason), "no such user");
	} else {
		bool exempt = named && hostiam_policy_is_exempt(cfg, user);

		set_decision(out, exempt, exempt ? "exempt" : "error");
		snprintf(out->reason, sizeof(out->reason), "error: %s", hostiam_strerror(err));
	}
}
