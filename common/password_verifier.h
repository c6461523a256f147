/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Offline directory passwords. After each password the directory accepted, the PAM module
 * stores a verifier of it — a crypt(3) hash (yescrypt; SHA-512 where libxcrypt has no
 * yescrypt), never the password — with the time it was made, in
 * <cache.state_dir>/password/<user> (0600, root's, replaced atomically, never through a
 * symlink). When the directory cannot be reached, and only then, a password that matches
 * a verifier younger than password.offline_days is accepted. Offline failures count
 * toward the same lockout as wrong TOTP codes (state.h: failures, locked_until), and every
 * operation runs under the user's state lock.
 */
#ifndef HOSTIAM_PASSWORD_VERIFIER_H
#define HOSTIAM_PASSWORD_VERIFIER_H

#include <time.h>

#include "configuration.h"

/* A verifier file is one short line; anything bigger is not ours. */
#define HOSTIAM_VERIFIER_FILE_MAX 512

/*
 * Store (or replace) user's verifier of password, made at now. Does nothing (0) when
 * password.offline_days is 0. 0 or HOSTIAM_ERR_*; the password is never kept.
 */
int hostiam_password_verifier_store(const struct hostiam_config *cfg, const char *user,
				    const char *password, time_t now);

/* Delete user's verifier (the directory said the password is wrong): 0, or NOT_FOUND. */
int hostiam_password_verifier_remove(const struct hostiam_config *cfg, const char *user);

enum hostiam_offline_result {
	HOSTIAM_OFFLINE_OK,       /* matches a verifier younger than offline_days */
	HOSTIAM_OFFLINE_WRONG,    /* does not match: one failure counted */
	HOSTIAM_OFFLINE_LOCKED,   /* locked out (failures): not even compared */
	HOSTIAM_OFFLINE_NONE,     /* no verifier for the user (or a damaged one) */
	HOSTIAM_OFFLINE_STALE,    /* the verifier is offline_days old or older */
	HOSTIAM_OFFLINE_DISABLED, /* password.offline_days is 0 */
};

/*
 * Check password against user's verifier at time now, the directory being unreachable.
 * 0 and *result, or HOSTIAM_ERR_* (the caller refuses the login). WRONG counts a failure
 * (hostiam_mfa_count_failure); nothing else changes the state.
 */
int hostiam_password_verifier_check(const struct hostiam_config *cfg, const char *user,
				    const char *password, time_t now,
				    enum hostiam_offline_result *result);

/* The word for a result in log lines: "ok", "wrong", "locked", "none", "stale", "disabled". */
const char *hostiam_offline_result_name(enum hostiam_offline_result r);

#endif
