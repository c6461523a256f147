/* What a login gets when the policy engine cannot be asked: the same as in pam_hostiam. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "fail_closed.h"

/* Unknown users are denied; otherwise exempt accounts pass and everyone else is kept out. */
void cli_fail_closed(const struct hostiam_config *cfg, const struct hostiam_request *items,
		     int err, struct hostiam_decision *d)
{
	bool unknown = err == HOSTIAM_ERR_NOT_FOUND || err == HOSTIAM_ERR_INVALID_NAME;
	bool exempt = !unknown && hostiam_policy_is_exempt(cfg, items->user);

	memset(d, 0, sizeof(*d));
	d->rule_index = -1;
	d->by = exempt ? HOSTIAM_BY_EXEMPT : HOSTIAM_BY_DEFAULT;
	d->action = d->policy_action = exempt ? HOSTIAM_ACTION_ALLOW : HOSTIAM_ACTION_DENY;
	d->rule_name = unknown ? "unknown-user" : exempt ? "exempt" : "error";
	if (unknown)
		snprintf(d->reason, sizeof(d->reason), "no such user");
	else
		snprintf(d->reason, sizeof(d->reason), "error: %s", hostiam_strerror(err));
}
