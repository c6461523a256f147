/* The one log line per decision: key=value pairs that a user-chosen value cannot forge. */
#include "config.h"

#include <string.h>

#include "policy_internal.h"

/*
 * decision=POLICY_ACTION [mode=report] user=U service=S rhost=R|- rule=NAME reason="..."
 * decision is what the policy says, so report mode logs "decision=deny mode=report" for
 * a login it let through. A literal rhost "-" is quoted so it never reads as "local".
 */
void hostiam_decision_format_log(const struct hostiam_decision *d,
				 const struct hostiam_request *req, char *buf, size_t len)
{
	const char *rhost = req->rhost;
	struct strbuf sb;

	if (buf == NULL || len == 0)
		return;
	sb_init(&sb, buf, len);
	/* mode=report right after the decision: truncation must never drop it. */
	sb_printf(&sb, "decision=%s%s user=", hostiam_action_name(d->policy_action),
		  d->report_only ? " mode=report" : "");
	sb_log_value(&sb, req->user ? req->user : "", false);
	sb_printf(&sb, " service=");
	sb_log_value(&sb, req->service ? req->service : "", false);
	sb_printf(&sb, " rhost=");
	if (rhost == NULL || rhost[0] == '\0')
		sb_printf(&sb, "-");
	else
		sb_log_value(&sb, rhost, strcmp(rhost, "-") == 0);
	sb_printf(&sb, " rule=");
	sb_log_value(&sb, d->rule_name ? d->rule_name : "-", false);
	sb_printf(&sb, " reason=");
	sb_log_value(&sb, d->reason, true);
}
