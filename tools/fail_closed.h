/*
 * The decision pam_hostiam takes when the engine cannot decide (no such user, the state
 * directory is insecure, out of memory), so that check and review show it too.
 */
#ifndef HOSTIAM_FAIL_CLOSED_H
#define HOSTIAM_FAIL_CLOSED_H

#include <stdbool.h>
#include <time.h>

#include "configuration.h"
#include "policy.h"

/*
 * Fill *d (no trace) as pam_hostiam decides after err: "unknown-user" denies for
 * HOSTIAM_ERR_NOT_FOUND and HOSTIAM_ERR_INVALID_NAME (PAM_USER_UNKNOWN); any other error
 * allows exempt accounts ("exempt") and denies everyone else ("error"), in either mode.
 */
void cli_fail_closed(const struct hostiam_config *cfg, const struct hostiam_request *items,
		     int err, struct hostiam_decision *d);

#endif
