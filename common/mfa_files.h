/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside MFA: the few file operations that secrets go through (enrolments, auth.cache),
 * each refusing what another user could have planted or could read. Paths below a checked
 * directory are opened relative to it and never through a symlink.
 */
#ifndef HOSTIAM_MFA_FILES_H
#define HOSTIAM_MFA_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "configuration.h"
#include "mfa.h"

/* Biggest local enrolment we read: a secret, a few parameters and some recovery hashes. */
#define MFA_ENROLMENT_MAX 65536

/*
 * fd must be a directory (want_dir) or a regular file, owned by root or the effective
 * user, with none of the mode bits in forbid. HOSTIAM_ERR_INSECURE_FILE (logged with what
 * and name) otherwise.
 */
int mfa_check_fd(int fd, bool want_dir, mode_t forbid, const char *what, const char *name);

/*
 * Open directory name under at (creating it 0700 first if create), checked as above; log
 * lines name it as shown (its full path).
 */
int mfa_open_dir(int at, const char *name, const char *shown, bool create, mode_t forbid,
		 const char *what, int *out);

/*
 * Read all of file name under at (no symlink, checked with forbid 077, at most max bytes)
 * into a malloc'd NUL-terminated *text of *len bytes; the caller wipes it. NOT_FOUND if it
 * does not exist, INSECURE_FILE, CACHE_CORRUPT if it is bigger than max, SYSTEM. Log
 * lines name it as shown.
 */
int mfa_read_file(int at, const char *name, const char *shown, const char *what, size_t max,
		  char **text, size_t *len);

/* Replace name under dirfd by text atomically (temp file 0600, fsync, rename, fsync dir). */
int mfa_replace_file(int dirfd, const char *name, const char *text, size_t len);

/* The local enrolment directory <state_dir>/mfa, checked (and created if create). */
int mfa_open_enrolment_dir(const char *state_dir, bool create, int *out);

/* Read user's local enrolment; parameters it does not name come from defaults. */
int mfa_local_load(const char *state_dir, const char *user,
		   const struct hostiam_mfa_config *defaults, struct hostiam_mfa_enrolment *out);

/* Write user's local enrolment; the caller holds the user's state lock. */
int mfa_local_write(const char *state_dir, const char *user, const struct hostiam_mfa_enrolment *e);

/*
 * Whether code is one of e's recovery codes: 0 and *index of the first matching hash, or
 * HOSTIAM_ERR_NOT_FOUND (also for input that cannot be a recovery code).
 */
int mfa_recovery_match(const struct hostiam_mfa_enrolment *e, const char *code, size_t *index);

#endif
