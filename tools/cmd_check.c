/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam check: what would pam_hostiam decide for this login, and why. The request is
 * gathered and decided by the same two calls the PAM module makes, and a request that
 * cannot be gathered or a configuration that cannot be read fails closed through the same
 * hostiam_policy_fail_closed(), so the answer is the login's answer.
 */
#include "config.h"

#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check_print.h"
#include "cli_args.h"
#include "commands.h"
#include "errors.h"
#include "policy.h"
#include "request.h"

struct check_args {
	const char *user, *service, *rhost, *tty, *at;
	const char *caller; /* --caller: who runs su/runuser; NULL: not root */
	bool json;
};

/* One option at argv[*i]; 0, or -1 after a message. */
static int parse_option(int argc, char **argv, int *i, struct check_args *a)
{
	static const char *const names[] = { "--service", "--from", "--tty", "--at", "--caller" };
	const char **dest[] = { &a->service, &a->rhost, &a->tty, &a->at, &a->caller };
	size_t k;
	int r;

	if (strcmp(argv[*i], "--json") == 0) {
		a->json = true;
		return 0;
	}
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		r = cli_opt_value(argc, argv, i, names[k], dest[k]);
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	fprintf(stderr, "hostiam: check: unknown option '%s'\n", argv[*i]);
	return -1;
}

/* The command line after "check"; 0, or -1 after a message. */
static int parse_args(int argc, char **argv, struct check_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if (parse_option(argc, argv, &i, a) < 0)
				return -1;
		} else if (a->user == NULL) {
			a->user = argv[i];
		} else {
			fprintf(stderr, "hostiam: check: one user at a time ('%s')\n", argv[i]);
			return -1;
		}
	}
	if (a->user == NULL || a->user[0] == '\0' || a->service == NULL || a->service[0] == '\0') {
		fprintf(stderr, "hostiam: check: a user and --service are required\n");
		return -1;
	}
	return 0;
}

/*
 * --caller USER: whether USER is root (uid 0), as pam_hostiam sees the real uid of su or
 * runuser. 0, or -1 after a message when there is no such user.
 */
static int caller_is_root(const char *caller, bool *root)
{
	struct passwd *pw;

	*root = false;
	if (caller == NULL)
		return 0;
	if ((pw = getpwnam(caller)) == NULL) {
		fprintf(stderr, "hostiam: check: --caller: no such user: %s\n", caller);
		return -1;
	}
	*root = pw->pw_uid == 0;
	return 0;
}

/* Say on stderr why the engine could not decide. */
static void tell_failure(const char *user, int err)
{
	if (err == HOSTIAM_ERR_NOT_FOUND || err == HOSTIAM_ERR_INVALID_NAME)
		fprintf(stderr, "hostiam: check: no such user: %s\n", user);
	else
		fprintf(stderr, "hostiam: check: cannot decide for %s: %s\n", user,
			hostiam_strerror(err));
}

/*
 * Gather, decide, print; the exit status follows the enforced decision. cfg NULL (the
 * configuration is unusable) prints the decision pam_hostiam then takes.
 */
static int run_check(const struct hostiam_config *cfg, const struct check_args *a, bool root,
		     time_t now)
{
	struct hostiam_request_ctx ctx;
	struct hostiam_decision d;
	struct check_report rep = { cfg, a->user, a->service, a->rhost, a->tty, now, NULL, &d };
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	memset(&d, 0, sizeof(d));
	rc = HOSTIAM_ERR_CONFIG;
	if (cfg != NULL)
		rc = hostiam_request_build(cfg, a->user, a->service, a->rhost, a->tty, now, &ctx);
	ctx.req.caller_root = root;
	if (rc == 0)
		rc = hostiam_policy_evaluate(cfg, &ctx.req, &d);
	if (rc < 0) {
		if (cfg != NULL)
			tell_failure(a->user, rc);
		hostiam_decision_free(&d);
		hostiam_policy_fail_closed(cfg, a->user, rc, &d);
	} else {
		rep.req = &ctx.req;
	}
	if (a->json)
		check_print_json(stdout, &rep);
	else
		check_print_text(stdout, &rep);
	rc = d.action == HOSTIAM_ACTION_DENY ? EXIT_FAILED : EXIT_OK;
	hostiam_decision_free(&d);
	hostiam_request_ctx_free(&ctx);
	return rc;
}

/* hostiam check USER --service S [--from IP] [--tty T] [--at TIME] [--caller U] [--json] */
int cmd_check(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	struct check_args a;
	time_t now = time(NULL);
	char why[160];
	bool root;
	int rc;

	if (parse_args(argc, argv, &a) < 0) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if (caller_is_root(a.caller, &root) < 0)
		return EXIT_USAGE;
	cfg = cli_load_config(cli);
	/* --at is on the policy's clock: read once the configuration has named its zone. */
	if (a.at && cli_parse_at(cli_zone(cfg), a.at, &now, why, sizeof(why)) < 0) {
		fprintf(stderr, "hostiam: check: --at: %s\n", why);
		hostiam_config_free(cfg);
		return EXIT_USAGE;
	}
	rc = run_check(cfg, &a, root, now);
	/* The errors are on stderr; the decision a login now gets is on stdout. */
	if (cfg == NULL)
		rc = EXIT_USAGE;
	/* A reader that saw half an answer must not take the exit status for an allow. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "hostiam: check: write error on standard output\n");
		rc = EXIT_FAILED;
	}
	hostiam_config_free(cfg);
	return rc;
}
