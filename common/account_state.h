/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The state of a directory account: disabled, locked, expired, or a password that has aged
 * out. The sync parses the directory's attributes once (hostiam_account_parse) and keeps
 * the numbers in auth.cache; a login evaluates them against its clock
 * (hostiam_account_evaluate). Pure: no I/O, no clock; the caller passes now.
 *
 * A value that cannot be parsed is kept as HOSTIAM_ATTR_BAD and fails closed: a bad
 * nsAccountLock or userAccountControl disables, a bad pwdAccountLockedTime locks (any
 * value locks), a bad shadowExpire or accountExpires expires the account. Bad password-age
 * values (shadowLastChange, shadowMax) only stop the ageing: they keep nobody out.
 */
#ifndef HOSTIAM_ACCOUNT_STATE_H
#define HOSTIAM_ACCOUNT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "configuration.h"

/* The attributes, in auth.cache's column order; names from directory.map. */
enum hostiam_account_attr {
	HOSTIAM_ACCT_SHADOW_EXPIRE,      /* days since 1970: the account ends that day */
	HOSTIAM_ACCT_SHADOW_LAST_CHANGE, /* days since 1970; 0: must change now */
	HOSTIAM_ACCT_SHADOW_MAX,         /* days a password lasts; -1: for ever */
	HOSTIAM_ACCT_LOCKED_TIME,        /* pwdAccountLockedTime, seconds since 1970 */
	HOSTIAM_ACCT_ACCOUNT_LOCK,       /* nsAccountLock: 1 TRUE, 0 FALSE */
	HOSTIAM_ACCT_AD_CONTROL,         /* userAccountControl */
	HOSTIAM_ACCT_AD_EXPIRES,         /* accountExpires, as seconds since 1970 */
	HOSTIAM_ACCT_N
};

#define HOSTIAM_ATTR_ABSENT INT64_MIN    /* the entry has no such attribute */
#define HOSTIAM_ATTR_BAD (INT64_MIN + 1) /* a value that could not be parsed */
/* pwdAccountLockedTime 000001010000Z: locked by an administrator until unlocked. */
#define HOSTIAM_LOCK_PERMANENT (-62167219200LL)
/* userAccountControl ACCOUNTDISABLE. */
#define HOSTIAM_UAC_ACCOUNTDISABLE 0x2

struct hostiam_account_attrs {
	int64_t v[HOSTIAM_ACCT_N];
};

/* Every attribute absent. */
void hostiam_account_attrs_clear(struct hostiam_account_attrs *a);

/* True when any attribute is present (a value or HOSTIAM_ATTR_BAD). */
bool hostiam_account_attrs_any(const struct hostiam_account_attrs *a);

/* The configured attribute name of which (cfg->directory.map_*, else the default). */
const char *hostiam_account_attr_name(const struct hostiam_config *cfg,
				      enum hostiam_account_attr which);

/*
 * Parse one directory value of which into *out: days (shadow*: a decimal integer, -1
 * allowed), a generalized time (pwdAccountLockedTime, RFC 4517: YYYYMMDDHH[MM[SS]][.f]
 * then Z or +-HHMM), TRUE/FALSE in any case (nsAccountLock), an integer of 32 bits
 * (userAccountControl, signed or not), an AD FILETIME (accountExpires: 100 ns since 1601;
 * 0 and 9223372036854775807 mean never, stored as HOSTIAM_ATTR_ABSENT). Returns 0, or
 * HOSTIAM_ERR_INVALID_ARG with *out = HOSTIAM_ATTR_BAD.
 */
int hostiam_account_parse(enum hostiam_account_attr which, const char *value, int64_t *out);

enum hostiam_account_status {
	HOSTIAM_ACCOUNT_OK,
	HOSTIAM_ACCOUNT_DISABLED,
	HOSTIAM_ACCOUNT_LOCKED,
	HOSTIAM_ACCOUNT_EXPIRED,          /* the account */
	HOSTIAM_ACCOUNT_PASSWORD_EXPIRED, /* the password: must be changed, not a denial */
};

struct hostiam_account_verdict {
	enum hostiam_account_status status;
	int attr;           /* the enum hostiam_account_attr that decided, or -1 */
	bool malformed;     /* its value could not be parsed: the status fails closed */
	long password_days; /* days left before the password expires; -1: it does not */
	int64_t value;      /* the deciding value (e.g. the lock time), when not malformed */
};

/*
 * The state at now of an account with attributes a (NULL: none known, so ok). Disabled
 * (nsAccountLock, userAccountControl), then locked (pwdAccountLockedTime), then expired
 * (shadowExpire on or after its day, accountExpires), then the password
 * (shadowLastChange + shadowMax before today, or shadowLastChange 0: as pam_unix).
 */
void hostiam_account_evaluate(const struct hostiam_account_attrs *a, time_t now,
			      struct hostiam_account_verdict *out);

/* True for the states that deny a login: disabled, locked, expired. */
bool hostiam_account_denies(const struct hostiam_account_verdict *v);

/* "ok", "disabled", "locked", "expired", "password-expired". */
const char *hostiam_account_status_name(enum hostiam_account_status s);

/*
 * For the log and check: "locked in the directory (pwdAccountLockedTime)", "disabled in
 * the directory (nsAccountLock: unreadable value)", "password expires in 3 days
 * (shadowMax)", "ok". Always NUL-terminated.
 */
void hostiam_account_describe(const struct hostiam_config *cfg,
			      const struct hostiam_account_verdict *v, char *buf, size_t len);

/* What a denied user is told; NULL when the state does not deny. */
const char *hostiam_account_message(enum hostiam_account_status s);

#endif
