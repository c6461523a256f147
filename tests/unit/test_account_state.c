/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Account state: each attribute's syntax (generalized time, days, FILETIME, Booleans,
 * bit masks) parsed exactly or refused as HOSTIAM_ATTR_BAD, and the evaluation at a given
 * time, table-driven: which state, which attribute decided, and that a value the sync could
 * not read fails closed (disabled, locked, expired) instead of letting the user in.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "account_state.h"
#include "errors.h"

#define DAY 86400
/* 2026-12-02 12:00:00 UTC: day 20789. */
#define NOW ((time_t)1796212800)
#define TODAY 20789
#define A HOSTIAM_ATTR_ABSENT
#define BAD HOSTIAM_ATTR_BAD

struct parse_case {
	enum hostiam_account_attr attr;
	const char *text;
	int64_t want; /* BAD: refused */
};

static void test_parse(void **state)
{
	static const struct parse_case cases[] = {
		/* shadow days */
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, "20000", 20000 },
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, "-1", -1 },
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, "0", 0 },
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, "-2", BAD },
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, "-0", BAD },
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, "", BAD },
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, " 1", BAD },
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, "1e3", BAD },
		{ HOSTIAM_ACCT_SHADOW_EXPIRE, "0x10", BAD },
		{ HOSTIAM_ACCT_SHADOW_MAX, "99999", 99999 },
		{ HOSTIAM_ACCT_SHADOW_MAX, "2147483648", BAD },
		{ HOSTIAM_ACCT_SHADOW_LAST_CHANGE, "+5", BAD },
		/* generalized time */
		{ HOSTIAM_ACCT_LOCKED_TIME, "000001010000Z", HOSTIAM_LOCK_PERMANENT },
		{ HOSTIAM_ACCT_LOCKED_TIME, "19700101000000Z", 0 },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202120000Z", NOW },
		{ HOSTIAM_ACCT_LOCKED_TIME, "202612021200Z", NOW },
		{ HOSTIAM_ACCT_LOCKED_TIME, "2026120212Z", NOW },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202120000.123456Z", NOW },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202120000,5Z", NOW },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202140000+0200", NOW },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202110000-01", NOW },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20240229000000Z", 1709164800 },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20230229000000Z", BAD },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261302120000Z", BAD },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202240000Z", BAD },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202120000", BAD },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202120000.Z", BAD },
		{ HOSTIAM_ACCT_LOCKED_TIME, "20261202120000Zx", BAD },
		{ HOSTIAM_ACCT_LOCKED_TIME, "2026120212000Z", BAD },
		{ HOSTIAM_ACCT_LOCKED_TIME, "yes", BAD },
		{ HOSTIAM_ACCT_LOCKED_TIME, "", BAD },
		/* nsAccountLock */
		{ HOSTIAM_ACCT_ACCOUNT_LOCK, "TRUE", 1 },
		{ HOSTIAM_ACCT_ACCOUNT_LOCK, "true", 1 },
		{ HOSTIAM_ACCT_ACCOUNT_LOCK, "False", 0 },
		{ HOSTIAM_ACCT_ACCOUNT_LOCK, "1", BAD },
		{ HOSTIAM_ACCT_ACCOUNT_LOCK, "yes", BAD },
		{ HOSTIAM_ACCT_ACCOUNT_LOCK, "TRUE ", BAD },
		/* userAccountControl */
		{ HOSTIAM_ACCT_AD_CONTROL, "512", 512 },
		{ HOSTIAM_ACCT_AD_CONTROL, "514", 514 },
		{ HOSTIAM_ACCT_AD_CONTROL, "-2147483646", 0x80000002LL },
		{ HOSTIAM_ACCT_AD_CONTROL, "4294967295", 0xffffffffLL },
		{ HOSTIAM_ACCT_AD_CONTROL, "4294967296", BAD },
		{ HOSTIAM_ACCT_AD_CONTROL, "0x202", BAD },
		/* accountExpires: FILETIME; 0 and the maximum mean never */
		{ HOSTIAM_ACCT_AD_EXPIRES, "0", A },
		{ HOSTIAM_ACCT_AD_EXPIRES, "9223372036854775807", A },
		{ HOSTIAM_ACCT_AD_EXPIRES, "116444736000000000", 0 },
		{ HOSTIAM_ACCT_AD_EXPIRES, "134406864000000000", NOW },
		{ HOSTIAM_ACCT_AD_EXPIRES, "9223372036854775808", BAD },
		{ HOSTIAM_ACCT_AD_EXPIRES, "-1", BAD },
		{ HOSTIAM_ACCT_AD_EXPIRES, "never", BAD },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = 12345;
		int r = hostiam_account_parse(cases[i].attr, cases[i].text, &got);

		if (got != cases[i].want || (r == 0) != (cases[i].want != BAD))
			fail_msg("case %zu '%s': got %lld (r=%d), want %lld", i, cases[i].text,
				 (long long)got, r, (long long)cases[i].want);
	}
	assert_int_equal(hostiam_account_parse(HOSTIAM_ACCT_SHADOW_MAX, NULL, &(int64_t){ 0 }),
			 HOSTIAM_ERR_INVALID_ARG);
}

/* Attribute values in enum order, then what the evaluation must say at NOW. */
struct eval_case {
	int64_t v[HOSTIAM_ACCT_N];
	enum hostiam_account_status status;
	int attr;
	bool malformed;
	long password_days;
};

static void test_evaluate(void **state)
{
	enum {
		SE,
		LC,
		MX,
		LT,
		NL,
		UAC,
		AE
	};
	static const struct eval_case cases[] = {
		{ { A, A, A, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		/* shadowExpire: expired on its day, not the day before; -1 never */
		{ { TODAY, A, A, A, A, A, A }, HOSTIAM_ACCOUNT_EXPIRED, SE, false, -1 },
		{ { TODAY - 1, A, A, A, A, A, A }, HOSTIAM_ACCOUNT_EXPIRED, SE, false, -1 },
		{ { TODAY + 1, A, A, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { -1, A, A, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { 0, A, A, A, A, A, A }, HOSTIAM_ACCOUNT_EXPIRED, SE, false, -1 },
		{ { BAD, A, A, A, A, A, A }, HOSTIAM_ACCOUNT_EXPIRED, SE, true, -1 },
		/* password age */
		{ { A, TODAY - 10, 10, A, A, A, A }, HOSTIAM_ACCOUNT_OK, MX, false, 0 },
		{ { A, TODAY - 11, 10, A, A, A, A },
		  HOSTIAM_ACCOUNT_PASSWORD_EXPIRED,
		  MX,
		  false,
		  0 },
		{ { A, TODAY - 10, 13, A, A, A, A }, HOSTIAM_ACCOUNT_OK, MX, false, 3 },
		{ { A, TODAY - 10, 99999, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { A, TODAY - 10, -1, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { A, 0, A, A, A, A, A }, HOSTIAM_ACCOUNT_PASSWORD_EXPIRED, LC, false, 0 },
		{ { A, BAD, 10, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { A, TODAY - 500, BAD, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { A, A, 10, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		/* day counts no sync writes, from an auth.cache line: unreadable, no overflow */
		{ { A, INT64_MAX, 10, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { A, INT64_MIN + 2, 10, A, A, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		/* pwdAccountLockedTime: any value locks, a bad one too */
		{ { A, A, A, HOSTIAM_LOCK_PERMANENT, A, A, A },
		  HOSTIAM_ACCOUNT_LOCKED,
		  LT,
		  false,
		  -1 },
		{ { A, A, A, NOW - 60, A, A, A }, HOSTIAM_ACCOUNT_LOCKED, LT, false, -1 },
		{ { A, A, A, BAD, A, A, A }, HOSTIAM_ACCOUNT_LOCKED, LT, true, -1 },
		/* nsAccountLock */
		{ { A, A, A, A, 1, A, A }, HOSTIAM_ACCOUNT_DISABLED, NL, false, -1 },
		{ { A, A, A, A, 0, A, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { A, A, A, A, BAD, A, A }, HOSTIAM_ACCOUNT_DISABLED, NL, true, -1 },
		/* userAccountControl */
		{ { A, A, A, A, A, 512, A }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { A, A, A, A, A, 514, A }, HOSTIAM_ACCOUNT_DISABLED, UAC, false, -1 },
		{ { A, A, A, A, A, BAD, A }, HOSTIAM_ACCOUNT_DISABLED, UAC, true, -1 },
		/* accountExpires */
		{ { A, A, A, A, A, A, NOW }, HOSTIAM_ACCOUNT_EXPIRED, AE, false, -1 },
		{ { A, A, A, A, A, A, NOW + 1 }, HOSTIAM_ACCOUNT_OK, -1, false, -1 },
		{ { A, A, A, A, A, A, BAD }, HOSTIAM_ACCOUNT_EXPIRED, AE, true, -1 },
		/* disabled before locked before expired before the password */
		{ { 0, 0, A, NOW, 1, A, A }, HOSTIAM_ACCOUNT_DISABLED, NL, false, -1 },
		{ { 0, 0, A, NOW, A, 512, A }, HOSTIAM_ACCOUNT_LOCKED, LT, false, -1 },
		{ { 0, 0, A, A, A, A, A }, HOSTIAM_ACCOUNT_EXPIRED, SE, false, -1 },
	};
	struct hostiam_account_verdict v;
	struct hostiam_account_attrs a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(a.v, cases[i].v, sizeof(a.v));
		hostiam_account_evaluate(&a, NOW, &v);
		if (v.status != cases[i].status || v.attr != cases[i].attr ||
		    v.malformed != cases[i].malformed || v.password_days != cases[i].password_days)
			fail_msg("case %zu: got %s attr %d malformed %d days %ld", i,
				 hostiam_account_status_name(v.status), v.attr, v.malformed,
				 v.password_days);
	}
	hostiam_account_evaluate(NULL, NOW, &v);
	assert_int_equal(v.status, HOSTIAM_ACCOUNT_OK);
}

/* What check and the log say, and what the user is told. */
static void test_describe(void **state)
{
	struct hostiam_account_attrs a;
	struct hostiam_account_verdict v;
	char buf[160];

	(void)state;
	hostiam_account_attrs_clear(&a);
	assert_false(hostiam_account_attrs_any(&a));
	a.v[HOSTIAM_ACCT_LOCKED_TIME] = HOSTIAM_LOCK_PERMANENT;
	assert_true(hostiam_account_attrs_any(&a));
	hostiam_account_evaluate(&a, NOW, &v);
	assert_true(hostiam_account_denies(&v));
	hostiam_account_describe(NULL, &v, buf, sizeof(buf));
	assert_string_equal(buf,
			    "locked in the directory by an administrator "
			    "(pwdAccountLockedTime)");
	assert_string_equal(hostiam_account_message(v.status),
			    "Access denied: your account is locked in the directory.");
	a.v[HOSTIAM_ACCT_LOCKED_TIME] = HOSTIAM_ATTR_ABSENT;
	a.v[HOSTIAM_ACCT_ACCOUNT_LOCK] = HOSTIAM_ATTR_BAD;
	hostiam_account_evaluate(&a, NOW, &v);
	hostiam_account_describe(NULL, &v, buf, sizeof(buf));
	assert_string_equal(buf, "disabled in the directory (nsAccountLock: unreadable value)");
	a.v[HOSTIAM_ACCT_ACCOUNT_LOCK] = HOSTIAM_ATTR_ABSENT;
	a.v[HOSTIAM_ACCT_SHADOW_LAST_CHANGE] = TODAY - 10;
	a.v[HOSTIAM_ACCT_SHADOW_MAX] = 11;
	hostiam_account_evaluate(&a, NOW, &v);
	assert_false(hostiam_account_denies(&v));
	hostiam_account_describe(NULL, &v, buf, sizeof(buf));
	assert_string_equal(buf, "ok, password expires in 1 day (shadowMax)");
	assert_null(hostiam_account_message(v.status));
	assert_string_equal(hostiam_account_status_name(HOSTIAM_ACCOUNT_PASSWORD_EXPIRED),
			    "password-expired");
	assert_string_equal(hostiam_account_attr_name(NULL, HOSTIAM_ACCT_AD_EXPIRES),
			    "accountExpires");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
