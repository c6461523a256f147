/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The offline password verifier: stored as a yescrypt (or SHA-512) hash in a 0600 file,
 * never the password; accepted only while younger than offline_days; a wrong password
 * counts toward the shared lockout, and once locked not even the right one passes; removal;
 * offline_days = 0 disables it; damaged, planted or open files are refused.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mfa_testutil.h"
#include "password_verifier.h"

#define PW "correct horse battery staple"
#define DAY 86400

/* hostiam_password_verifier_check that must not fail: its result. */
static enum hostiam_offline_result offline(const char *user, const char *pw, time_t now)
{
	enum hostiam_offline_result r = (enum hostiam_offline_result) - 1;

	assert_int_equal(hostiam_password_verifier_check(tcfg, user, pw, now, &r), 0);
	return r;
}

/* The verifier file's text, into buf. */
static void read_verifier(const char *user, char *buf, size_t len)
{
	char rel[128];
	FILE *f;
	size_t n;

	snprintf(rel, sizeof(rel), "state/password/%s", user);
	f = fopen(tpath(0, rel), "r");
	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Stored as "1 TIME $y$..." in a 0600 file; the password itself is nowhere. */
static void test_store_format(void **state)
{
	char text[512];
	struct stat st;

	(void)state;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "alice", PW, T0), 0);
	read_verifier("alice", text, sizeof(text));
	assert_true(strncmp(text, "1 1699999980 $", 14) == 0);
	assert_null(strstr(text, PW));
	assert_int_equal(stat(tpath(0, "state/password/alice"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(tpath(0, "state/password"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_false(log_has(PW));
}

/* Right password within offline_days (default 7); the age limit is exclusive. */
static void test_age(void **state)
{
	(void)state;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "bob", PW, T0), 0);
	assert_int_equal(offline("bob", PW, T0 + 1), HOSTIAM_OFFLINE_OK);
	assert_int_equal(offline("bob", PW, T0 + 7 * DAY - 1), HOSTIAM_OFFLINE_OK);
	assert_int_equal(offline("bob", PW, T0 + 7 * DAY), HOSTIAM_OFFLINE_STALE);
	/* Stale is no guess: nothing counted. */
	assert_int_equal(state_of("bob").failures, 0);
	/* A fresh online success renews it. */
	assert_int_equal(hostiam_password_verifier_store(tcfg, "bob", PW, T0 + 7 * DAY), 0);
	assert_int_equal(offline("bob", PW, T0 + 8 * DAY), HOSTIAM_OFFLINE_OK);
	/* No verifier at all. */
	assert_int_equal(offline("nobody", PW, T0), HOSTIAM_OFFLINE_NONE);
}

/* A verifier dated in the future (stored while the clock ran years ahead, then corrected)
 * must not stretch the window to its future date plus offline_days: it is stale. */
static void test_future_verifier(void **state)
{
	(void)state;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "fred", PW, T0 + 365 * DAY), 0);
	assert_int_equal(offline("fred", PW, T0), HOSTIAM_OFFLINE_STALE);
	assert_int_equal(offline("fred", PW, T0 + 30 * DAY), HOSTIAM_OFFLINE_STALE);
	assert_int_equal(state_of("fred").failures, 0);
	/* Made this very second is young. */
	assert_int_equal(hostiam_password_verifier_store(tcfg, "fred", PW, T0), 0);
	assert_int_equal(offline("fred", PW, T0), HOSTIAM_OFFLINE_OK);
}

/* A directory planted in place of the file, or the password directory a symlink: never a
 * verifier, never followed. */
static void test_planted_dirs(void **state)
{
	enum hostiam_offline_result r = HOSTIAM_OFFLINE_OK;

	(void)state;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "gail", PW, T0), 0);
	assert_int_equal(mkdir(tpath(0, "state/password/hank"), 0700), 0);
	assert_true(hostiam_password_verifier_check(tcfg, "hank", PW, T0, &r) < 0 ||
		    r != HOSTIAM_OFFLINE_OK);
	assert_true(hostiam_password_verifier_store(tcfg, "hank", PW, T0) < 0);
	assert_int_equal(rename(tpath(0, "state/password"), tpath(1, "pwdir")), 0);
	assert_int_equal(symlink(tpath(1, "pwdir"), tpath(0, "state/password")), 0);
	assert_int_equal(hostiam_password_verifier_check(tcfg, "gail", PW, T0, &r),
			 HOSTIAM_ERR_INSECURE_FILE);
	assert_true(hostiam_password_verifier_store(tcfg, "ivan", PW, T0) < 0);
	assert_int_not_equal(access(tpath(1, "pwdir/ivan"), F_OK), 0);
}

/* Wrong passwords count like wrong codes: the third locks (max_failures = 3), then the
 * right one is refused too until the lockout is over or unlocked. */
static void test_wrong_locks(void **state)
{
	(void)state;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "carol", PW, T0), 0);
	assert_int_equal(offline("carol", "guess1", T0 + 10), HOSTIAM_OFFLINE_WRONG);
	assert_int_equal(state_of("carol").failures, 1);
	assert_int_equal(offline("carol", "guess2", T0 + 11), HOSTIAM_OFFLINE_WRONG);
	assert_int_equal(offline("carol", "guess3", T0 + 12), HOSTIAM_OFFLINE_LOCKED);
	assert_int_equal(state_of("carol").locked_until, T0 + 12 + 300);
	assert_true(log_has("MFA locked user=carol"));
	assert_int_equal(offline("carol", PW, T0 + 13), HOSTIAM_OFFLINE_LOCKED);
	assert_int_equal(offline("carol", PW, T0 + 12 + 300), HOSTIAM_OFFLINE_OK);
	/* A second lockout in a row lasts twice as long (the TOTP path's escalation). */
	assert_int_equal(offline("carol", "a", T0 + 400), HOSTIAM_OFFLINE_WRONG);
	assert_int_equal(offline("carol", "b", T0 + 401), HOSTIAM_OFFLINE_WRONG);
	assert_int_equal(offline("carol", "c", T0 + 402), HOSTIAM_OFFLINE_LOCKED);
	assert_int_equal(state_of("carol").locked_until, T0 + 402 + 600);
	assert_int_equal(hostiam_mfa_unlock(tcfg, "carol"), 0);
	assert_int_equal(offline("carol", PW, T0 + 403), HOSTIAM_OFFLINE_OK);
	assert_false(log_has(PW));
	assert_false(log_has("guess"));
}

/* Removing: gone from disk, then NONE; removing again is NOT_FOUND. */
static void test_remove(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "dave", PW, T0), 0);
	assert_int_equal(hostiam_password_verifier_remove(tcfg, "dave"), 0);
	assert_int_not_equal(stat(tpath(0, "state/password/dave"), &st), 0);
	assert_int_equal(offline("dave", PW, T0), HOSTIAM_OFFLINE_NONE);
	assert_int_equal(hostiam_password_verifier_remove(tcfg, "dave"), HOSTIAM_ERR_NOT_FOUND);
}

/* offline_days = 0: nothing stored, nothing accepted. */
static void test_disabled(void **state)
{
	struct stat st;

	(void)state;
	tcfg->password.offline_days = 0;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "erin", PW, T0), 0);
	assert_int_not_equal(stat(tpath(0, "state/password/erin"), &st), 0);
	assert_int_equal(offline("erin", PW, T0), HOSTIAM_OFFLINE_DISABLED);
}

/* A damaged file is unusable (no offline login); a mode open to others or a symlink is an
 * error, never followed. */
static void test_bad_files(void **state)
{
	enum hostiam_offline_result r;
	char target[256];

	(void)state;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "frank", PW, T0), 0);
	put_file(tpath(0, "state/password/frank"), "1 notatime $y$x\n", 0600);
	assert_int_equal(offline("frank", PW, T0), HOSTIAM_OFFLINE_NONE);
	assert_true(log_has("password verifier is malformed"));
	put_file(tpath(0, "state/password/frank"), "2 1699999980 $y$x\n", 0600);
	assert_int_equal(offline("frank", PW, T0), HOSTIAM_OFFLINE_NONE);

	assert_int_equal(hostiam_password_verifier_store(tcfg, "gina", PW, T0), 0);
	assert_int_equal(chmod(tpath(0, "state/password/gina"), 0644), 0);
	assert_int_equal(hostiam_password_verifier_check(tcfg, "gina", PW, T0, &r),
			 HOSTIAM_ERR_INSECURE_FILE);

	snprintf(target, sizeof(target), "%s", tpath(1, "elsewhere"));
	put_file(target, "1 1699999980 $y$x\n", 0600);
	assert_int_equal(symlink(target, tpath(0, "state/password/henry")), 0);
	assert_int_equal(hostiam_password_verifier_check(tcfg, "henry", PW, T0, &r),
			 HOSTIAM_ERR_INSECURE_FILE);
	/* Storing replaces the link, never writes through it. */
	assert_int_equal(hostiam_password_verifier_store(tcfg, "henry", PW, T0), 0);
	assert_int_equal(offline("henry", PW, T0), HOSTIAM_OFFLINE_OK);
	{
		char text[64];
		FILE *f = fopen(target, "r");

		assert_non_null(f);
		assert_non_null(fgets(text, sizeof(text), f));
		fclose(f);
		assert_string_equal(text, "1 1699999980 $y$x\n");
	}
}

/* Invalid names are refused before any path is built. */
static void test_bad_names(void **state)
{
	enum hostiam_offline_result r;

	(void)state;
	assert_int_equal(hostiam_password_verifier_store(tcfg, "../x", PW, T0),
			 HOSTIAM_ERR_INVALID_NAME);
	assert_int_equal(hostiam_password_verifier_check(tcfg, "a/b", PW, T0, &r),
			 HOSTIAM_ERR_INVALID_NAME);
	assert_int_equal(hostiam_password_verifier_remove(tcfg, ""), HOSTIAM_ERR_INVALID_NAME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_format, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_age, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_future_verifier, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_planted_dirs, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_locks, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_remove, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_disabled, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, mfa_setup, mfa_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
