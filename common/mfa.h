/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MFA for one user on this host: where the secret comes from (a local enrolment in the
 * state directory takes precedence over the directory's, from auth.cache), and the one
 * verification path used at login: lockout, TOTP with replay protection, recovery codes,
 * failure counting — all under the user's state lock, so two logins racing with the same
 * code cannot both win.
 */
#ifndef HOSTIAM_MFA_H
#define HOSTIAM_MFA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "configuration.h"
#include "totp.h"

enum hostiam_mfa_source {
	HOSTIAM_MFA_NONE,
	HOSTIAM_MFA_LOCAL,
	HOSTIAM_MFA_DIRECTORY
};

struct hostiam_mfa_enrolment {
	enum hostiam_mfa_source source;
	uint8_t *secret; /* raw key, owned; wiped by hostiam_mfa_enrolment_wipe */
	size_t secret_len;
	struct hostiam_totp_params params;
	char **recovery; /* crypt(3) hashes of unused recovery codes (local only) */
	size_t n_recovery;
	uint64_t used_step; /* storing: the step of the code that confirmed it, or 0;
	                                  it becomes the replay floor (not kept in the file) */
};

/* Whether user has MFA (locally or from the directory): HOSTIAM_TRUE/FALSE, UNSET on error. */
enum hostiam_tristate hostiam_mfa_enrolled(const struct hostiam_config *cfg, const char *user);

/*
 * Load user's enrolment: 0, HOSTIAM_ERR_NOT_FOUND, HOSTIAM_ERR_INSECURE_FILE,
 * HOSTIAM_ERR_BAD_ENROLMENT (a malformed local enrolment file), HOSTIAM_ERR_CACHE_CORRUPT
 * (a damaged auth.cache or an unusable secret in it), ... A local
 * enrolment that exists but is refused is an error, never a reason to use the directory's.
 * Wipe *out with hostiam_mfa_enrolment_wipe.
 */
int hostiam_mfa_load(const struct hostiam_config *cfg, const char *user,
		     struct hostiam_mfa_enrolment *out);
void hostiam_mfa_enrolment_wipe(struct hostiam_mfa_enrolment *e);

/*
 * Store or replace a local enrolment (0600, atomic, under the user's state lock so that it
 * never interleaves with a login spending a recovery code); recovery codes given as
 * hashes (hostiam_recovery_hash). The key must be 10..1024 bytes. HOSTIAM_ERR_INVALID_ARG
 * for an enrolment that cannot be stored.
 */
int hostiam_mfa_store_local(const struct hostiam_config *cfg, const char *user,
			    const struct hostiam_mfa_enrolment *e);
/* Remove the local enrolment (NOT_FOUND if none), under the user's state lock. */
int hostiam_mfa_remove_local(const struct hostiam_config *cfg, const char *user);

enum hostiam_mfa_result {
	HOSTIAM_MFA_OK,          /* a fresh TOTP code */
	HOSTIAM_MFA_RECOVERY_OK, /* an unused recovery code, now spent */
	HOSTIAM_MFA_WRONG,       /* wrong or malformed: one failure counted */
	HOSTIAM_MFA_LOCKED,      /* too many failures: locked until st.locked_until */
	HOSTIAM_MFA_NOT_ENROLLED,
	HOSTIAM_MFA_REPLAYED, /* a right code of a step already used (at or below the
	                                  replay floor): refused, but no failure counted */
};

/*
 * Verify code for user at time now (the single login path). On OK/RECOVERY_OK records
 * last_mfa = now and the step, and resets failures and lockouts; on WRONG counts a failure
 * and locks after mfa.max_failures: the n-th lockout in a row lasts mfa.lockout * 2^(n-1)
 * seconds, at most mfa.lockout_max. REPLAYED changes nothing. Returns 0 with *result, or
 * HOSTIAM_ERR_* (the caller denies).
 */
int hostiam_mfa_check(const struct hostiam_config *cfg, const char *user, const char *code,
		      time_t now, enum hostiam_mfa_result *result);

struct hostiam_user_state;

/*
 * Count one failed login factor in *st (the caller holds user's state lock): at
 * mfa.max_failures the user is locked out as a wrong code does, each lockout in a row
 * twice as long. True when this failure locked the user (logged). The offline password
 * check counts its failures here too, so both factors share one lockout.
 */
bool hostiam_mfa_count_failure(struct hostiam_user_state *st, const struct hostiam_config *cfg,
			       const char *user, time_t now);

/* Clear failures, lockout and the count of lockouts in a row (hostiam unlock). */
int hostiam_mfa_unlock(const struct hostiam_config *cfg, const char *user);

/*
 * Hash a recovery code for storage (crypt(3), yescrypt, else SHA-512; random salt);
 * malloc'd. The code is normalised first as at login (dashes and spaces dropped,
 * lowercased); HOSTIAM_ERR_INVALID_ARG if it is not a code hostiam_recovery_generate makes.
 */
int hostiam_recovery_hash(const char *code, char **hash);

/*
 * Whether two crypt(3) strings are the same, in time that depends only on their lengths
 * (the comparison after crypt_rn of a recovery code or an offline password).
 */
bool hostiam_crypt_equal(const char *a, const char *b);

/* Bytes a recovery code needs: "xxxxx-xxxxx" and the NUL. */
#define HOSTIAM_RECOVERY_CODE_SIZE 12

/*
 * A new recovery code into out (at least HOSTIAM_RECOVERY_CODE_SIZE bytes): ten symbols
 * from "23456789abcdefghjkmnpqrstuvwxyz" (no look-alikes) drawn uniformly with getrandom,
 * formatted xxxxx-xxxxx. 0, HOSTIAM_ERR_TOO_SMALL or HOSTIAM_ERR_SYSTEM.
 */
int hostiam_recovery_generate(char *out, size_t len);

#endif
