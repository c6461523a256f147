/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth.cache: the root-only (0600) companion of nss.cache holding what the directory says
 * about logging in: each user's TOTP secret (base32, from directory.map.totp_secret) and
 * the account state (account_state.h: locked, disabled, expired, password age). Text,
 * written atomically by the sync (temp file, fsync, rename) and read at login:
 *
 *   hostiam-auth-cache 3 sorted
 *   USER<TAB>SECRET<TAB>V1<TAB>...<TAB>V7<TAB>CHECK   one line per user, sorted by USER
 *
 * SECRET is base32 or "-" (none); V1..V7 are the attributes in enum hostiam_account_attr
 * order, each "-" (absent), "!" (a value the sync could not parse: fails closed) or a
 * signed decimal; CHECK is 16 hex digits of hostiam_check_bytes() (seed "auth") over the
 * line up to and including the tab before it. A lookup maps the file and binary-searches
 * it, checking every line it reads (~17 at 100,000 users, a few microseconds): a flipped
 * byte on its path refuses the file, one elsewhere cannot change its answer, so a flipped
 * byte is never another lock state or secret. Directory secrets use the algorithm, digits
 * and period of the mfa section. Formats 2 (header "hostiam-auth-cache 2 sum=HEX", a
 * checksum of the whole body; lines without CHECK, unsorted) and 1 ("USER<TAB>BASE32"
 * lines, no state) are still read, checked whole, so that an upgrade locks nobody out
 * before the agent writes format 3 at its next start; format 1 carries no account state.
 */
#ifndef HOSTIAM_AUTH_CACHE_H
#define HOSTIAM_AUTH_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "account_state.h"

struct hostiam_auth_entry {
	const char *user;
	const char *secret_b32;                      /* NULL: no directory MFA secret */
	const struct hostiam_account_attrs *account; /* NULL: no account state */
};

/*
 * Write entries to path (mode 0600), format 3. On failure the old file is untouched.
 * Entries with an invalid user name, a secret that is not base32 (letters, 2-7, '=',
 * spaces), or neither a secret nor any account state, or a user twice, are refused
 * (HOSTIAM_ERR_INVALID_ARG); the directory must exist and not be writable by others
 * (HOSTIAM_ERR_INSECURE_FILE).
 */
int hostiam_auth_cache_write(const char *path, const struct hostiam_auth_entry *entries, size_t n);

/*
 * Change the lines of some users in the format 3 file at path, copying every other line as
 * it is (each checked on the way, and their order): set[] are the new lines (valid
 * entries, a user once), drop[] users whose line goes unless set has one. O(file size) in
 * memory copies, not O(users) in formatting: the agent's per-change publish.
 * HOSTIAM_ERR_CACHE_MISSING (no file), HOSTIAM_ERR_CACHE_VERSION (not format 3),
 * HOSTIAM_ERR_CACHE_CORRUPT (a damaged or misordered line): write the file whole then.
 * Other errors as hostiam_auth_cache_write; on any failure the file is untouched.
 */
int hostiam_auth_cache_update(const char *path, const struct hostiam_auth_entry *set, size_t n_set,
			      const char *const *drop, size_t n_drop);

/* What auth.cache says about one user. */
struct hostiam_auth_record {
	char *secret_b32;                     /* malloc'd (wipe with hostiam_auth_record_wipe);
	                                        NULL: no directory secret */
	struct hostiam_account_attrs account; /* all absent when none */
	bool account_known;                   /* false: the file is format 1, state unknown */
};

/*
 * Find user: 0 and *out (also for a user without a line in a format 1 file, which cannot
 * tell their state: no secret, account_known false), HOSTIAM_ERR_NOT_FOUND (no line for
 * user), HOSTIAM_ERR_CACHE_MISSING,
 * HOSTIAM_ERR_INSECURE_FILE (not owned by root or the caller, group/world accessible, a
 * symlink, in a directory others can write to), HOSTIAM_ERR_CACHE_VERSION (a format this
 * version does not know: logged with "run hostiam sync") or HOSTIAM_ERR_CACHE_CORRUPT
 * (format 3: a damaged line the search reads; formats 1, 2: any damaged line).
 */
int hostiam_auth_cache_find(const char *path, const char *user, struct hostiam_auth_record *out);

/* Wipe and free the secret; the record is left empty. NULL is fine. */
void hostiam_auth_record_wipe(struct hostiam_auth_record *r);

/*
 * user's secret only: as hostiam_auth_cache_find, with HOSTIAM_ERR_NOT_FOUND also for a
 * user who has a line but no secret. *secret_b32 is malloc'd (wipe with
 * hostiam_secret_wipe).
 */
int hostiam_auth_cache_lookup(const char *path, const char *user, char **secret_b32);

#endif
