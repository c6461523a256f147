/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * request, approve, deny and revoke in directory mode (directory.grants): the rules of
 * local mode (grants_rules.c) checked here first, so that what every agent would refuse
 * is refused with the same words before anything is written; then the change written
 * under directory.grants.base bound as the caller with their own directory password, so
 * that the directory's ACL and its creatorsName / modifiersName say who made it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "errors.h"
#include "grants_cli.h"
#include "grants_dirop.h"

/* The longest password taken: more than any directory accepts. */
#define PASSWORD_MAX 512

/* Say why the directory could not be used: unreachable, or what else went wrong. */
static void dir_failed(const struct hostiam_config *cfg, const char *cmd, int r, const char *err)
{
	if (r == HOSTIAM_ERR_TIMEOUT || r == HOSTIAM_ERR_UNAVAILABLE || r == HOSTIAM_ERR_TLS)
		fprintf(stderr,
			"hostiam: %s: the directory cannot be reached within directory.timeout "
			"(%d s): %s\n",
			cmd, cfg->directory.timeout, err);
	else
		fprintf(stderr, "hostiam: %s: %s\n", cmd, err);
}

/* Bind as the caller, with the password asked once and wiped; 0 or an exit status. */
static int bind_caller(const struct hostiam_config *cfg, const char *cmd,
		       const struct hostiam_grant_caller *caller, int fd, unsigned long id,
		       struct grants_dirop *s)
{
	char pw[PASSWORD_MAX], err[512];
	int r;

	if (grants_read_password(cmd, caller->name, fd, pw, sizeof(pw)) < 0)
		return EXIT_FAILED;
	r = grants_dirop_open(&cfg->directory, caller->name, pw, s, err, sizeof(err));
	explicit_bzero(pw, sizeof(pw));
	if (r == HOSTIAM_ERR_INVALID_ARG || r == HOSTIAM_ERR_NOT_FOUND)
		grants_refused(cmd, caller->name, id, err);
	else if (r < 0)
		dir_failed(cfg, cmd, r, err);
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}

/* The decision or revocation on g, by the rules of local mode; 0, or -1 after a refusal. */
static int judge(const struct hostiam_config *cfg, const char *cmd,
		 const struct hostiam_grant_caller *caller, const struct grants_dir_change *c,
		 struct hostiam_grant *g, time_t now)
{
	struct hostiam_grant_list l = { .items = g, .n = 1, .next_id = g->id + 1 };
	char why[256];
	int r;

	if (c->op == DO_REVOKE)
		r = hostiam_grant_revoke(cfg, &l, caller, c->id, now, why, sizeof(why));
	else
		r = hostiam_grant_decide(cfg, &l, caller, c->id, c->op == DO_APPROVE, 0, now, why,
					 sizeof(why));
	if (r < 0)
		grants_refused(cmd, caller->name, c->id, why);
	return r < 0 ? -1 : 0;
}

/* The request's rules again, with the caller's grants of the role as the directory has
   them: one open request or grant per role. 0, or an error after a message. */
static int no_open(const struct hostiam_config *cfg, const char *cmd,
		   const struct hostiam_grant_caller *caller, const struct grants_dir_change *c,
		   time_t now, struct grants_dirop *s)
{
	struct hostiam_grant_list l;
	char why[512];
	unsigned long id;
	int r = grants_dirop_list(s, caller->name, c->role, &l, why, sizeof(why));

	if (r < 0) {
		dir_failed(cfg, cmd, r, why);
		return r;
	}
	l.next_id = 1;
	r = hostiam_grant_request(cfg, &l, caller, c->role, c->duration, c->reason, now, &id, why,
				  sizeof(why));
	if (r == HOSTIAM_ERR_INVALID_ARG)
		grants_refused(cmd, caller->name, 0, why);
	else if (r < 0)
		fprintf(stderr, "hostiam: %s: %s\n", cmd, hostiam_strerror(r));
	hostiam_grant_list_free(&l);
	return r;
}

/* request: the rules, then the password, then the add. */
static int request(const struct hostiam_config *cfg, const char *cmd,
		   const struct hostiam_grant_caller *caller, const struct grants_dir_change *c,
		   time_t now, struct hostiam_grant *after)
{
	struct hostiam_grant_list l = { .next_id = 1 };
	struct grants_dirop s;
	char why[512];
	unsigned long id;
	int r, rc;

	r = hostiam_grant_request(cfg, &l, caller, c->role, c->duration, c->reason, now, &id, why,
				  sizeof(why));
	if (r == HOSTIAM_ERR_INVALID_ARG) {
		grants_refused(cmd, caller->name, 0, why);
		return EXIT_FAILED;
	}
	if (r < 0) {
		fprintf(stderr, "hostiam: %s: %s\n", cmd, hostiam_strerror(r));
		return EXIT_FAILED;
	}
	*after = l.items[0];
	hostiam_grant_list_free(&l);
	if ((rc = bind_caller(cfg, cmd, caller, c->password_fd, 0, &s)) != EXIT_OK)
		return rc;
	if ((r = no_open(cfg, cmd, caller, c, now, &s)) == 0 &&
	    (r = grants_dirop_add(&s, after, why, sizeof(why))) < 0)
		dir_failed(cfg, cmd, r, why);
	grants_dirop_close(&s);
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}

/* See grants_cli.h. */
int grants_dir_run(const struct hostiam_config *cfg, const char *cmd,
		   const struct hostiam_grant_caller *caller, const struct grants_dir_change *c,
		   time_t now, struct hostiam_grant *after)
{
	struct grants_dirop s;
	char err[512];
	int r, rc;

	if (c->op == DO_REQUEST)
		return request(cfg, cmd, caller, c, now, after);
	if ((rc = bind_caller(cfg, cmd, caller, c->password_fd, c->id, &s)) != EXIT_OK)
		return rc;
	r = grants_dirop_read(&s, c->id, after, err, sizeof(err));
	if (r == HOSTIAM_ERR_NOT_FOUND)
		grants_refused(cmd, caller->name, c->id, err);
	else if (r < 0)
		dir_failed(cfg, cmd, r, err);
	if (r == 0 && judge(cfg, cmd, caller, c, after, now) < 0)
		r = HOSTIAM_ERR_INVALID_ARG;
	if (r == 0 && (r = grants_dirop_set(&s, after, err, sizeof(err))) < 0)
		dir_failed(cfg, cmd, r, err);
	grants_dirop_close(&s);
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}
