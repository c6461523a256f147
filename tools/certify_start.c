/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam certify start: the campaign's list is who can get in — the accounts `review`
 * lists, each decided by the engine for every reviewed service from a remote and a local
 * origin, as a login would be, with the user taken as certified now (the question is
 * whether the rules let them in if the reviewer keeps them; a past revoke or an expired
 * certification must not hide anyone from the review that could restore them).
 */
#include "config.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "certify_cli.h"
#include "cli_args.h"
#include "commands.h"
#include "errors.h"
#include "log.h"
#include "names.h"
#include "policy.h"
#include "request.h"
#include "review.h"
#include "review_users.h"

#define MAX_SERVICES 16

struct start_args {
	const char *reviewer;
	const char *services[MAX_SERVICES];
	size_t n_services;
	bool json;
};

/* A PAM service name: 1 to 32 of A-Z a-z 0-9 . _ - (it goes into the campaign file). */
static bool service_ok(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && n <= 32 &&
		strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* The options after "certify start"; -1 for a usage error. */
static int parse_args(int argc, char **argv, struct start_args *a)
{
	static const char *const defaults[] = { "sshd", "sudo", "login" };
	const char *v;
	int r;

	memset(a, 0, sizeof(*a));
	for (int i = 2; i < argc; i++) {
		if ((r = cli_opt_value(argc, argv, &i, "--reviewer", &a->reviewer)) != 0) {
			if (r < 0)
				return -1;
		} else if ((r = cli_opt_value(argc, argv, &i, "--service", &v)) != 0) {
			if (r < 0 || !service_ok(v) || a->n_services == MAX_SERVICES)
				return -1;
			a->services[a->n_services++] = v;
		} else if (strcmp(argv[i], "--json") == 0) {
			a->json = true;
		} else {
			return -1;
		}
	}
	for (size_t i = 0; a->n_services == 0 && i < 3; i++)
		a->services[i] = defaults[i];
	if (a->n_services == 0)
		a->n_services = 3;
	return a->reviewer ? 0 : -1;
}

/* Whether the engine lets q in from a remote or a local origin. */
static bool gets_in(const struct hostiam_config *cfg, const struct hostiam_request *base,
		    const char *service)
{
	struct hostiam_decision d;
	bool in = false;

	for (int local = 0; local < 2 && !in; local++) {
		struct hostiam_request q = *base;

		q.service = service;
		q.rhost = local ? NULL : REVIEW_REMOTE_ADDR;
		if (hostiam_policy_evaluate(cfg, &q, &d) < 0)
			return false;
		in = d.policy_action != HOSTIAM_ACTION_DENY;
		hostiam_decision_free(&d);
	}
	return in;
}

/* The services user can get into (comma-separated) into buf; false when none. */
static bool user_access(const struct hostiam_config *cfg, const struct start_args *a,
			const char *user, time_t now, char *buf, size_t len)
{
	struct hostiam_request_ctx ctx;
	size_t used = 0;

	buf[0] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	if (hostiam_request_build(cfg, user, a->services[0], NULL, NULL, now, &ctx) < 0) {
		hostiam_request_ctx_free(&ctx);
		return false; /* a login fails closed for it too */
	}
	/* As if kept now: the review decides that, the rules decide the rest. */
	memset(&ctx.req.cert, 0, sizeof(ctx.req.cert));
	ctx.req.cert.campaign = 1;
	ctx.req.cert.when = now;
	for (size_t i = 0; i < a->n_services; i++) {
		int n;

		if (!gets_in(cfg, &ctx.req, a->services[i]))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", a->services[i]);
		if (n > 0 && (size_t)n < len - used)
			used += (size_t)n;
	}
	hostiam_request_ctx_free(&ctx);
	return used > 0;
}

/* The rows: every account review lists that gets in somewhere. */
static int collect(const struct hostiam_config *cfg, const struct start_args *a, time_t now,
		   struct hostiam_campaign *c, char ***access)
{
	struct review_user *users = NULL;
	struct hostiam_cache *cache = NULL;
	char buf[256];
	size_t n = 0;
	int rc;

	(void)hostiam_cache_open(cfg->cache.nss_path, &cache);
	rc = review_users_collect(cfg, cache, &users, &n);
	if (cache)
		hostiam_cache_close(cache);
	if (rc == 0 &&
	    ((c->entries = calloc(n ? n : 1, sizeof(*c->entries))) == NULL ||
	     (*access = calloc(n ? n : 1, sizeof(**access))) == NULL))
		rc = HOSTIAM_ERR_NOMEM;
	for (size_t i = 0; rc == 0 && i < n && c->n < HOSTIAM_CERTIFY_USERS_MAX; i++) {
		/* A name the store could not read back is not listed (a login refuses it too). */
		if (!hostiam_valid_user_name(users[i].name) ||
		    strlen(users[i].name) >= sizeof(c->entries[0].user) ||
		    !user_access(cfg, a, users[i].name, now, buf, sizeof(buf)))
			continue;
		snprintf(c->entries[c->n].user, sizeof(c->entries[0].user), "%s", users[i].name);
		if (((*access)[c->n++] = strdup(buf)) == NULL)
			rc = HOSTIAM_ERR_NOMEM;
	}
	review_users_free(users, n);
	return rc;
}

/* The reviewer must be an account that fits the state record; through sudo, the caller. */
static bool reviewer_ok(const char *reviewer, const char *caller, bool via_sudo)
{
	if (!hostiam_valid_user_name(reviewer) ||
	    strlen(reviewer) >= sizeof(((struct hostiam_campaign *)0)->reviewer) ||
	    getpwnam(reviewer) == NULL) {
		fprintf(stderr,
			"hostiam: certify: --reviewer: no such account (or longer than 32)\n");
		return false;
	}
	if (via_sudo && strcmp(reviewer, caller) != 0) {
		fprintf(stderr, "hostiam: certify: through sudo you review as yourself (%s)\n",
			caller);
		return false;
	}
	return true;
}

/* Fill c's head and rows and store it as the open campaign; an exit status. */
static int store_new(const struct hostiam_config *cfg, const struct start_args *a,
		     struct hostiam_campaign *c, char ***access)
{
	int fd, r;

	r = hostiam_certify_store_open(cfg->cache.state_dir, true, &fd);
	if (r < 0) {
		fprintf(stderr, "hostiam: certify: the campaign store: %s\n", hostiam_strerror(r));
		return EXIT_FAILED;
	}
	if ((r = hostiam_certify_load(fd, 0, c)) != HOSTIAM_ERR_NOT_FOUND) {
		if (r == 0)
			fprintf(stderr, "hostiam: certify: campaign %lu is open: close it first\n",
				c->id);
		else
			fprintf(stderr, "hostiam: certify: the open campaign: %s\n",
				hostiam_strerror(r));
		hostiam_certify_free(c);
		hostiam_certify_store_close(fd);
		return EXIT_FAILED;
	}
	memset(c, 0, sizeof(*c));
	c->started = time(NULL);
	snprintf(c->reviewer, sizeof(c->reviewer), "%s", a->reviewer);
	for (size_t i = 0, used = 0; i < a->n_services; i++) {
		int n = snprintf(c->services + used, sizeof(c->services) - used, "%s%s",
				 i ? "," : "", a->services[i]);

		if (n < 0 || (size_t)n >= sizeof(c->services) - used)
			break; /* what fits is named; the list itself is complete */
		used += (size_t)n;
	}
	r = hostiam_certify_next_id(fd, &c->id);
	if (r == 0)
		r = collect(cfg, a, c->started, c, access);
	if (r == 0)
		r = hostiam_certify_save(fd, c);
	hostiam_certify_store_close(fd);
	if (r < 0) {
		fprintf(stderr, "hostiam: certify: start: %s\n", hostiam_strerror(r));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* See certify_cli.h. */
int certify_start(const struct hostiam_config *cfg, const char *caller, bool via_sudo, int argc,
		  char **argv)
{
	struct hostiam_campaign c;
	struct start_args a;
	char **access = NULL;
	char reviewer[80];
	int rc;

	if (parse_args(argc, argv, &a) < 0)
		return -1;
	if (!reviewer_ok(a.reviewer, caller, via_sudo))
		return EXIT_FAILED;
	memset(&c, 0, sizeof(c));
	rc = store_new(cfg, &a, &c, &access);
	if (rc == EXIT_OK) {
		hostiam_log_value(reviewer, sizeof(reviewer), c.reviewer);
		grants_audit("certify campaign started campaign=%lu reviewer=%s users=%zu", c.id,
			     reviewer, c.n);
		certify_print(stdout, cfg, &c, access, a.json);
	}
	for (size_t i = 0; access && i < c.n; i++)
		free(access[i]);
	free(access);
	hostiam_certify_free(&c);
	return rc;
}
