/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Central enrolment: hostiam enroll --directory USER (an administrator's bind) and
 * hostiam enroll --self (a directory user, bound as their own entry where the directory's
 * ACL lets them write their secret: conf/hostiam-self-enrol.ldif). The secret is shown
 * and confirmed with a code exactly as for a local enrolment, and only then written to
 * directory.map.totp_secret: the directory never holds a secret nobody could use. The
 * bind is checked before the QR code is shown, so a wrong password costs no scan.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cache.h"
#include "commands.h"
#include "dir_modify.h"
#include "enroll.h"
#include "errors.h"
#include "mfa.h"
#include "names.h"
#include "otpauth_uri.h"
#include "state.h"
#include "totp.h"

#define PASSWORD_MAX 1024

/* One central enrolment: who, as whom, and the password while it is needed. */
struct central {
	const struct hostiam_config *cfg;
	const struct enroll_args *a;
	char user[HOSTIAM_NAME_MAX + 1];
	char password[PASSWORD_MAX + 1];
	struct dir_writer_cred cred;
};

/* --self: the caller's name in the directory cache, found by uid; root and local users
 * are refused (they have no directory entry to bind as). */
static int caller_name(const struct hostiam_config *cfg, char *name, size_t len)
{
	struct hostiam_cache *c = NULL;
	struct hostiam_user_view u;
	uid_t uid = getuid();
	int r;

	if (uid == 0) {
		fprintf(stderr,
			"hostiam: enroll: --self is for a directory user, run as "
			"themselves; root enrols others with --directory USER\n");
		return EXIT_FAILED;
	}
	r = hostiam_cache_open(cfg->cache.nss_path, &c);
	if (r == 0)
		r = hostiam_cache_user_by_uid(c, (uint32_t)uid, &u);
	if (r == 0 && strlen(u.name) < len)
		strcpy(name, u.name);
	else if (r == 0)
		r = HOSTIAM_ERR_TOO_SMALL;
	hostiam_cache_close(c);
	if (r == HOSTIAM_ERR_NOT_FOUND)
		fprintf(stderr,
			"hostiam: enroll: uid %u is not a directory user: ask an "
			"administrator for a local enrolment\n",
			(unsigned)uid);
	else if (r < 0)
		fprintf(stderr, "hostiam: enroll: %s: %s\n", cfg->cache.nss_path,
			hostiam_strerror(r));
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}

/* Who the user is and who binds: USER and --bind-dn, or the caller and their own entry. */
static int identify(struct central *c)
{
	const struct enroll_args *a = c->a;

	/* Search with the host's bind only when the caller may read its password (root). */
	c->cred.anonymous_search = c->cfg->directory.bind_password_file == NULL ||
		access(c->cfg->directory.bind_password_file, R_OK) != 0;
	if (a->self)
		return caller_name(c->cfg, c->user, sizeof(c->user));
	if (!hostiam_valid_user_name(a->user) || strlen(a->user) >= sizeof(c->user)) {
		fprintf(stderr, "hostiam: enroll: not a user name: %s\n", a->user);
		return EXIT_FAILED;
	}
	strcpy(c->user, a->user);
	c->cred.bind_dn = a->bind_dn;
	return EXIT_OK;
}

/* The writer's password: --bind-password-file, or asked. */
static int get_password(struct central *c)
{
	char prompt[600];

	if (c->a->self)
		snprintf(prompt, sizeof(prompt), "Directory password for %s: ", c->user);
	else
		snprintf(prompt, sizeof(prompt), "Password for %s: ", c->a->bind_dn);
	if (enroll_read_password(prompt, c->a->bind_password_file, c->password,
				 sizeof(c->password)) != EXIT_OK)
		return EXIT_FAILED;
	c->cred.password = c->password;
	return EXIT_OK;
}

/* Connect, find the entry, bind as the writer. */
static int open_writer(struct central *c, struct dir_writer *w)
{
	char err[1024];
	int r;

	r = dir_writer_open(&c->cfg->directory, c->user, c->cfg->directory.map_totp_secret,
			    &c->cred, w, err, sizeof(err));
	if (r == 0)
		return EXIT_OK;
	fprintf(stderr, "hostiam: enroll: %s: %s\n", c->user, err);
	return EXIT_FAILED;
}

/*
 * A secret already in the entry is replaced only by an administrator with --force: with
 * the password alone, a user could otherwise swap the second factor for one of theirs.
 */
static int check_existing(const struct central *c, const struct dir_writer *w)
{
	if (!w->has_value || (c->a->force && !c->a->self))
		return EXIT_OK;
	if (c->a->self)
		fprintf(stderr,
			"hostiam: enroll: you already have a secret in the directory: an "
			"administrator replaces it (hostiam enroll --directory %s --force)\n",
			c->user);
	else
		fprintf(stderr,
			"hostiam: enroll: %s already has a secret in the directory "
			"(--force replaces it)\n",
			c->user);
	return EXIT_FAILED;
}

/* Write the confirmed secret; a connection lost while the user typed is opened again. */
static int write_secret(struct central *c, struct dir_writer *w,
			const struct hostiam_mfa_enrolment *e)
{
	const char *attr = c->cfg->directory.map_totp_secret;
	/* The schema's attribute needs its auxiliary class; another attribute is the
	   directory's own business. */
	bool add_class = !w->has_class && strcasecmp(attr, "hostiamTotpSecret") == 0;
	char *b32 = NULL, err[1024];
	int r;

	if ((r = hostiam_base32_encode(e->secret, e->secret_len, &b32)) < 0) {
		fprintf(stderr, "hostiam: enroll: %s\n", hostiam_strerror(r));
		return EXIT_FAILED;
	}
	r = dir_writer_set(w, attr, b32, add_class, err, sizeof(err));
	if (r == HOSTIAM_ERR_UNAVAILABLE) {
		dir_writer_close(w);
		if (open_writer(c, w) != EXIT_OK)
			goto out;
		r = dir_writer_set(w, attr, b32, !w->has_class && add_class, err, sizeof(err));
	}
	if (r < 0)
		fprintf(stderr, "hostiam: enroll: %s: the secret was not written: %s\n", c->user,
			err);
out:
	hostiam_secret_wipe(b32, strlen(b32));
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}

/* The state_update callback of spend_here: the step is the floor of this host's logins. */
static int spend_locked(struct hostiam_user_state *st, void *ctx)
{
	const uint64_t *step = ctx;

	if (st->last_totp_step >= *step)
		return 1;
	st->last_totp_step = *step;
	return 0;
}

/*
 * The confirmation code is spent on this host, as a local enrolment's is: typed in front of
 * others, it must not open a login here afterwards. Only root writes this host's state
 * (--self cannot), and other hosts cannot be told: there it stays good for its window.
 */
static void spend_here(const struct central *c, uint64_t step)
{
	int r;

	if (getuid() != 0 || step == 0)
		return;
	r = hostiam_state_update(c->cfg->cache.state_dir, c->user, spend_locked, &step);
	if (r < 0)
		fprintf(stderr,
			"hostiam: enroll: warning: the confirmation code could not be marked as "
			"used on this host: %s\n",
			hostiam_strerror(r));
}

/* Say what the hosts will do, and warn when this host's local enrolment would win. */
static void report(const struct central *c, const struct hostiam_mfa_enrolment *e)
{
	struct hostiam_mfa_enrolment local;

	printf("Enrolled %s in the directory (%s, %d digits, %d s): each host takes the "
	       "secret at its next sync.\n",
	       c->user, otpauth_algorithm_name(e->params.algorithm), e->params.digits,
	       e->params.period);
	memset(&local, 0, sizeof(local));
	/* Only root reads the enrolments of this host. */
	if (getuid() == 0 && hostiam_mfa_load(c->cfg, c->user, &local) == 0 &&
	    local.source == HOSTIAM_MFA_LOCAL)
		printf("Note: %s also has a local enrolment on this host, which takes precedence "
		       "here (hostiam unenroll %s removes it).\n",
		       c->user, c->user);
	hostiam_mfa_enrolment_wipe(&local);
}

/* Everything once the writer is bound: the secret, its confirmation, the write. */
static int enrol_bound(struct central *c, struct dir_writer *w)
{
	struct hostiam_mfa_enrolment e;
	int rc;

	memset(&e, 0, sizeof(e));
	e.source = HOSTIAM_MFA_DIRECTORY;
	enroll_default_params(c->cfg, c->a, &e.params);
	rc = check_existing(c, w);
	if (rc == EXIT_OK)
		rc = enroll_new_secret(&e);
	if (rc == EXIT_OK)
		rc = enroll_confirm(c->cfg, c->user, &e);
	if (rc == EXIT_OK)
		rc = write_secret(c, w, &e);
	if (rc == EXIT_OK) {
		spend_here(c, e.used_step);
		report(c, &e);
	}
	hostiam_mfa_enrolment_wipe(&e);
	return rc;
}

int enroll_directory(const struct hostiam_config *cfg, const struct enroll_args *a)
{
	struct central c;
	struct dir_writer w;
	int rc;

	if (!cfg->directory.configured) {
		fprintf(stderr, "hostiam: enroll: the configuration has no directory section\n");
		return EXIT_FAILED;
	}
	memset(&c, 0, sizeof(c));
	memset(&w, 0, sizeof(w));
	c.cfg = cfg;
	c.a = a;
	rc = identify(&c);
	if (rc == EXIT_OK)
		rc = get_password(&c);
	if (rc == EXIT_OK)
		rc = open_writer(&c, &w);
	if (rc == EXIT_OK)
		rc = enrol_bound(&c, &w);
	dir_writer_close(&w);
	explicit_bzero(c.password, sizeof(c.password));
	return rc;
}
