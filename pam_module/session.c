/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Session side: create a missing home (option mkhomedir, mkhomedir.c), and record each
 * login (time, service, remote host) in the state directory, for inactive_days and
 * `hostiam review`. The session stack never lets anyone in, so a failure here is logged
 * and does not block a login the account stack allowed: a full disk or a broken
 * configuration must not lock out the administrator who comes to fix it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "configuration.h"
#include "errors.h"
#include "log.h"
#include "pam_hostiam.h"
#include "state.h"

struct login_record {
	time_t when;
	const char *service;
	const char *rhost;
};

/* hostiam_state_update callback: store the login, keep the MFA fields as they are. */
static int set_last_login(struct hostiam_user_state *st, void *ctx)
{
	const struct login_record *rec = ctx;

	st->last_login = rec->when;
	snprintf(st->last_service, sizeof(st->last_service), "%s", rec->service);
	snprintf(st->last_rhost, sizeof(st->last_rhost), "%s", rec->rhost ? rec->rhost : "");
	return 0;
}

/*
 * Make the home if asked, and record this login; PAM_SESSION_ERR only when the application
 * set no user or service.
 */
int pam_hostiam_record_login(pam_handle_t *pamh, const struct pam_hostiam_options *opts)
{
	struct pam_hostiam_items it;
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	struct login_record rec;
	char user[128], service[64];
	int rc;

	rc = pam_hostiam_get_items(pamh, false, &it);
	if (rc != PAM_SUCCESS) {
		hostiam_log(LOG_ERR, "session: cannot read the PAM items: %s",
			    pam_strerror(pamh, rc));
		return PAM_SESSION_ERR;
	}
	/* Before the configuration: a home does not depend on hostiam.conf being right. */
	if (opts->mkhomedir)
		pam_hostiam_mkhomedir(it.user, opts);
	/* PAM_USER is whatever the client typed: escaped as in the decision line. */
	hostiam_log_value(user, sizeof(user), it.user);
	hostiam_log_value(service, sizeof(service), it.service);
	memset(&errs, 0, sizeof(errs));
	rc = hostiam_config_load(opts->config, &cfg, &errs);
	if (rc < 0) {
		pam_hostiam_log_config_errors(opts->config, rc, &errs);
		hostiam_log(LOG_ERR, "login of %s not recorded", user);
		return PAM_SUCCESS;
	}
	rec.when = time(NULL);
	rec.service = it.service;
	rec.rhost = it.rhost;
	rc = hostiam_state_update(cfg->cache.state_dir, it.user, set_last_login, &rec);
	if (rc < 0)
		hostiam_log(LOG_ERR, "login of %s not recorded in %s: %s", user,
			    cfg->cache.state_dir, hostiam_strerror(rc));
	else
		hostiam_log(LOG_DEBUG, "login of %s recorded (service %s)", user, service);
	hostiam_config_free(cfg);
	return PAM_SUCCESS;
}
