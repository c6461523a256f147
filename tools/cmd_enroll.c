/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam enroll: give a user a local TOTP enrolment. A new secret comes from the kernel's
 * CSPRNG and is shown as an otpauth:// URI and a QR code, then activated only when the
 * user types a code that verifies; --secret and --import take an existing secret over
 * (migration) without asking. --directory and --self write the confirmed secret to the
 * user's directory entry instead (tools/enroll_directory.c). Secrets are wiped on every
 * path and never logged.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli_args.h"
#include "commands.h"
#include "enroll.h"
#include "errors.h"
#include "mfa.h"
#include "names.h"
#include "otpauth_uri.h"
#include "parse_num.h"

/* Parse a --algorithm value; 0 or -1. */
static int parse_algorithm(const char *v, enum hostiam_totp_algorithm *out)
{
	if (strcasecmp(v, "sha1") == 0)
		*out = HOSTIAM_TOTP_SHA1;
	else if (strcasecmp(v, "sha256") == 0)
		*out = HOSTIAM_TOTP_SHA256;
	else if (strcasecmp(v, "sha512") == 0)
		*out = HOSTIAM_TOTP_SHA512;
	else
		return -1;
	return 0;
}

/* One numeric option in [min, max] into *out; 0, or -1 after a message. */
static int parse_int(const char *name, const char *v, unsigned long min, unsigned long max,
		     int *out)
{
	unsigned long n;

	if (hostiam_parse_ulong(v, min, max, &n) < 0) {
		fprintf(stderr, "hostiam: enroll: %s wants a number from %lu to %lu\n", name, min,
			max);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* The options that take a value; 1 when argv[*i] was one, 0 when not, -1 on error. */
static int parse_valued(int argc, char **argv, int *i, struct enroll_args *a)
{
	const char *v = NULL;

	if (cli_opt_value(argc, argv, i, "--secret", &v) > 0) {
		a->secret = (char *)v; /* argv is writable: wiped once decoded */
		return 1;
	}
	if (cli_opt_value(argc, argv, i, "--import", &a->import) > 0)
		return 1;
	if (cli_opt_value(argc, argv, i, "--bind-dn", &a->bind_dn) > 0)
		return 1;
	if (cli_opt_value(argc, argv, i, "--bind-password-file", &a->bind_password_file) > 0)
		return 1;
	if (cli_opt_value(argc, argv, i, "--algorithm", &v) > 0) {
		a->has_algorithm = true;
		if (parse_algorithm(v, &a->algorithm) == 0)
			return 1;
		fprintf(stderr, "hostiam: enroll: --algorithm is sha1, sha256 or sha512\n");
		return -1;
	}
	if (cli_opt_value(argc, argv, i, "--digits", &v) > 0)
		return parse_int("--digits", v, 6, 8, &a->digits) < 0 ? -1 : 1;
	if (cli_opt_value(argc, argv, i, "--period", &v) > 0)
		return parse_int("--period", v, 1, 300, &a->period) < 0 ? -1 : 1;
	if (cli_opt_value(argc, argv, i, "--recovery-codes", &v) > 0)
		return parse_int("--recovery-codes", v, 1, ENROLL_MAX_RECOVERY, &a->recovery) < 0 ?
			-1 :
			1;
	return 0;
}

/* The options that --directory and --self allow; 0, or -1 after a message. */
static int check_central(const struct enroll_args *a)
{
	const char *why = NULL;

	if (a->directory && a->self)
		why = "--directory and --self exclude each other";
	else if (a->directory && (a->user == NULL || a->bind_dn == NULL))
		why = "--directory wants a USER and --bind-dn DN";
	else if (a->self && (a->user || a->bind_dn || a->bind_password_file || a->force))
		why = "--self enrols the caller, bound as themselves, once: no USER, no "
		      "--bind-dn, no --force (an administrator replaces a secret)";
	/* The entry holds the bare secret: hosts use the mfa section's parameters. */
	else if (a->secret || a->import || a->has_algorithm || a->digits || a->period ||
		 a->recovery)
		why = "a directory secret is new and uses the mfa section's algorithm, digits "
		      "and period: no --secret, --import, --algorithm, --digits, --period, "
		      "--recovery-codes";
	if (why == NULL)
		return 0;
	fprintf(stderr, "hostiam: enroll: %s\n", why);
	return -1;
}

/* The command line after "enroll"; 0, or -1 after a message. */
static int parse_args(int argc, char **argv, struct enroll_args *a)
{
	int i, r;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0) {
			a->force = true;
		} else if (strcmp(argv[i], "--directory") == 0) {
			a->directory = true;
		} else if (strcmp(argv[i], "--self") == 0) {
			a->self = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if ((r = parse_valued(argc, argv, &i, a)) < 0)
				return -1;
			if (r == 0) {
				fprintf(stderr, "hostiam: enroll: unknown option '%s'\n", argv[i]);
				return -1;
			}
		} else if (a->user == NULL) {
			a->user = argv[i];
		} else {
			fprintf(stderr, "hostiam: enroll: one user at a time ('%s')\n", argv[i]);
			return -1;
		}
	}
	if (a->directory || a->self)
		return check_central(a);
	if (a->bind_dn || a->bind_password_file) {
		fprintf(stderr,
			"hostiam: enroll: --bind-dn and --bind-password-file go with "
			"--directory\n");
		return -1;
	}
	if (a->user == NULL || a->user[0] == '\0') {
		fprintf(stderr, "hostiam: enroll: which user?\n");
		return -1;
	}
	if (a->secret && a->import) {
		fprintf(stderr, "hostiam: enroll: --secret and --import exclude each other\n");
		return -1;
	}
	return 0;
}

/* The user's canonical name through NSS into name; EXIT_OK or EXIT_FAILED. */
static int resolve_user(const char *user, char *name, size_t len)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int err;

	err = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (err != 0 || res == NULL) {
		fprintf(stderr, "hostiam: enroll: no such user: %s%s%s\n", user,
			err != 0 ? ": " : "", err != 0 ? strerror(err) : "");
		return EXIT_FAILED;
	}
	if (strlen(pw.pw_name) >= len) {
		fprintf(stderr, "hostiam: enroll: user name too long: %s\n", user);
		return EXIT_FAILED;
	}
	strcpy(name, pw.pw_name);
	return EXIT_OK;
}

/* Refuse to replace a local enrolment unless --force; EXIT_OK when free to go on. */
static int check_existing(const struct hostiam_config *cfg, const char *user, bool force)
{
	struct hostiam_mfa_enrolment old;
	int rc;

	memset(&old, 0, sizeof(old));
	rc = hostiam_mfa_load(cfg, user, &old);
	if (rc == 0 && old.source == HOSTIAM_MFA_LOCAL && !force) {
		fprintf(stderr,
			"hostiam: enroll: %s is already enrolled on this host "
			"(--force replaces the enrolment)\n",
			user);
		rc = EXIT_FAILED;
	} else if (rc < 0 && rc != HOSTIAM_ERR_NOT_FOUND && !force) {
		fprintf(stderr,
			"hostiam: enroll: %s: cannot read the enrolment: %s "
			"(--force replaces it)\n",
			user, hostiam_strerror(rc));
		rc = EXIT_FAILED;
	} else {
		rc = EXIT_OK;
	}
	hostiam_mfa_enrolment_wipe(&old);
	return rc;
}

/* The secret, from where the command line says; new secrets are confirmed first. */
static int obtain_secret(const struct hostiam_config *cfg, struct enroll_args *a, const char *user,
			 struct hostiam_mfa_enrolment *e)
{
	int rc;

	if (a->import)
		return enroll_import(a, user, e);
	if (a->secret)
		return enroll_given_secret(a->secret, e);
	rc = enroll_new_secret(e);
	if (rc == EXIT_OK)
		rc = enroll_confirm(cfg, user, e);
	return rc;
}

/* Store e, then show the recovery codes (only once they work). */
static int store(const struct hostiam_config *cfg, const char *user,
		 const struct hostiam_mfa_enrolment *e, char **codes, int n_codes)
{
	int rc, i;

	rc = hostiam_mfa_store_local(cfg, user, e);
	if (rc < 0) {
		fprintf(stderr, "hostiam: enroll: %s: cannot store the enrolment: %s\n", user,
			hostiam_strerror(rc));
		return EXIT_FAILED;
	}
	printf("Enrolled %s (%s, %d digits, %d s).\n", user,
	       otpauth_algorithm_name(e->params.algorithm), e->params.digits, e->params.period);
	if (n_codes > 0) {
		printf("\nRecovery codes (each works once; they are shown only now):\n");
		for (i = 0; i < n_codes; i++)
			printf("  %s\n", codes[i]);
	}
	if (e->n_recovery > 0)
		printf("%zu unused recovery code(s) stored.\n", e->n_recovery);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "hostiam: enroll: write error on standard output\n");
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* Everything after the configuration is loaded. */
static int run_enroll(const struct hostiam_config *cfg, struct enroll_args *a)
{
	struct hostiam_mfa_enrolment e;
	char user[HOSTIAM_NAME_MAX + 1], **codes = NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	e.source = HOSTIAM_MFA_LOCAL;
	enroll_default_params(cfg, a, &e.params);
	rc = resolve_user(a->user, user, sizeof(user));
	if (rc == EXIT_OK)
		rc = check_existing(cfg, user, a->force);
	if (rc == EXIT_OK)
		rc = obtain_secret(cfg, a, user, &e);
	if (rc == EXIT_OK && a->recovery > 0)
		rc = enroll_recovery_codes(a->recovery, &e, &codes);
	if (rc == EXIT_OK)
		rc = store(cfg, user, &e, codes, a->recovery);
	enroll_wipe_codes(codes, codes ? (size_t)a->recovery : 0);
	hostiam_mfa_enrolment_wipe(&e);
	return rc;
}

/* hostiam enroll USER [--secret B32] [--import FILE] [--algorithm A] [--digits N] ... */
int cmd_enroll(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	struct enroll_args a;
	int rc;

	if (parse_args(argc, argv, &a) < 0) {
		if (a.secret)
			explicit_bzero(a.secret, strlen(a.secret));
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (cfg == NULL) {
		if (a.secret)
			explicit_bzero(a.secret, strlen(a.secret));
		return EXIT_USAGE;
	}
	rc = a.directory || a.self ? enroll_directory(cfg, &a) : run_enroll(cfg, &a);
	hostiam_config_free(cfg);
	return rc;
}
