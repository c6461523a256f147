/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the elevation commands (request, approve, deny, revoke, grants). */
#ifndef HOSTIAM_GRANTS_CLI_H
#define HOSTIAM_GRANTS_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "configuration.h"
#include "grants.h"
#include "request.h"

/* The user a command acts for and what NSS says of them. */
struct grants_who {
	struct hostiam_grant_caller caller;
	struct hostiam_request_ctx ctx; /* owns caller.name and caller.groups */
};

/*
 * Find who asks: the grant store (or, in directory mode, the agent's bind that finds the
 * caller's entry) is root's, so the command runs as root, through sudo for everybody
 * else. The real uid (getuid(), never $USER) names the caller; when it is 0 and
 * sudo ran the command (SUDO_UID set, SUDO_USER its name), the caller is sudo's invoker.
 * Then their groups through NSS at now. 0, or -1 after a message on stderr (cmd names the
 * command).
 */
int grants_who_find(const struct hostiam_config *cfg, const char *cmd, time_t now,
		    struct grants_who *who);
void grants_who_free(struct grants_who *who);

/* 0 when the real and effective uids are root's, else -1 after saying to use sudo. */
int grants_need_root(const char *cmd);

/* What an elevation command changes. */
enum grants_op {
	DO_REQUEST,
	DO_APPROVE,
	DO_DENY,
	DO_REVOKE
};

/* One change in directory mode (directory.grants): what the command line asked. */
struct grants_dir_change {
	enum grants_op op;
	const char *role, *reason; /* request */
	long duration;             /* request */
	unsigned long id;          /* approve, deny, revoke */
	int password_fd;           /* --password-fd N, or -1: ask on the terminal */
};

/*
 * cmd_grants_dir.c: make c in the directory as caller, bound with their own password: the
 * rules of grants_rules.c first (a request before the password is asked; a decision or
 * revocation on the entry as the directory has it), then the add or modify. EXIT_OK with
 * the grant as changed in *after, or EXIT_FAILED after a message ("refused: ..." as in
 * local mode, "the directory refused: ...", or the directory unreachable).
 */
int grants_dir_run(const struct hostiam_config *cfg, const char *cmd,
		   const struct hostiam_grant_caller *caller, const struct grants_dir_change *c,
		   time_t now, struct hostiam_grant *after);

/*
 * The caller's directory password into buf: one line from fd when fd >= 0 (then closed),
 * else asked on /dev/tty with echo off. 0, or -1 after a message (no terminal, nothing
 * read); buf is wiped on failure.
 */
int grants_read_password(const char *cmd, const char *user, int fd, char *buf, size_t len);

/* Say on stderr and in syslog that cmd was refused and why (one line, cleaned). */
void grants_refused(const char *cmd, const char *user, unsigned long id, const char *why);

/* Syslog (authpriv, ident hostiam) one key=value line saying what changed in the store. */
void grants_audit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct check_report;

/* hostiam check's text: a "grant:" line for each group the user has through a grant,
   "member of admins through grant 42 until 14:00 (approved by bob: INC-123)". */
void check_print_grants(FILE *f, const struct check_report *r);

struct json_out;

/* hostiam check --json: "grant" (the decision's grant id, or null) and "grants" (each group
   held through a grant: group, id, not_before, not_after, approver and reason when the
   store is readable). */
void check_json_grants(struct json_out *j, const struct check_report *r);

struct review_report;

/* hostiam review's text, after the users: each role's eligible users and approvers (among
   the report's users), then the grants active at the report's time and who approved them. */
void review_print_elevation(FILE *f, const struct review_report *r);

#endif
