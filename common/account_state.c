/* SPDX-License-Identifier: BSD-2-Clause */
/* Evaluating a directory account's state at a given time, and describing it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "account_state.h"

#define DAY 86400LL
/* shadow's conventions: a maximum this large means the password never ages. */
#define SHADOW_MAX_NEVER 99999

void hostiam_account_attrs_clear(struct hostiam_account_attrs *a)
{
	size_t i;

	for (i = 0; i < HOSTIAM_ACCT_N; i++)
		a->v[i] = HOSTIAM_ATTR_ABSENT;
}

bool hostiam_account_attrs_any(const struct hostiam_account_attrs *a)
{
	size_t i;

	for (i = 0; i < HOSTIAM_ACCT_N; i++)
		if (a->v[i] != HOSTIAM_ATTR_ABSENT)
			return true;
	return false;
}

const char *hostiam_account_attr_name(const struct hostiam_config *cfg,
				      enum hostiam_account_attr which)
{
	static const char *const defaults[HOSTIAM_ACCT_N] = {
		"shadowExpire",  "shadowLastChange",   "shadowMax",      "pwdAccountLockedTime",
		"nsAccountLock", "userAccountControl", "accountExpires",
	};
	const struct hostiam_directory_config *d = cfg ? &cfg->directory : NULL;
	const char *const names[HOSTIAM_ACCT_N] = {
		d ? d->map_shadow_expire : NULL, d ? d->map_shadow_last_change : NULL,
		d ? d->map_shadow_max : NULL,    d ? d->map_locked_time : NULL,
		d ? d->map_account_lock : NULL,  d ? d->map_ad_control : NULL,
		d ? d->map_ad_expires : NULL,
	};

	if ((unsigned)which >= HOSTIAM_ACCT_N)
		return "?";
	return names[which] ? names[which] : defaults[which];
}

/* Decide with attribute which (bad: malformed, the status fails closed). */
static void decided(struct hostiam_account_verdict *out, enum hostiam_account_status s,
		    enum hostiam_account_attr which, int64_t value)
{
	out->status = s;
	out->attr = (int)which;
	out->malformed = value == HOSTIAM_ATTR_BAD;
	out->value = out->malformed ? 0 : value;
}

/* Disabled or locked: the flags, which do not depend on the clock. */
static bool check_flags(const int64_t *v, struct hostiam_account_verdict *out)
{
	int64_t lock = v[HOSTIAM_ACCT_ACCOUNT_LOCK], uac = v[HOSTIAM_ACCT_AD_CONTROL];

	if (lock == 1 || lock == HOSTIAM_ATTR_BAD)
		decided(out, HOSTIAM_ACCOUNT_DISABLED, HOSTIAM_ACCT_ACCOUNT_LOCK, lock);
	else if (uac == HOSTIAM_ATTR_BAD ||
		 (uac != HOSTIAM_ATTR_ABSENT && (uac & HOSTIAM_UAC_ACCOUNTDISABLE) != 0))
		decided(out, HOSTIAM_ACCOUNT_DISABLED, HOSTIAM_ACCT_AD_CONTROL, uac);
	else if (v[HOSTIAM_ACCT_LOCKED_TIME] != HOSTIAM_ATTR_ABSENT)
		/* Any value locks: ppolicy clears the attribute when a lockout ends. */
		decided(out, HOSTIAM_ACCOUNT_LOCKED, HOSTIAM_ACCT_LOCKED_TIME,
			v[HOSTIAM_ACCT_LOCKED_TIME]);
	else
		return false;
	return true;
}

/* Expired: shadowExpire on or after its day (-1: never), accountExpires at or after it. */
static bool check_expiry(const int64_t *v, int64_t today, time_t now,
			 struct hostiam_account_verdict *out)
{
	int64_t se = v[HOSTIAM_ACCT_SHADOW_EXPIRE], ae = v[HOSTIAM_ACCT_AD_EXPIRES];

	if (se == HOSTIAM_ATTR_BAD || (se != HOSTIAM_ATTR_ABSENT && se != -1 && today >= se))
		decided(out, HOSTIAM_ACCOUNT_EXPIRED, HOSTIAM_ACCT_SHADOW_EXPIRE, se);
	else if (ae == HOSTIAM_ATTR_BAD || (ae != HOSTIAM_ATTR_ABSENT && (int64_t)now >= ae))
		decided(out, HOSTIAM_ACCOUNT_EXPIRED, HOSTIAM_ACCT_AD_EXPIRES, ae);
	else
		return false;
	return true;
}

/* The password's age, as pam_unix reads shadow: expired, or the days it has left. */
static void check_password(const int64_t *v, int64_t today, struct hostiam_account_verdict *out)
{
	int64_t last = v[HOSTIAM_ACCT_SHADOW_LAST_CHANGE], max = v[HOSTIAM_ACCT_SHADOW_MAX];

	if (last == HOSTIAM_ATTR_ABSENT || last == HOSTIAM_ATTR_BAD)
		return;
	if (last == 0) {
		/* shadow's "change at next login" (an administrator's reset). */
		decided(out, HOSTIAM_ACCOUNT_PASSWORD_EXPIRED, HOSTIAM_ACCT_SHADOW_LAST_CHANGE,
			last);
		out->password_days = 0;
		return;
	}
	/* A day count shadow cannot hold (the sync never writes one; auth.cache's columns take
	   any 64-bit value) is unreadable, as BAD is: last + max must not overflow. */
	if (last < 0 || last > INT32_MAX || max == HOSTIAM_ATTR_ABSENT || max == HOSTIAM_ATTR_BAD ||
	    max < 0 || max >= SHADOW_MAX_NEVER)
		return;
	out->attr = HOSTIAM_ACCT_SHADOW_MAX;
	out->value = max;
	if (today > last + max) {
		out->status = HOSTIAM_ACCOUNT_PASSWORD_EXPIRED;
		out->password_days = 0;
	} else {
		out->password_days = (long)(last + max - today);
	}
}

void hostiam_account_evaluate(const struct hostiam_account_attrs *a, time_t now,
			      struct hostiam_account_verdict *out)
{
	/* Days since 1970 as shadow counts them: whole UTC days, rounded down. */
	int64_t today = (int64_t)now >= 0 ? (int64_t)now / DAY : ((int64_t)now - DAY + 1) / DAY;

	out->status = HOSTIAM_ACCOUNT_OK;
	out->attr = -1;
	out->malformed = false;
	out->password_days = -1;
	out->value = 0;
	if (a == NULL || check_flags(a->v, out) || check_expiry(a->v, today, now, out))
		return;
	check_password(a->v, today, out);
}

bool hostiam_account_denies(const struct hostiam_account_verdict *v)
{
	return v->status == HOSTIAM_ACCOUNT_DISABLED || v->status == HOSTIAM_ACCOUNT_LOCKED ||
		v->status == HOSTIAM_ACCOUNT_EXPIRED;
}

const char *hostiam_account_status_name(enum hostiam_account_status s)
{
	switch (s) {
	case HOSTIAM_ACCOUNT_OK:
		return "ok";
	case HOSTIAM_ACCOUNT_DISABLED:
		return "disabled";
	case HOSTIAM_ACCOUNT_LOCKED:
		return "locked";
	case HOSTIAM_ACCOUNT_EXPIRED:
		return "expired";
	case HOSTIAM_ACCOUNT_PASSWORD_EXPIRED:
		return "password-expired";
	}
	return "invalid";
}

/* The words before the attribute name. */
static const char *status_words(const struct hostiam_account_verdict *v)
{
	switch (v->status) {
	case HOSTIAM_ACCOUNT_DISABLED:
		return "disabled in the directory";
	case HOSTIAM_ACCOUNT_LOCKED:
		return v->value == HOSTIAM_LOCK_PERMANENT && !v->malformed ?
			"locked in the directory by an administrator" :
			"locked in the directory";
	case HOSTIAM_ACCOUNT_EXPIRED:
		return "expired in the directory";
	case HOSTIAM_ACCOUNT_PASSWORD_EXPIRED:
		return "password expired";
	case HOSTIAM_ACCOUNT_OK:
		break;
	}
	return "ok";
}

void hostiam_account_describe(const struct hostiam_config *cfg,
			      const struct hostiam_account_verdict *v, char *buf, size_t len)
{
	const char *attr = v->attr >= 0 ? hostiam_account_attr_name(cfg, v->attr) : NULL;

	if (buf == NULL || len == 0)
		return;
	if (v->status == HOSTIAM_ACCOUNT_OK && v->password_days >= 0)
		snprintf(buf, len, "ok, password expires in %ld day%s (%s)", v->password_days,
			 v->password_days == 1 ? "" : "s", attr ? attr : "?");
	else if (attr == NULL)
		snprintf(buf, len, "%s", status_words(v));
	else
		snprintf(buf, len, "%s (%s%s)", status_words(v), attr,
			 v->malformed ? ": unreadable value" : "");
}

const char *hostiam_account_message(enum hostiam_account_status s)
{
	switch (s) {
	case HOSTIAM_ACCOUNT_DISABLED:
		return "Access denied: your account is disabled in the directory.";
	case HOSTIAM_ACCOUNT_LOCKED:
		return "Access denied: your account is locked in the directory.";
	case HOSTIAM_ACCOUNT_EXPIRED:
		return "Access denied: your account has expired.";
	case HOSTIAM_ACCOUNT_OK:
	case HOSTIAM_ACCOUNT_PASSWORD_EXPIRED:
		break;
	}
	return NULL;
}
