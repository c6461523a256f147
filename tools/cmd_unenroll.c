/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam unenroll USER and hostiam unlock USER: undo an enrolment, lift an MFA lockout. */
#include "config.h"

#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_args.h"
#include "commands.h"
#include "errors.h"
#include "mfa.h"
#include "names.h"
#include "state.h"

/*
 * The one USER argument of cmd, canonicalised through NSS into name. A name NSS does not
 * know is kept as given when must_exist is false (a user removed from the directory may
 * still have an enrolment to clean up). EXIT_OK, or an exit status after a message.
 */
static int user_arg(const char *cmd, int argc, char **argv, bool must_exist, char *name, size_t len)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (argc != 2 || argv[1][0] == '-') {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	if (!hostiam_valid_user_name(argv[1])) {
		fprintf(stderr, "hostiam: %s: not a valid user name: %s\n", cmd, argv[1]);
		return EXIT_FAILED;
	}
	if (getpwnam_r(argv[1], &pw, buf, sizeof(buf), &res) == 0 && res != NULL &&
	    strlen(pw.pw_name) < len) {
		strcpy(name, pw.pw_name);
		return EXIT_OK;
	}
	if (must_exist) {
		fprintf(stderr, "hostiam: %s: no such user: %s\n", cmd, argv[1]);
		return EXIT_FAILED;
	}
	snprintf(name, len, "%s", argv[1]);
	return EXIT_OK;
}

/* After a removal: say whether a directory secret still asks this user for codes. */
static void tell_remaining(const struct hostiam_config *cfg, const char *user)
{
	struct hostiam_mfa_enrolment e;

	memset(&e, 0, sizeof(e));
	if (hostiam_mfa_load(cfg, user, &e) == 0 && e.source == HOSTIAM_MFA_DIRECTORY)
		printf("A secret from the directory (%s) remains in effect for %s: "
		       "remove it there to stop MFA for this user.\n",
		       cfg->directory.map_totp_secret, user);
	else
		printf("%s has no MFA enrolment left on this host.\n", user);
	hostiam_mfa_enrolment_wipe(&e);
}

/* hostiam unenroll USER */
int cmd_unenroll(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	char user[HOSTIAM_NAME_MAX + 1];
	int rc;

	if ((rc = user_arg("unenroll", argc, argv, false, user, sizeof(user))) != EXIT_OK)
		return rc;
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_USAGE;
	rc = hostiam_mfa_remove_local(cfg, user);
	if (rc == HOSTIAM_ERR_NOT_FOUND) {
		fprintf(stderr, "hostiam: unenroll: %s has no local enrolment\n", user);
		rc = EXIT_FAILED;
	} else if (rc < 0) {
		fprintf(stderr, "hostiam: unenroll: %s: %s\n", user, hostiam_strerror(rc));
		rc = EXIT_FAILED;
	} else {
		printf("Removed the local enrolment of %s.\n", user);
		tell_remaining(cfg, user);
		rc = EXIT_OK;
	}
	hostiam_config_free(cfg);
	return rc;
}

/* hostiam unlock USER */
int cmd_unlock(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	struct hostiam_user_state st;
	char user[HOSTIAM_NAME_MAX + 1], until[64];
	int rc;

	if ((rc = user_arg("unlock", argc, argv, true, user, sizeof(user))) != EXIT_OK)
		return rc;
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_USAGE;
	memset(&st, 0, sizeof(st));
	(void)hostiam_state_load(cfg->cache.state_dir, user, &st);
	rc = hostiam_mfa_unlock(cfg, user);
	if (rc < 0) {
		fprintf(stderr, "hostiam: unlock: %s: %s\n", user, hostiam_strerror(rc));
		rc = EXIT_FAILED;
	} else {
		if (st.locked_until > time(NULL)) {
			cli_format_time(cli_zone(cfg), st.locked_until, 1, until, sizeof(until));
			/* The count of lockouts in a row is reset too: the next one is short again. */
			printf("Unlocked %s (was locked until %s, lockout %u in a row).\n", user,
			       until, st.lockouts);
		} else {
			printf("Cleared the MFA failures of %s (%u; not locked; %u lockouts in a "
			       "row).\n",
			       user, st.failures, st.lockouts);
		}
		rc = EXIT_OK;
	}
	hostiam_config_free(cfg);
	return rc;
}
