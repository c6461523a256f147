/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Who runs an elevation command. The store is root-only, so the commands run as root:
 * a user runs `sudo hostiam request ...`. Then the real uid is 0, and the user is sudo's
 * invoker, which sudo itself puts in SUDO_UID and SUDO_USER (overwriting whatever the user
 * had). That environment is believed only when the real uid is 0: a process whose real
 * uid is root and whose environment someone else chose was started by root, or by a sudo
 * rule that lets the user set variables (SETENV, or a rule for ALL commands) — and such a
 * user is root already. hostiam is never setuid: a setuid binary would take its caller's
 * environment, locale and file descriptors into root, a wider door than sudo's.
 */
#include "config.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "errors.h"
#include "grants_cli.h"
#include "log.h"
#include "parse_num.h"

/* See grants_cli.h. */
int grants_need_root(const char *cmd)
{
	if (getuid() == 0 && geteuid() == 0)
		return 0;
	fprintf(stderr,
		"hostiam: %s: the grant store is root's: run it as \"sudo hostiam %s ...\"\n", cmd,
		cmd);
	return -1;
}

/* The caller's name: sudo's invoker when root runs us through sudo, else the real uid's. */
static int caller_name(const char *cmd, char *name, size_t len, bool *root)
{
	const char *sudo_uid = getenv("SUDO_UID"), *sudo_user = getenv("SUDO_USER");
	unsigned long uid = getuid();
	struct passwd *pw;

	if (grants_need_root(cmd) < 0)
		return -1;
	if (sudo_uid && sudo_uid[0] && hostiam_parse_ulong(sudo_uid, 0, 4294967294UL, &uid) < 0) {
		fprintf(stderr, "hostiam: %s: SUDO_UID is not a uid\n", cmd);
		return -1;
	}
	if ((pw = getpwuid((uid_t)uid)) == NULL) {
		fprintf(stderr, "hostiam: %s: no user has uid %lu\n", cmd, uid);
		return -1;
	}
	/* sudo sets both; a SUDO_USER that names someone else is not sudo's doing. */
	if (uid != 0 && (sudo_user == NULL || strcmp(sudo_user, pw->pw_name) != 0)) {
		fprintf(stderr, "hostiam: %s: SUDO_USER does not name SUDO_UID's user\n", cmd);
		return -1;
	}
	snprintf(name, len, "%s", pw->pw_name);
	*root = uid == 0;
	return 0;
}

/* See grants_cli.h. */
int grants_who_find(const struct hostiam_config *cfg, const char *cmd, time_t now,
		    struct grants_who *who)
{
	char name[HOSTIAM_NAME_MAX + 1];
	bool root;
	int r;

	memset(who, 0, sizeof(*who));
	if (caller_name(cmd, name, sizeof(name), &root) < 0)
		return -1;
	r = hostiam_request_build(cfg, name, "hostiam", NULL, NULL, now, &who->ctx);
	if (r < 0) {
		fprintf(stderr, "hostiam: %s: cannot read the groups of %s: %s\n", cmd, name,
			hostiam_strerror(r));
		hostiam_request_ctx_free(&who->ctx);
		return -1;
	}
	who->caller.name = who->ctx.user;
	who->caller.groups = (const char *const *)who->ctx.groups;
	who->caller.n_groups = who->ctx.n_groups;
	who->caller.root = root;
	return 0;
}

/* See grants_cli.h. */
void grants_who_free(struct grants_who *who)
{
	hostiam_request_ctx_free(&who->ctx);
	memset(&who->caller, 0, sizeof(who->caller));
}

/* See grants_cli.h. */
void grants_audit(const char *fmt, ...)
{
	char line[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	openlog("hostiam", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "%s", line);
	closelog();
}

/* See grants_cli.h. */
void grants_refused(const char *cmd, const char *user, unsigned long id, const char *why)
{
	char clean[256];

	fprintf(stderr, "hostiam: %s: refused: %s\n", cmd, why);
	hostiam_log_value(clean, sizeof(clean), why);
	grants_audit("grant refused: action=%s user=%s id=%lu why=%s", cmd, user, id, clean);
}
