/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one login verification path. Everything — the lockout check, loading the secret,
 * the TOTP check against the last accepted step, spending a recovery code, counting the
 * failure and escalating the lockout — happens inside one hostiam_state_update callback,
 * under the user's exclusive lock: two logins racing with the same code are serialised,
 * and the second one finds the step already taken.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "log.h"
#include "mfa.h"
#include "mfa_files.h"
#include "names.h"
#include "state.h"

struct check_ctx {
	const struct hostiam_config *cfg;
	const char *user;
	const char *code;
	time_t now;
	enum hostiam_mfa_result result;
};

/* A success of either kind: fresh MFA, no failures, no lock, the escalation starts over. */
static void record_success(struct hostiam_user_state *st, time_t now)
{
	st->last_mfa = now;
	st->failures = 0;
	st->locked_until = 0;
	st->lockouts = 0;
}

/* What "until hostiam unlock" is stored as: a hundred years, which every reader can print. */
#define MFA_LOCK_UNTIL_UNLOCK ((time_t)100 * 365 * 86400)

/*
 * The length of the n-th lockout in a row (n >= 1): lockout * 2^(n-1), at most lockout_max.
 * Without escalation an attacker gets max_failures guesses every lockout, all day long.
 */
static time_t lockout_length(const struct hostiam_mfa_config *m, uint32_t n)
{
	uint64_t first = m->lockout > 0 ? (uint64_t)m->lockout : 0;
	uint64_t cap = m->lockout_max > 0 ? (uint64_t)m->lockout_max : 0;
	uint64_t len;

	/* lockout = 0 locks until hostiam unlock: no lock at all would let guessing go on. */
	if (first == 0)
		return MFA_LOCK_UNTIL_UNLOCK;
	if (cap < first)
		cap = first;
	/* lockout < 2^31: below a shift of 32 nothing overflows, and 2^32 * lockout > cap. */
	if (n > 32)
		return (time_t)cap;
	len = first << (n > 0 ? n - 1 : 0);
	return (time_t)(len < cap ? len : cap);
}

/* One more failure; at max_failures the user is locked out and the count starts over. */
bool hostiam_mfa_count_failure(struct hostiam_user_state *st, const struct hostiam_config *cfg,
			       const char *user, time_t now)
{
	uint32_t max = cfg->mfa.max_failures > 0 ? (uint32_t)cfg->mfa.max_failures : 1;
	time_t len;

	st->locked_until = 0;
	if (++st->failures < max)
		return false;
	st->failures = 0;
	if (st->lockouts < UINT32_MAX)
		st->lockouts++;
	len = lockout_length(&cfg->mfa, st->lockouts);
	st->locked_until = now + len;
	hostiam_log(LOG_WARNING, "MFA locked user=%s until=%lld seconds=%lld lockouts=%u", user,
		    (long long)st->locked_until, (long long)len, (unsigned)st->lockouts);
	return true;
}

/* A wrong code: counted, and said so unless it locked (that line is logged instead). */
static void record_failure(struct hostiam_user_state *st, const struct hostiam_config *cfg,
			   const char *user, time_t now)
{
	if (!hostiam_mfa_count_failure(st, cfg, user, now))
		hostiam_log(LOG_NOTICE, "MFA code refused user=%s failures=%u", user,
			    (unsigned)st->failures);
}

/* Take hash i out of e and rewrite the enrolment; the code counts only once that is done. */
static int spend_recovery(const struct check_ctx *c, struct hostiam_mfa_enrolment *e, size_t i)
{
	char *spent = e->recovery[i];
	int r;

	memmove(&e->recovery[i], &e->recovery[i + 1],
		(e->n_recovery - i - 1) * sizeof(e->recovery[0]));
	e->n_recovery--;
	r = mfa_local_write(c->cfg->cache.state_dir, c->user, e);
	hostiam_secret_wipe(spent, strlen(spent));
	if (r < 0) {
		hostiam_log(LOG_ERR, "MFA recovery code refused: it could not be spent user=%s",
			    c->user);
		return r;
	}
	hostiam_log(LOG_NOTICE, "MFA recovery code used user=%s remaining=%zu", c->user,
		    e->n_recovery);
	return 0;
}

/*
 * A TOTP code first; failing that a recovery code (local enrolments only); else wrong.
 * Returns 0 (write the record back), 1 (leave it) or an error, as check_locked does.
 */
static int verify_code(struct check_ctx *c, struct hostiam_user_state *st,
		       struct hostiam_mfa_enrolment *e)
{
	uint64_t step = 0;
	size_t i = 0;
	int r;

	/* The replay floor is applied here, not in totp.c, so a replay is told from a guess. */
	r = hostiam_totp_verify(e->secret, e->secret_len, &e->params, c->code, c->now,
				c->cfg->mfa.window, 0, &step);
	if (r == 0 && step <= st->last_totp_step) {
		/*
		 * A right code already spent: no login, but no guess either (the user typed it
		 * twice, or several logins raced with it), so neither counted nor locked.
		 */
		hostiam_log(LOG_NOTICE, "MFA code refused: already used user=%s", c->user);
		c->result = HOSTIAM_MFA_REPLAYED;
		return 1;
	}
	if (r == 0) {
		record_success(st, c->now);
		st->last_totp_step = step;
		c->result = HOSTIAM_MFA_OK;
		return 0;
	}
	if (r != HOSTIAM_ERR_NOT_FOUND)
		return r;
	r = mfa_recovery_match(e, c->code, &i);
	if (r == 0 && (r = spend_recovery(c, e, i)) == 0) {
		record_success(st, c->now);
		c->result = HOSTIAM_MFA_RECOVERY_OK;
		return 0;
	}
	if (r != HOSTIAM_ERR_NOT_FOUND)
		return r;
	record_failure(st, c->cfg, c->user, c->now);
	c->result = HOSTIAM_MFA_WRONG;
	return 0;
}

/* The state_update callback: 0 writes the record back, 1 leaves it, < 0 aborts. */
static int check_locked(struct hostiam_user_state *st, void *ctx)
{
	struct check_ctx *c = ctx;
	struct hostiam_mfa_enrolment e;
	int r;

	/* While locked no code is even looked at, and trying does not extend the lock. */
	if (st->locked_until > c->now) {
		c->result = HOSTIAM_MFA_LOCKED;
		return 1;
	}
	r = hostiam_mfa_load(c->cfg, c->user, &e);
	if (r == HOSTIAM_ERR_NOT_FOUND) {
		c->result = HOSTIAM_MFA_NOT_ENROLLED;
		return 1;
	}
	if (r < 0)
		return r;
	r = verify_code(c, st, &e);
	hostiam_mfa_enrolment_wipe(&e);
	return r;
}

/* Errors leave *result unset: the caller denies. */
int hostiam_mfa_check(const struct hostiam_config *cfg, const char *user, const char *code,
		      time_t now, enum hostiam_mfa_result *result)
{
	struct check_ctx c = { cfg, user, code, now, HOSTIAM_MFA_WRONG };
	int r;

	if (cfg == NULL || code == NULL || result == NULL || now < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!hostiam_valid_user_name(user))
		return HOSTIAM_ERR_INVALID_NAME;
	r = hostiam_state_update(cfg->cache.state_dir, user, check_locked, &c);
	if (r < 0)
		return r;
	*result = c.result;
	return 0;
}

/* The unlock callback: always written back; the next lockout is a first one again. */
static int unlock_locked(struct hostiam_user_state *st, void *ctx)
{
	(void)ctx;
	st->failures = 0;
	st->locked_until = 0;
	st->lockouts = 0;
	return 0;
}

/* The last accepted step stays: unlocking must not reopen old codes. */
int hostiam_mfa_unlock(const struct hostiam_config *cfg, const char *user)
{
	int r;

	if (cfg == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	r = hostiam_state_update(cfg->cache.state_dir, user, unlock_locked, NULL);
	if (r == 0)
		hostiam_log(LOG_NOTICE, "MFA unlocked user=%s", user);
	return r;
}
