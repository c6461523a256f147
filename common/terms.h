/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Terms of use (the `terms` list): whether a user's recorded acceptance still covers the
 * configured version, recording and revoking acceptances in the per-user state store
 * (state.h: root-only, locked, replaced atomically), and reading the text to show.
 */
#ifndef HOSTIAM_TERMS_H
#define HOSTIAM_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "configuration.h"
#include "state.h"

/* Longest terms text shown (bytes); a longer file is refused. */
#define HOSTIAM_TERMS_TEXT_MAX (64 * 1024)

/*
 * The acceptance of t among acc (n of them): the same name and version, at or before now,
 * and no older than t->reaccept_days (0: any age). NULL when there is none. No I/O.
 */
const struct hostiam_terms_acceptance *hostiam_terms_find(const struct hostiam_terms *t,
							  const struct hostiam_terms_acceptance *acc,
							  size_t n, time_t now);

/*
 * Record that user accepted t at when, through service from rhost (NULL or "": local),
 * replacing any earlier acceptance of the same name (the oldest entry when the record is
 * full). Returns 0 or a HOSTIAM_ERR_* from the state store.
 */
int hostiam_terms_record(const char *state_dir, const char *user, const struct hostiam_terms *t,
			 time_t when, const char *service, const char *rhost);

/* Forget user's acceptance of the terms named name: 0, or HOSTIAM_ERR_NOT_FOUND if none. */
int hostiam_terms_revoke(const char *state_dir, const char *user, const char *name);

/*
 * Read t's file into a new NUL-terminated *text: opened without following a symlink, and
 * refused (HOSTIAM_ERR_INSECURE_FILE) unless a regular file owned by root and not
 * writable by group or others; HOSTIAM_ERR_INVALID_ARG for a file larger than
 * HOSTIAM_TERMS_TEXT_MAX or holding a NUL byte. *why says what was wrong, for the log.
 */
int hostiam_terms_read(const struct hostiam_terms *t, char **text, char *why, size_t why_len);

#endif
