/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The offline password verifier (password_verifier.h). The file <state_dir>/password/USER
 * holds one line, "1 TIME HASH": format version, the UNIX time the directory last accepted
 * the password, its crypt(3) hash. The directory and the file are opened as the MFA
 * secrets are (mfa_files.h: relative to a checked directory, O_NOFOLLOW, root's, 0700 and
 * 0600), and every operation runs inside hostiam_state_update so that a login storing a
 * verifier never interleaves with one checking or deleting it.
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "mfa.h"
#include "mfa_files.h"
#include "names.h"
#include "parse_num.h"
#include "password_verifier.h"
#include "state.h"
#include "totp.h"

#define VERIFIER_DIR "password"
#define VERIFIER_WHAT "password verifier"

/* What each state_update callback gets. */
struct verifier_op {
	const struct hostiam_config *cfg;
	const char *user;
	const char *password;
	time_t now;
	enum hostiam_offline_result result;
};

/* <state_dir>/password, checked, created when asked. */
static int open_verifier_dir(const char *state_dir, bool create, int *out)
{
	char shown[PATH_MAX];
	int sfd, r;

	if ((r = mfa_open_dir(AT_FDCWD, state_dir, state_dir, create, 077, "state directory",
			      &sfd)) < 0)
		return r;
	snprintf(shown, sizeof(shown), "%s/%s", state_dir, VERIFIER_DIR);
	r = mfa_open_dir(sfd, VERIFIER_DIR, shown, create, 077, "password verifier directory", out);
	close(sfd);
	return r;
}

/* crypt's state is tens of KB: on the heap, wiped when done (hostiam_secret_wipe). */
static struct crypt_data *crypt_state(void)
{
	return calloc(1, sizeof(struct crypt_data));
}

/* A fresh hash of password: yescrypt, else SHA-512; salt from libxcrypt's own randomness. */
static int hash_password(const char *password, char *out, size_t len)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	const char *h;
	int r = 0;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, (int)sizeof(salt)) == NULL &&
	    crypt_gensalt_rn("$6$", 0, NULL, 0, salt, (int)sizeof(salt)) == NULL)
		return HOSTIAM_ERR_INTERNAL;
	if ((cd = crypt_state()) == NULL)
		return HOSTIAM_ERR_NOMEM;
	h = crypt_rn(password, salt, cd, (int)sizeof(*cd));
	if (h == NULL || h[0] != '$' || strlen(h) >= len)
		r = HOSTIAM_ERR_INTERNAL;
	else
		memcpy(out, h, strlen(h) + 1);
	hostiam_secret_wipe(cd, sizeof(*cd));
	return r;
}

/* Does password hash to stored (a "$id$salt$hash" string)? */
static int matches(const char *password, const char *stored, bool *yes)
{
	struct crypt_data *cd;
	const char *h;

	if ((cd = crypt_state()) == NULL)
		return HOSTIAM_ERR_NOMEM;
	h = crypt_rn(password, stored, cd, (int)sizeof(*cd));
	*yes = h != NULL && h[0] == '$' && hostiam_crypt_equal(h, stored);
	hostiam_secret_wipe(cd, sizeof(*cd));
	return 0;
}

/* Parse "1 TIME HASH\n"; false for anything else. *hash points into text. */
static bool parse_verifier(char *text, size_t len, time_t *made, const char **hash)
{
	char *num = text + 2, *sp, *end = text + len;
	unsigned long t;

	if (len < 6 || end[-1] != '\n' || memchr(text, '\0', len) != NULL)
		return false;
	end[-1] = '\0';
	if (strncmp(text, "1 ", 2) != 0 || (sp = strchr(num, ' ')) == NULL)
		return false;
	if (hostiam_parse_ulong_n(num, (size_t)(sp - num), 0, (unsigned long)INT64_MAX, &t) < 0)
		return false;
	if (sp[1] != '$' || strchr(sp + 1, ' ') != NULL || strchr(sp + 1, '\n') != NULL)
		return false;
	*made = (time_t)t;
	*hash = sp + 1;
	return true;
}

/* The state_update callback of store: leave the record, replace the verifier file. */
static int store_locked(struct hostiam_user_state *st, void *ctx)
{
	struct verifier_op *op = ctx;
	char hash[CRYPT_OUTPUT_SIZE], line[HOSTIAM_VERIFIER_FILE_MAX];
	int dfd = -1, r, n;

	(void)st;
	if ((r = hash_password(op->password, hash, sizeof(hash))) < 0)
		goto out;
	n = snprintf(line, sizeof(line), "1 %lld %s\n", (long long)op->now, hash);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		r = HOSTIAM_ERR_INTERNAL;
		goto out;
	}
	if ((r = open_verifier_dir(op->cfg->cache.state_dir, true, &dfd)) < 0)
		goto out;
	r = mfa_replace_file(dfd, op->user, line, (size_t)n);
	if (r == 0)
		r = 1;
out:
	if (dfd >= 0)
		close(dfd);
	explicit_bzero(hash, sizeof(hash));
	explicit_bzero(line, sizeof(line));
	return r;
}

/* The state_update callback of remove: leave the record, unlink the verifier. */
static int remove_locked(struct hostiam_user_state *st, void *ctx)
{
	struct verifier_op *op = ctx;
	int dfd, r;

	(void)st;
	if ((r = open_verifier_dir(op->cfg->cache.state_dir, false, &dfd)) < 0)
		return r;
	r = unlinkat(dfd, op->user, 0) == 0 ? 1 :
		errno == ENOENT             ? HOSTIAM_ERR_NOT_FOUND :
					      HOSTIAM_ERR_SYSTEM;
	close(dfd);
	return r;
}

/* Read user's verifier: 0 with *made and a malloc'd *hash, NOT_FOUND (also when damaged). */
static int load_verifier(const struct verifier_op *op, time_t *made, char **hash)
{
	char *text = NULL, shown[PATH_MAX];
	const char *h;
	size_t len = 0;
	int dfd, r;

	if ((r = open_verifier_dir(op->cfg->cache.state_dir, false, &dfd)) < 0)
		return r;
	snprintf(shown, sizeof(shown), "%s/%s/%s", op->cfg->cache.state_dir, VERIFIER_DIR,
		 op->user);
	r = mfa_read_file(dfd, op->user, shown, VERIFIER_WHAT, HOSTIAM_VERIFIER_FILE_MAX, &text,
			  &len);
	close(dfd);
	if (r == HOSTIAM_ERR_CACHE_CORRUPT)
		r = HOSTIAM_ERR_NOT_FOUND;
	if (r < 0)
		return r;
	if (!parse_verifier(text, len, made, &h)) {
		/* Damaged: unusable, so no offline login, which is what fails closed. */
		hostiam_log(LOG_ERR, "password verifier is malformed, ignored path=%s", shown);
		r = HOSTIAM_ERR_NOT_FOUND;
	} else if ((*hash = strdup(h)) == NULL) {
		r = HOSTIAM_ERR_NOMEM;
	}
	hostiam_secret_wipe(text, len + 1);
	return r;
}

/*
 * Younger than offline_days at now. A verifier from the future (stored while the clock ran
 * ahead, or the clock set back since) has no age we can trust: stale, never young, or it
 * would be accepted until its future time plus offline_days.
 */
static bool young_enough(const struct hostiam_config *cfg, time_t made, time_t now)
{
	long long max_age = (long long)cfg->password.offline_days * 86400;

	return made <= now && (long long)now - (long long)made < max_age;
}

/* The state_update callback of check: 0 writes the counted failure back, 1 leaves it. */
static int check_locked(struct hostiam_user_state *st, void *ctx)
{
	struct verifier_op *op = ctx;
	char *hash = NULL;
	time_t made = 0;
	bool yes = false;
	int r;

	/* While locked out nothing is compared, and trying does not extend the lock. */
	if (st->locked_until > op->now) {
		op->result = HOSTIAM_OFFLINE_LOCKED;
		return 1;
	}
	r = load_verifier(op, &made, &hash);
	if (r == HOSTIAM_ERR_NOT_FOUND) {
		op->result = HOSTIAM_OFFLINE_NONE;
		return 1;
	}
	if (r < 0)
		return r;
	if (!young_enough(op->cfg, made, op->now)) {
		op->result = HOSTIAM_OFFLINE_STALE;
		r = 1;
	} else if ((r = matches(op->password, hash, &yes)) == 0 && yes) {
		op->result = HOSTIAM_OFFLINE_OK;
		r = 1;
	} else if (r == 0) {
		/* A guess against the stored hash: counted as a wrong code would be. */
		hostiam_mfa_count_failure(st, op->cfg, op->user, op->now);
		op->result = st->locked_until > op->now ? HOSTIAM_OFFLINE_LOCKED :
							  HOSTIAM_OFFLINE_WRONG;
	}
	hostiam_secret_wipe(hash, hash ? strlen(hash) : 0);
	return r;
}

/* Arguments every entry point checks the same way. */
static int check_args(const struct hostiam_config *cfg, const char *user)
{
	if (cfg == NULL || cfg->cache.state_dir == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	return hostiam_valid_user_name(user) ? 0 : HOSTIAM_ERR_INVALID_NAME;
}

int hostiam_password_verifier_store(const struct hostiam_config *cfg, const char *user,
				    const char *password, time_t now)
{
	struct verifier_op op = { cfg, user, password, now, HOSTIAM_OFFLINE_NONE };
	int r;

	if ((r = check_args(cfg, user)) < 0 || password == NULL || now < 0)
		return r < 0 ? r : HOSTIAM_ERR_INVALID_ARG;
	if (cfg->password.offline_days <= 0)
		return 0;
	r = hostiam_state_update(cfg->cache.state_dir, user, store_locked, &op);
	return r < 0 ? r : 0;
}

int hostiam_password_verifier_remove(const struct hostiam_config *cfg, const char *user)
{
	struct verifier_op op = { cfg, user, NULL, 0, HOSTIAM_OFFLINE_NONE };
	int r;

	if ((r = check_args(cfg, user)) < 0)
		return r;
	r = hostiam_state_update(cfg->cache.state_dir, user, remove_locked, &op);
	return r < 0 ? r : 0;
}

int hostiam_password_verifier_check(const struct hostiam_config *cfg, const char *user,
				    const char *password, time_t now,
				    enum hostiam_offline_result *result)
{
	struct verifier_op op = { cfg, user, password, now, HOSTIAM_OFFLINE_NONE };
	int r;

	if ((r = check_args(cfg, user)) < 0 || password == NULL || result == NULL || now < 0)
		return r < 0 ? r : HOSTIAM_ERR_INVALID_ARG;
	if (cfg->password.offline_days <= 0) {
		*result = HOSTIAM_OFFLINE_DISABLED;
		return 0;
	}
	r = hostiam_state_update(cfg->cache.state_dir, user, check_locked, &op);
	if (r < 0)
		return r;
	*result = op.result;
	return 0;
}

const char *hostiam_offline_result_name(enum hostiam_offline_result r)
{
	switch (r) {
	case HOSTIAM_OFFLINE_OK:
		return "ok";
	case HOSTIAM_OFFLINE_WRONG:
		return "wrong";
	case HOSTIAM_OFFLINE_LOCKED:
		return "locked";
	case HOSTIAM_OFFLINE_NONE:
		return "none";
	case HOSTIAM_OFFLINE_STALE:
		return "stale";
	case HOSTIAM_OFFLINE_DISABLED:
		return "disabled";
	}
	return "?";
}
