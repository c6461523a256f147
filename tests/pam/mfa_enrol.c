/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mfa_enrol: set up MFA for the PAM tests through the core's own API (mfa.h, auth_cache.h),
 * with the paths and TOTP defaults of a hostiam.conf.
 *
 *   mfa_enrol CONFIG local USER BASE32 [RECOVERY-CODE...]   local enrolment (+ codes)
 *   mfa_enrol CONFIG remove USER                            drop the local enrolment
 *   mfa_enrol CONFIG unlock USER                            clear failures and lockout
 *   mfa_enrol CONFIG auth-cache [USER=BASE32...]            write cache.dir/auth.cache
 *
 * Exit status 0 on success, 1 when the core refuses, 2 for usage or configuration errors.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_cache.h"
#include "configuration.h"
#include "errors.h"
#include "mfa.h"
#include "totp.h"

#define MAX_RECOVERY 16
#define MAX_ENTRIES 16

/* Say how to call the tool; 2. */
static int usage(void)
{
	fprintf(stderr,
		"usage: mfa_enrol CONFIG local USER BASE32 [RECOVERY...] | "
		"CONFIG remove|unlock USER | CONFIG auth-cache [USER=BASE32...]\n");
	return 2;
}

/* Print a core error for what; 1. */
static int refused(const char *what, int rc)
{
	fprintf(stderr, "mfa_enrol: %s: %s\n", what, hostiam_strerror(rc));
	return 1;
}

/* A local enrolment with the mfa section's defaults and the given recovery codes. */
static int enrol_local(const struct hostiam_config *cfg, const char *user, const char *b32,
		       char **codes, int n_codes)
{
	struct hostiam_mfa_enrolment e;
	char *hashes[MAX_RECOVERY];
	int i, rc;

	if (n_codes > MAX_RECOVERY)
		return usage();
	memset(&e, 0, sizeof(e));
	e.source = HOSTIAM_MFA_LOCAL;
	e.params.algorithm = cfg->mfa.algorithm;
	e.params.digits = cfg->mfa.digits;
	e.params.period = cfg->mfa.period;
	if ((rc = hostiam_base32_decode(b32, &e.secret, &e.secret_len)) < 0)
		return refused("base32", rc);
	for (i = 0; i < n_codes; i++) {
		if ((rc = hostiam_recovery_hash(codes[i], &hashes[i])) < 0) {
			e.n_recovery = (size_t)i;
			e.recovery = hashes;
			goto out;
		}
	}
	e.recovery = n_codes ? hashes : NULL;
	e.n_recovery = (size_t)n_codes;
	rc = hostiam_mfa_store_local(cfg, user, &e);
out:
	for (i = 0; i < (int)e.n_recovery; i++)
		free(hashes[i]);
	hostiam_secret_wipe(e.secret, e.secret_len);
	return rc < 0 ? refused("store", rc) : 0;
}

/* auth.cache with one entry per USER=BASE32 argument. */
static int write_auth_cache(const struct hostiam_config *cfg, char **args, int n)
{
	struct hostiam_auth_entry entries[MAX_ENTRIES];
	char *eq;
	int i, rc;

	if (n > MAX_ENTRIES)
		return usage();
	for (i = 0; i < n; i++) {
		if ((eq = strchr(args[i], '=')) == NULL)
			return usage();
		*eq = '\0';
		entries[i].user = args[i];
		entries[i].secret_b32 = eq + 1;
		entries[i].account = NULL;
	}
	rc = hostiam_auth_cache_write(cfg->cache.auth_path, entries, (size_t)n);
	return rc < 0 ? refused("auth-cache", rc) : 0;
}

/* Run one command against the configuration. */
static int run(const struct hostiam_config *cfg, int argc, char **argv)
{
	const char *cmd = argv[2];
	int rc;

	if (strcmp(cmd, "auth-cache") == 0)
		return write_auth_cache(cfg, argv + 3, argc - 3);
	if (argc < 4)
		return usage();
	if (strcmp(cmd, "local") == 0 && argc >= 5)
		return enrol_local(cfg, argv[3], argv[4], argv + 5, argc - 5);
	if (strcmp(cmd, "remove") == 0 && argc == 4) {
		rc = hostiam_mfa_remove_local(cfg, argv[3]);
		return rc < 0 ? refused("remove", rc) : 0;
	}
	if (strcmp(cmd, "unlock") == 0 && argc == 4) {
		rc = hostiam_mfa_unlock(cfg, argv[3]);
		return rc < 0 ? refused("unlock", rc) : 0;
	}
	return usage();
}

/* Load the configuration, run the command. */
int main(int argc, char **argv)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	int rc;

	if (argc < 3)
		return usage();
	memset(&errs, 0, sizeof(errs));
	if ((rc = hostiam_config_load(argv[1], &cfg, &errs)) < 0) {
		fprintf(stderr, "mfa_enrol: %s: %s\n", argv[1], hostiam_strerror(rc));
		return 2;
	}
	rc = run(cfg, argc, argv);
	hostiam_config_free(cfg);
	return rc;
}
