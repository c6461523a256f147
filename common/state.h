/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-user local state of the PAM module in cache.state_dir (root-only): the last login
 * (for inactive_days and review) and, for MFA, the last accepted TOTP step, failures and
 * lockout. One small file per user, read and replaced under an exclusive lock, written
 * atomically; the directory must be root-owned (or the caller's) and mode 0700, the files
 * 0600, never symlinks — anything else is refused (HOSTIAM_ERR_INSECURE_FILE).
 */
#ifndef HOSTIAM_STATE_H
#define HOSTIAM_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* One acceptance of terms of use (terms.h); strings never hold spaces or control bytes. */
struct hostiam_terms_acceptance {
	char name[33];    /* the terms' name (HOSTIAM_TERMS_NAME_MAX) */
	char version[33]; /* the version accepted */
	time_t when;      /* when */
	char service[33]; /* the PAM service it was accepted through */
	char host[65];    /* PAM_RHOST, "-" for a local login; cut to fit */
};

/* Acceptances kept per user: one per terms name, the oldest replaced when full. */
#define HOSTIAM_TERMS_KEPT 8

/* The user's decision in the last closed access-review campaign (certify.h). */
struct hostiam_certification {
	unsigned long campaign; /* the campaign's id; 0: never certified */
	time_t when;            /* when the campaign was closed */
	bool revoked;           /* the reviewer decided revoke (else keep) */
	char reviewer[33];      /* a token: no spaces or control bytes */
};

struct hostiam_user_state {
	time_t last_login; /* 0: none recorded */
	char last_service[64];
	char last_rhost[256];    /* "" for a local login */
	time_t last_mfa;         /* last TOTP success; 0: never */
	uint64_t last_totp_step; /* highest accepted time step (replay guard) */
	uint32_t failures;       /* consecutive wrong codes */
	time_t locked_until;     /* MFA locked until then; 0: not locked */
	uint32_t lockouts;       /* lockouts since the last success or unlock: each one
	                                  lasts twice the one before (mfa.lockout_max caps it) */
	struct hostiam_terms_acceptance terms[HOSTIAM_TERMS_KEPT];
	uint32_t n_terms;
	struct hostiam_certification cert;
};

/* Read user's record; a missing record is all zeros and returns 0. */
int hostiam_state_load(const char *state_dir, const char *user, struct hostiam_user_state *out);

/*
 * Read-modify-write user's record under an exclusive lock: fn gets the current record
 * (zeros if none) and returns 0 to write it back, 1 to leave it, or a HOSTIAM_ERR_* to
 * abort. Concurrent updates (two logins at once) are serialised. Creates state_dir (0700)
 * if missing. Returns fn's result or an error.
 */
int hostiam_state_update(const char *state_dir, const char *user,
			 int (*fn)(struct hostiam_user_state *st, void *ctx), void *ctx);

/*
 * Open state_dir (O_DIRECTORY, no symlink; with create, made 0700 first if missing) and
 * check it as the store does: root's or the caller's, no group or other bits. 0 and *out,
 * HOSTIAM_ERR_NOT_FOUND, HOSTIAM_ERR_INSECURE_FILE (logged) or HOSTIAM_ERR_SYSTEM. For
 * other files kept there (the audit trail).
 */
int hostiam_state_dir_open(const char *state_dir, bool create, int *out);

/*
 * Check fd, a file opened in the state directory (named name in the log line), as a
 * record is: a regular file, root's or the caller's, no group or other bits. 0 or
 * HOSTIAM_ERR_INSECURE_FILE (logged).
 */
int hostiam_state_check_file(int fd, const char *name);

#endif
