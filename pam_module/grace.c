/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The enrol_by grace period. decide.c finds out
 * whether an enrol_by date is still open (out->enrol_by); here the user is told, in the words the
 * administrator's date gives.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include <security/pam_ext.h>

#include "pam_hostiam.h"
#include "tz.h"

/* Unknown enrolment (an error reading it) is no grace: that fails closed. */
bool pam_hostiam_in_grace(const struct pam_hostiam_outcome *out)
{
	return out->enrol_by != 0 && out->decided && out->ctx.req.enrolled == HOSTIAM_FALSE;
}

/* The day of t on the policy's clock (the configuration's zone, never the caller's TZ). */
static void format_day(const struct pam_hostiam_outcome *out, time_t t, char *buf, size_t len)
{
	const struct hostiam_tz *z = out->cfg ? out->cfg->access.tz : NULL;
	struct tm tm;

	if (hostiam_tz_localtime(z, t, &tm) < 0 || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}

/* enrol_by is stored as the midnight after the date: the second before is that date. */
void pam_hostiam_enrol_by_date(const struct pam_hostiam_outcome *out, char *buf, size_t len)
{
	format_day(out, out->enrol_by - 1, buf, len);
}

/* The warning of the grace period: from which day MFA is required, and how to enrol. */
void pam_hostiam_grace_notice(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out)
{
	char from[32];

	if (flags & PAM_SILENT)
		return;
	format_day(out, out->enrol_by, from, sizeof(from));
	/* The user is let in either way: a conversation that fails changes nothing. */
	(void)pam_info(pamh,
		       "MFA will be required from %s: enrol with \"hostiam enroll %s\" "
		       "(ask an administrator).",
		       from, out->ctx.user ? out->ctx.user : "USER");
}
