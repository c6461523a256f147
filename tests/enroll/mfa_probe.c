/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mfa_probe: look at MFA state through the core, as the PAM module would, for the enroll
 * tests (no PAM involved).
 *
 *   mfa_probe CONFIG show USER         source, algorithm, digits, period, recovery, secret
 *   mfa_probe CONFIG check USER CODE   what a login with CODE gets now: ok, recovery,
 *                                      wrong, locked or not-enrolled
 *   mfa_probe CONFIG state USER        failures and whether MFA is locked now
 *
 * Exit 0 on an answer, 1 on a core error, 2 on usage. Prints the secret: tests only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "configuration.h"
#include "errors.h"
#include "mfa.h"
#include "state.h"
#include "totp.h"

/* "local", "directory" or "none". */
static const char *source_name(enum hostiam_mfa_source s)
{
	return s == HOSTIAM_MFA_LOCAL ? "local" : s == HOSTIAM_MFA_DIRECTORY ? "directory" : "none";
}

/* show: one line of key=value. */
static int show(const struct hostiam_config *cfg, const char *user)
{
	static const char *const algs[] = { "SHA1", "SHA256", "SHA512" };
	struct hostiam_mfa_enrolment e;
	char *b32 = NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = hostiam_mfa_load(cfg, user, &e);
	if (rc == HOSTIAM_ERR_NOT_FOUND) {
		printf("source=none\n");
		return 0;
	}
	if (rc == 0)
		rc = hostiam_base32_encode(e.secret, e.secret_len, &b32);
	if (rc == 0)
		printf("source=%s algorithm=%s digits=%d period=%d recovery=%zu secret=%s\n",
		       source_name(e.source), algs[e.params.algorithm], e.params.digits,
		       e.params.period, e.n_recovery, b32);
	free(b32);
	hostiam_mfa_enrolment_wipe(&e);
	return rc;
}

/* check: the word for the result of one login attempt. */
static int check(const struct hostiam_config *cfg, const char *user, const char *code)
{
	static const char *const words[] = { "ok",     "recovery",     "wrong",
					     "locked", "not-enrolled", "replayed" };
	enum hostiam_mfa_result res;
	int rc;

	rc = hostiam_mfa_check(cfg, user, code, time(NULL), &res);
	if (rc == 0)
		printf("%s\n", words[res]);
	return rc;
}

/* state: failures=N locked=yes|no. */
static int state(const struct hostiam_config *cfg, const char *user)
{
	struct hostiam_user_state st;
	int rc;

	rc = hostiam_state_load(cfg->cache.state_dir, user, &st);
	if (rc == 0)
		printf("failures=%u locked=%s\n", st.failures,
		       st.locked_until > time(NULL) ? "yes" : "no");
	return rc;
}

int main(int argc, char **argv)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	int rc;

	if (argc < 4 || (strcmp(argv[2], "check") == 0) != (argc == 5) || argc > 5) {
		fprintf(stderr, "usage: mfa_probe CONFIG show|check|state USER [CODE]\n");
		return 2;
	}
	if (hostiam_config_load(argv[1], &cfg, &errs) < 0) {
		fprintf(stderr, "mfa_probe: %s: bad configuration\n", argv[1]);
		return 2;
	}
	if (strcmp(argv[2], "show") == 0)
		rc = show(cfg, argv[3]);
	else if (strcmp(argv[2], "check") == 0)
		rc = check(cfg, argv[3], argv[4]);
	else if (strcmp(argv[2], "state") == 0)
		rc = state(cfg, argv[3]);
	else
		rc = HOSTIAM_ERR_INVALID_ARG;
	if (rc < 0)
		fprintf(stderr, "mfa_probe: %s\n", hostiam_strerror(rc));
	hostiam_config_free(cfg);
	return rc < 0 ? 1 : 0;
}
