/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam request ROLE --for DURATION [--reason TEXT], approve ID, deny ID, revoke ID: each
 * one change of the local grant store, checked by grants_rules.c under the store's lock,
 * then grants.cache published (grants.h); with directory.grants, one change in the
 * directory made as the caller (cmd_grants_dir.c), which the agents publish.
 */
#include "config.h"

#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_args.h"
#include "commands.h"
#include "duration.h"
#include "errors.h"
#include "grants_cli.h"
#include "log.h"
#include "parse_num.h"

/* What one command asks of the store, and what it learnt. */
struct change {
	const struct hostiam_config *cfg;
	const struct hostiam_grant_caller *caller;
	enum grants_op op;
	const char *role, *reason;
	long duration;
	unsigned long id;
	const char *password_fd; /* directory mode: --password-fd N */
	uint32_t gid;
	time_t now;
	struct hostiam_grant after; /* the grant as the change left it */
	char why[256];
};

/* hostiam_grants_update's callback: the one change, under the lock. */
static int apply(struct hostiam_grant_list *l, void *arg)
{
	struct change *c = arg;
	struct hostiam_grant *g;
	int r;

	switch (c->op) {
	case DO_REQUEST:
		r = hostiam_grant_request(c->cfg, l, c->caller, c->role, c->duration, c->reason,
					  c->now, &c->id, c->why, sizeof(c->why));
		break;
	case DO_APPROVE:
	case DO_DENY:
		r = hostiam_grant_decide(c->cfg, l, c->caller, c->id, c->op == DO_APPROVE, c->gid,
					 c->now, c->why, sizeof(c->why));
		break;
	default:
		r = hostiam_grant_revoke(c->cfg, l, c->caller, c->id, c->now, c->why,
					 sizeof(c->why));
	}
	if (r == 0 && (g = hostiam_grant_find(l, c->id)) != NULL)
		c->after = *g;
	return r;
}

/* Run the change against the store; 0, or an exit status after a message. */
static int run_change(const char *cmd, struct change *c)
{
	char path[4096];
	int r;

	if (hostiam_grants_cache_path(c->cfg, path, sizeof(path)) < 0) {
		fprintf(stderr, "hostiam: %s: cache.dir is too long\n", cmd);
		return EXIT_FAILED;
	}
	r = hostiam_grants_update(c->cfg->cache.state_dir, path, c->now, apply, c);
	if (r == HOSTIAM_ERR_INVALID_ARG || r == HOSTIAM_ERR_NOT_FOUND) {
		grants_refused(cmd, c->caller->name, c->id, c->why);
		return EXIT_FAILED;
	}
	if (r < 0) {
		fprintf(stderr, "hostiam: %s: the grant store: %s\n", cmd, hostiam_strerror(r));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* "2026-12-02 14:00 UTC" on the policy's clock. */
static void when(const struct hostiam_config *cfg, time_t t, char *buf, size_t len)
{
	cli_format_time(cli_zone(cfg), t, 1, buf, len);
}

/* The options of request; 0, or -1 after a message. */
static int parse_request(int argc, char **argv, struct change *c)
{
	const char *dur = NULL;

	for (int i = 1; i < argc; i++) {
		int r = cli_opt_value(argc, argv, &i, "--for", &dur);

		if (r == 0)
			r = cli_opt_value(argc, argv, &i, "--reason", &c->reason);
		if (r == 0)
			r = cli_opt_value(argc, argv, &i, "--password-fd", &c->password_fd);
		if (r < 0)
			return -1;
		if (r == 0 && (argv[i][0] == '-' || c->role)) {
			fprintf(stderr, "hostiam: request: unexpected '%s'\n", argv[i]);
			return -1;
		}
		if (r == 0)
			c->role = argv[i];
	}
	if (c->role == NULL || dur == NULL) {
		fprintf(stderr, "hostiam: request: a role and --for are required\n");
		return -1;
	}
	if (hostiam_duration_parse(dur, &c->duration) < 0) {
		fprintf(stderr, "hostiam: request: --for: \"%s\" is not a duration such as 2h\n",
			dur);
		return -1;
	}
	return 0;
}

/* The one ID argument of approve, deny and revoke; 0, or -1 after a message. */
static int parse_id(int argc, char **argv, struct change *c)
{
	const char *id = NULL;

	for (int i = 1; i < argc; i++) {
		int r = cli_opt_value(argc, argv, &i, "--password-fd", &c->password_fd);

		if (r < 0 || (r == 0 && (argv[i][0] == '-' || id))) {
			id = NULL;
			break;
		}
		if (r == 0)
			id = argv[i];
	}
	if (id == NULL || hostiam_parse_ulong(id, 1, 1000000000UL, &c->id) < 0) {
		fprintf(stderr, "hostiam: %s: one grant ID (a number) is required\n", argv[0]);
		return -1;
	}
	return 0;
}

/* The role's gid now, from NSS: what the grant adds to the user's groups. */
static int role_gid(const char *cmd, struct hostiam_grant_list *l, struct change *c)
{
	const struct hostiam_grant *g = hostiam_grant_find(l, c->id);
	struct group *gr;

	if (g == NULL)
		return 0; /* refused, with its reason, under the lock */
	if ((gr = getgrnam(g->role)) == NULL) {
		fprintf(stderr, "hostiam: %s: refused: no group %s on this host\n", cmd, g->role);
		return -1;
	}
	c->gid = (uint32_t)gr->gr_gid;
	return 0;
}

/* What the command did, for the user and the log. */
static void report(const char *cmd, const struct change *c)
{
	const struct hostiam_grant *g = &c->after;
	char t[64], dur[32], reason[256];

	hostiam_duration_format(g->duration, dur, sizeof(dur));
	hostiam_log_value(reason, sizeof(reason), g->reason);
	when(c->cfg, g->not_after, t, sizeof(t));
	if (c->op == DO_REQUEST)
		printf("request %lu: %s for %s, waiting for approval\n", g->id, g->role, dur);
	else if (c->op == DO_APPROVE)
		printf("grant %lu approved: %s is a member of %s until %s\n", g->id, g->requester,
		       g->role, t);
	else
		printf("grant %lu %s\n", g->id, c->op == DO_DENY ? "denied" : "revoked");
	grants_audit("grant %s: id=%lu user=%s role=%s for=%s by=%s reason=%s", cmd, g->id,
		     g->requester, g->role, dur, c->caller->name, reason);
}

/* Directory mode: the change made in the directory as the caller; frees cfg. */
static int run_directory(const char *cmd, struct hostiam_config *cfg, struct change *c)
{
	struct grants_dir_change d = { .op = c->op,
				       .role = c->role,
				       .reason = c->reason,
				       .duration = c->duration,
				       .id = c->id,
				       .password_fd = -1 };
	struct grants_who who;
	unsigned long fd;
	int rc = EXIT_FAILED;

	if (c->password_fd) {
		if (hostiam_parse_ulong(c->password_fd, 0, 65535, &fd) < 0) {
			fprintf(stderr, "hostiam: %s: --password-fd: not a file descriptor\n", cmd);
			goto out;
		}
		d.password_fd = (int)fd;
	}
	if (grants_who_find(cfg, cmd, c->now, &who) < 0)
		goto out;
	c->caller = &who.caller;
	if ((rc = grants_dir_run(cfg, cmd, c->caller, &d, c->now, &c->after)) == EXIT_OK)
		report(cmd, c);
	grants_who_free(&who);
out:
	hostiam_config_free(cfg);
	return rc;
}

/* The commands' common run: config, caller, the change, the report. */
static int run(const struct cli *cli, int argc, char **argv, struct change *c)
{
	struct hostiam_grant_list l;
	struct hostiam_config *cfg;
	struct grants_who who;
	int rc = EXIT_USAGE;

	if ((c->op == DO_REQUEST ? parse_request(argc, argv, c) : parse_id(argc, argv, c)) < 0) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if (grants_need_root(argv[0]) < 0)
		return EXIT_FAILED;
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_USAGE;
	c->cfg = cfg;
	c->now = time(NULL);
	rc = EXIT_FAILED;
	if (cfg->directory.grants_base)
		return run_directory(argv[0], cfg, c);
	if (c->password_fd) {
		fprintf(stderr, "hostiam: %s: --password-fd is for directory.grants only\n",
			argv[0]);
		goto out;
	}
	if (grants_who_find(cfg, argv[0], c->now, &who) < 0)
		goto out;
	c->caller = &who.caller;
	if (c->op == DO_APPROVE) {
		if (hostiam_grants_load(cfg->cache.state_dir, &l) == 0) {
			int r = role_gid(argv[0], &l, c);

			hostiam_grant_list_free(&l);
			if (r < 0)
				goto out_who;
		}
	}
	if ((rc = run_change(argv[0], c)) == EXIT_OK)
		report(argv[0], c);
out_who:
	grants_who_free(&who);
out:
	hostiam_config_free(cfg);
	return rc;
}

/* hostiam request ROLE --for DURATION [--reason TEXT] */
int cmd_request(const struct cli *cli, int argc, char **argv)
{
	struct change c = { .op = DO_REQUEST };

	return run(cli, argc, argv, &c);
}

/* hostiam approve ID */
int cmd_approve(const struct cli *cli, int argc, char **argv)
{
	struct change c = { .op = DO_APPROVE };

	return run(cli, argc, argv, &c);
}

/* hostiam deny ID */
int cmd_deny(const struct cli *cli, int argc, char **argv)
{
	struct change c = { .op = DO_DENY };

	return run(cli, argc, argv, &c);
}

/* hostiam revoke ID */
int cmd_revoke(const struct cli *cli, int argc, char **argv)
{
	struct change c = { .op = DO_REVOKE };

	return run(cli, argc, argv, &c);
}
