/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Local enrolments: <state_dir>/mfa/<user>, root's, 0600, one key=value per line:
 *   secret=BASE32  algorithm=sha1|sha256|sha512  digits=N  period=N  recovery=HASH (repeated)
 * Parameters a file does not name come from the mfa section. Parsing is strict — an
 * unknown key, a repeated one or a bad value refuses the whole file — because a file we
 * did not write is not one to guess about. Values are never logged.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth_cache.h"
#include "directory_account.h"
#include "errors.h"
#include "log.h"
#include "mfa_files.h"
#include "names.h"
#include "parse_num.h"
#include "state.h"

/* Keys shorter than 10 bytes (80 bits, google-authenticator's) are refused. */
#define SECRET_MIN 10
#define SECRET_MAX 1024
#define RECOVERY_MAX 64
#define HASH_MAX 256

static const char *const algorithm_names[] = { "sha1", "sha256", "sha512" };

/* The enum for an algorithm name; -1 if unknown. */
static int algorithm_from(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (strlen(algorithm_names[i]) == len && memcmp(algorithm_names[i], s, len) == 0)
			return (int)i;
	return -1;
}

/* A crypt(3) hash as we store it: "$id$...", printable, no blanks, bounded. */
static bool hash_valid(const char *s, size_t len)
{
	size_t i;

	if (len < 4 || len > HASH_MAX || s[0] != '$')
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

/* Append a copy of the hash s to e's recovery list. */
static int add_recovery(struct hostiam_mfa_enrolment *e, const char *s, size_t len)
{
	char **grown;

	if (e->n_recovery >= RECOVERY_MAX || !hash_valid(s, len))
		return HOSTIAM_ERR_BAD_ENROLMENT;
	grown = realloc(e->recovery, (e->n_recovery + 1) * sizeof(*grown));
	if (grown == NULL)
		return HOSTIAM_ERR_NOMEM;
	e->recovery = grown;
	if ((grown[e->n_recovery] = strndup(s, len)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	e->n_recovery++;
	return 0;
}

/* Decode a base32 value into e's secret (once only). */
static int set_secret(struct hostiam_mfa_enrolment *e, const char *s, size_t len)
{
	char *b32;
	int r;

	if (e->secret != NULL)
		return HOSTIAM_ERR_BAD_ENROLMENT;
	if ((b32 = strndup(s, len)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	r = hostiam_base32_decode(b32, &e->secret, &e->secret_len);
	hostiam_secret_wipe(b32, len);
	return r == HOSTIAM_ERR_INVALID_ARG ? HOSTIAM_ERR_BAD_ENROLMENT : r;
}

/* One parameter line; seen has a bit per key so that none is given twice. */
static int parse_param(struct hostiam_mfa_enrolment *e, const char *k, size_t klen, const char *v,
		       size_t vlen, unsigned *seen)
{
	unsigned long n;
	int a;

	if (klen == 9 && memcmp(k, "algorithm", 9) == 0 && !(*seen & 1)) {
		if ((a = algorithm_from(v, vlen)) < 0)
			return HOSTIAM_ERR_BAD_ENROLMENT;
		e->params.algorithm = (enum hostiam_totp_algorithm)a;
		*seen |= 1;
	} else if (klen == 6 && memcmp(k, "digits", 6) == 0 && !(*seen & 2)) {
		if (hostiam_parse_ulong_n(v, vlen, 6, 8, &n) < 0)
			return HOSTIAM_ERR_BAD_ENROLMENT;
		e->params.digits = (int)n;
		*seen |= 2;
	} else if (klen == 6 && memcmp(k, "period", 6) == 0 && !(*seen & 4)) {
		if (hostiam_parse_ulong_n(v, vlen, 1, 86400, &n) < 0)
			return HOSTIAM_ERR_BAD_ENROLMENT;
		e->params.period = (int)n;
		*seen |= 4;
	} else {
		return HOSTIAM_ERR_BAD_ENROLMENT;
	}
	return 0;
}

/* One "key=value" line of length len. */
static int parse_line(struct hostiam_mfa_enrolment *e, const char *line, size_t len, unsigned *seen)
{
	const char *eq = memchr(line, '=', len);
	size_t klen, vlen;

	if (eq == NULL)
		return HOSTIAM_ERR_BAD_ENROLMENT;
	klen = (size_t)(eq - line);
	vlen = len - klen - 1;
	if (klen == 6 && memcmp(line, "secret", 6) == 0)
		return set_secret(e, eq + 1, vlen);
	if (klen == 8 && memcmp(line, "recovery", 8) == 0)
		return add_recovery(e, eq + 1, vlen);
	return parse_param(e, line, klen, eq + 1, vlen, seen);
}

/* Parse a whole file; *bad_line is the line that was refused. */
static int parse_enrolment(const char *text, size_t len, struct hostiam_mfa_enrolment *e,
			   int *bad_line)
{
	const char *p = text, *end = text + len;
	unsigned seen = 0;
	int r = 0;

	*bad_line = 0;
	if (memchr(text, '\0', len) != NULL)
		return HOSTIAM_ERR_BAD_ENROLMENT;
	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		++*bad_line;
		if (n > 0)
			r = parse_line(e, p, n, &seen);
		p += n + 1;
	}
	if (r == 0 && e->secret == NULL)
		r = HOSTIAM_ERR_BAD_ENROLMENT;
	if (r == 0 && (e->secret_len < SECRET_MIN || e->secret_len > SECRET_MAX))
		r = HOSTIAM_ERR_BAD_ENROLMENT;
	return r;
}

/* Defaults from the mfa section, overridden by what the file says. */
int mfa_local_load(const char *state_dir, const char *user,
		   const struct hostiam_mfa_config *defaults, struct hostiam_mfa_enrolment *out)
{
	struct hostiam_mfa_enrolment e = { .source = HOSTIAM_MFA_LOCAL };
	char *text = NULL, shown[PATH_MAX];
	size_t len = 0;
	int dfd = -1, line, r;

	e.params.algorithm = defaults->algorithm;
	e.params.digits = defaults->digits;
	e.params.period = defaults->period;
	if ((r = mfa_open_enrolment_dir(state_dir, false, &dfd)) < 0)
		goto out;
	snprintf(shown, sizeof(shown), "%s/mfa/%s", state_dir, user);
	r = mfa_read_file(dfd, user, shown, "enrolment", MFA_ENROLMENT_MAX, &text, &len);
	/* Too big, or changed while read: not an enrolment we wrote (the reader logged it). */
	if (r == HOSTIAM_ERR_CACHE_CORRUPT)
		r = HOSTIAM_ERR_BAD_ENROLMENT;
	if (r < 0)
		goto out;
	if ((r = parse_enrolment(text, len, &e, &line)) < 0) {
		if (r == HOSTIAM_ERR_BAD_ENROLMENT)
			hostiam_log(LOG_ERR, "MFA enrolment refused: malformed line=%d user=%s",
				    line, user);
		goto out;
	}
	*out = e;
	memset(&e, 0, sizeof(e));
out:
	hostiam_mfa_enrolment_wipe(&e);
	hostiam_secret_wipe(text, len + 1);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* Whether e can be stored: a usable key, known parameters, well-formed hashes. */
static bool enrolment_valid(const struct hostiam_mfa_enrolment *e)
{
	size_t i;

	if (e->secret == NULL || e->secret_len < SECRET_MIN || e->secret_len > SECRET_MAX ||
	    e->params.digits < 6 || e->params.digits > 8 || e->params.period < 1 ||
	    e->params.period > 86400 || (unsigned)e->params.algorithm > 2 ||
	    e->n_recovery > RECOVERY_MAX || (e->n_recovery > 0 && e->recovery == NULL))
		return false;
	for (i = 0; i < e->n_recovery; i++)
		if (e->recovery[i] == NULL || !hash_valid(e->recovery[i], strlen(e->recovery[i])))
			return false;
	return true;
}

/* The file's text for e, malloc'd in *text (the caller wipes it). */
static int format_enrolment(const struct hostiam_mfa_enrolment *e, char **text, size_t *len)
{
	char *b32 = NULL, *buf = NULL;
	size_t cap = 0, used, i;
	int n, r;

	if ((r = hostiam_base32_encode(e->secret, e->secret_len, &b32)) < 0)
		return r;
	cap = strlen(b32) + 128 + e->n_recovery * (HASH_MAX + 16);
	if ((buf = malloc(cap)) == NULL) {
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	n = snprintf(buf, cap, "secret=%s\nalgorithm=%s\ndigits=%d\nperiod=%d\n", b32,
		     algorithm_names[e->params.algorithm], e->params.digits, e->params.period);
	used = n < 0 ? cap : (size_t)n;
	for (i = 0; i < e->n_recovery && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "recovery=%s\n", e->recovery[i]);
	if (used >= cap) {
		r = HOSTIAM_ERR_INTERNAL;
		goto out;
	}
	*text = buf;
	*len = used;
	buf = NULL;
out:
	hostiam_secret_wipe(buf, cap);
	hostiam_secret_wipe(b32, b32 ? strlen(b32) : 0);
	return r;
}

/* Under the caller's lock: format, then replace atomically. */
int mfa_local_write(const char *state_dir, const char *user, const struct hostiam_mfa_enrolment *e)
{
	char *text = NULL;
	size_t len = 0;
	int dfd = -1, r;

	if (!enrolment_valid(e))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = format_enrolment(e, &text, &len)) < 0)
		return r;
	if ((r = mfa_open_enrolment_dir(state_dir, true, &dfd)) < 0)
		goto out;
	r = mfa_replace_file(dfd, user, text, len);
	if (r < 0)
		hostiam_log(LOG_ERR, "MFA enrolment could not be written user=%s", user);
out:
	hostiam_secret_wipe(text, len);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* The local enrolment if there is one (even a broken one: never fall back past it). */
int hostiam_mfa_load(const struct hostiam_config *cfg, const char *user,
		     struct hostiam_mfa_enrolment *out)
{
	char *b32 = NULL;
	int r;

	if (cfg == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!hostiam_valid_user_name(user))
		return HOSTIAM_ERR_INVALID_NAME;
	r = mfa_local_load(cfg->cache.state_dir, user, &cfg->mfa, out);
	if (r != HOSTIAM_ERR_NOT_FOUND)
		return r;
	/* A local account that shares a name with a directory user (made since the last sync,
	   which skips such names) never gets that user's secret. */
	if (hostiam_directory_name_shadowed(cfg, user)) {
		hostiam_log(LOG_NOTICE,
			    "MFA directory secret not used: a local account shadows the directory "
			    "user user=%s",
			    user);
		return HOSTIAM_ERR_NOT_FOUND;
	}
	r = hostiam_auth_cache_lookup(cfg->cache.auth_path, user, &b32);
	if (r == HOSTIAM_ERR_CACHE_MISSING)
		return HOSTIAM_ERR_NOT_FOUND;
	if (r < 0)
		return r;
	memset(out, 0, sizeof(*out));
	out->source = HOSTIAM_MFA_DIRECTORY;
	out->params.algorithm = cfg->mfa.algorithm;
	out->params.digits = cfg->mfa.digits;
	out->params.period = cfg->mfa.period;
	r = hostiam_base32_decode(b32, &out->secret, &out->secret_len);
	if (r == 0 && (out->secret_len < SECRET_MIN || out->secret_len > SECRET_MAX))
		r = HOSTIAM_ERR_CACHE_CORRUPT;
	if (r < 0) {
		hostiam_log(LOG_ERR,
			    "MFA directory secret refused: not a usable base32 key "
			    "user=%s",
			    user);
		hostiam_mfa_enrolment_wipe(out);
		r = HOSTIAM_ERR_CACHE_CORRUPT;
	}
	hostiam_secret_wipe(b32, strlen(b32));
	return r;
}

/* Wipes the key, frees the hashes, leaves *e all zeros (safe to call twice). */
void hostiam_mfa_enrolment_wipe(struct hostiam_mfa_enrolment *e)
{
	size_t i;

	if (e == NULL)
		return;
	hostiam_secret_wipe(e->secret, e->secret_len);
	for (i = 0; i < e->n_recovery; i++)
		hostiam_secret_wipe(e->recovery[i], e->recovery[i] ? strlen(e->recovery[i]) : 0);
	free(e->recovery);
	explicit_bzero(e, sizeof(*e));
}

/* Local first; a missing auth.cache only means nobody is enrolled centrally. */
enum hostiam_tristate hostiam_mfa_enrolled(const struct hostiam_config *cfg, const char *user)
{
	struct hostiam_mfa_enrolment e;
	int r = hostiam_mfa_load(cfg, user, &e);

	if (r == 0) {
		hostiam_mfa_enrolment_wipe(&e);
		return HOSTIAM_TRUE;
	}
	return r == HOSTIAM_ERR_NOT_FOUND ? HOSTIAM_FALSE : HOSTIAM_UNSET;
}

struct store_ctx {
	const char *state_dir;
	const char *user;
	const struct hostiam_mfa_enrolment *e; /* NULL: remove */
};

/* Runs under the user's state lock, so it never interleaves with a login spending a code. */
static int store_locked(struct hostiam_user_state *st, void *ctx)
{
	const struct store_ctx *c = ctx;
	int dfd, r;

	if (c->e != NULL) {
		r = mfa_local_write(c->state_dir, c->user, c->e);
		if (r < 0)
			return r;
		/*
		 * A new secret starts a new count of steps (another period makes the old floor
		 * meaningless, and could refuse every code); the confirmation code is spent.
		 */
		st->last_totp_step = c->e->used_step;
		st->failures = 0;
		st->locked_until = 0;
		st->lockouts = 0;
		return 0;
	}
	if ((r = mfa_open_enrolment_dir(c->state_dir, false, &dfd)) == 0) {
		if (unlinkat(dfd, c->user, 0) < 0)
			r = errno == ENOENT ? HOSTIAM_ERR_NOT_FOUND : HOSTIAM_ERR_SYSTEM;
		else
			(void)fsync(dfd);
		close(dfd);
	}
	/* 1: leave the state record as it is. */
	return r < 0 ? r : 1;
}

/* Store (e) or remove (NULL) under the user's state lock; 0 when done. */
static int change_locked(const struct hostiam_config *cfg, const char *user,
			 const struct hostiam_mfa_enrolment *e)
{
	struct store_ctx c = { cfg->cache.state_dir, user, e };
	int r = hostiam_state_update(c.state_dir, user, store_locked, &c);

	return r == 1 ? 0 : r;
}

/* Validated before the lock is taken; written under it. */
int hostiam_mfa_store_local(const struct hostiam_config *cfg, const char *user,
			    const struct hostiam_mfa_enrolment *e)
{
	int r;

	if (cfg == NULL || e == NULL || !enrolment_valid(e))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = change_locked(cfg, user, e)) == 0)
		hostiam_log(LOG_NOTICE, "MFA enrolment stored user=%s recovery_codes=%zu", user,
			    e->n_recovery);
	return r;
}

/* Removing also takes the lock: a login must not rewrite a file we just removed. */
int hostiam_mfa_remove_local(const struct hostiam_config *cfg, const char *user)
{
	int r;

	if (cfg == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = change_locked(cfg, user, NULL)) == 0)
		hostiam_log(LOG_NOTICE, "MFA enrolment removed user=%s", user);
	return r;
}
