/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth.cache: the root-only (0600) companion of nss.cache holding what the directory
 * says about MFA: each user's TOTP secret (base32, from directory.map.totp_secret). Text,
 * one "USER<TAB>BASE32" line per user after a "hostiam-auth-cache 1" header, written
 * atomically by the sync (temp file, fsync, rename) and read at login. Directory secrets
 * use the algorithm, digits and period of the mfa section.
 */
#ifndef HOSTIAM_AUTH_CACHE_H
#define HOSTIAM_AUTH_CACHE_H

#include <stddef.h>

struct hostiam_auth_entry {
	const char *user;
	const char *secret_b32;
};

/*
 * Write entries to path (mode 0600). On failure the old file is untouched. Entries with an
 * invalid user name or a secret that is not base32 (letters, 2-7, '=', spaces) are refused
 * (HOSTIAM_ERR_INVALID_ARG); the directory must exist and not be writable by others
 * (HOSTIAM_ERR_INSECURE_FILE).
 */
int hostiam_auth_cache_write(const char *path, const struct hostiam_auth_entry *entries, size_t n);

/*
 * Find user's secret: 0 and *secret_b32 (malloc'd; wipe with hostiam_secret_wipe),
 * HOSTIAM_ERR_NOT_FOUND, HOSTIAM_ERR_CACHE_MISSING, HOSTIAM_ERR_INSECURE_FILE (not owned
 * by root or the caller, group/world accessible, a symlink, in a directory others can
 * write to), HOSTIAM_ERR_CACHE_VERSION (another format version) or
 * HOSTIAM_ERR_CACHE_CORRUPT (any damaged line refuses the whole file).
 */
int hostiam_auth_cache_lookup(const char *path, const char *user, char **secret_b32);

#endif
