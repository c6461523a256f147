/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The login verification path, hostiam_mfa_check: a fresh code once, replay refused,
 * malformed codes counted, lockout and its expiry, unlock, recovery codes spent once, the
 * directory's secret and the local enrolment's precedence, and N processes racing with one
 * code (exactly one wins).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "mfa_testutil.h"

/* A code, then the same code again (same step): the second is a replay. */
static void test_ok_then_replay(void **state)
{
	struct hostiam_totp_params p = default_params();
	struct hostiam_user_state st;
	char c[9], next[9];

	(void)state;
	enrol("alice", KEY_A, p, NULL, 0);
	code_for(KEY_A, &p, T0 + 3, c);
	assert_int_equal(check("alice", c, T0 + 3), HOSTIAM_MFA_OK);
	st = state_of("alice");
	assert_true(st.last_totp_step == (uint64_t)T0 / 30);
	assert_int_equal(st.last_mfa, T0 + 3);
	assert_int_equal(st.failures, 0);
	/* A replay is refused, but it is no guess: not counted. */
	assert_int_equal(check("alice", c, T0 + 10), HOSTIAM_MFA_REPLAYED);
	assert_int_equal(state_of("alice").failures, 0);
	/* The next step's code is fresh; then the older one is refused even inside the window. */
	code_for(KEY_A, &p, T0 + 30, next);
	assert_int_equal(check("alice", next, T0 + 31), HOSTIAM_MFA_OK);
	assert_int_equal(state_of("alice").failures, 0);
	assert_int_equal(check("alice", c, T0 + 32), HOSTIAM_MFA_REPLAYED);
}

/* A used code typed again and again: refused every time, never a failure, never a lock. */
static void test_replay_not_counted(void **state)
{
	struct hostiam_totp_params p = default_params();
	char c[9], next[9];
	int i;

	(void)state;
	enrol("rita", KEY_B, p, NULL, 0);
	code_for(KEY_B, &p, T0 + 2, c);
	assert_int_equal(check("rita", c, T0 + 2), HOSTIAM_MFA_OK);
	for (i = 0; i < 16; i++)
		assert_int_equal(check("rita", c, T0 + 3 + i), HOSTIAM_MFA_REPLAYED);
	assert_int_equal(state_of("rita").failures, 0);
	assert_int_equal(state_of("rita").locked_until, 0);
	assert_true(log_has("MFA code refused: already used user=rita"));
	assert_false(log_has("MFA locked user=rita"));
	code_for(KEY_B, &p, T0 + 30, next);
	assert_int_equal(check("rita", next, T0 + 30), HOSTIAM_MFA_OK);
}

/* Each enrolment keeps its own algorithm, digits and period. */
static void test_own_params(void **state)
{
	struct hostiam_totp_params p = { HOSTIAM_TOTP_SHA512, 8, 60 };
	struct hostiam_totp_params def = default_params();
	char c[9];

	(void)state;
	enrol("bob", KEY_B, p, NULL, 0);
	code_for(KEY_B, &def, T0, c);
	assert_int_equal(check("bob", c, T0), HOSTIAM_MFA_WRONG);
	code_for(KEY_B, &p, T0, c);
	assert_int_equal(strlen(c), 8);
	assert_int_equal(check("bob", c, T0), HOSTIAM_MFA_OK);
	assert_true(state_of("bob").last_totp_step == (uint64_t)T0 / 60);
}

/* Malformed input is refused and counted like any wrong code. */
static void test_malformed_counted(void **state)
{
	struct hostiam_totp_params p = default_params();
	char big[1025];

	(void)state;
	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	enrol("carol", KEY_A, p, NULL, 0);
	assert_int_equal(check("carol", "", T0), HOSTIAM_MFA_WRONG);
	assert_int_equal(state_of("carol").failures, 1);
	assert_int_equal(check("carol", "12 456", T0), HOSTIAM_MFA_WRONG);
	assert_int_equal(state_of("carol").failures, 2);
	/* The third failure locks (max_failures = 3) and the count starts over. */
	assert_int_equal(check("carol", big, T0), HOSTIAM_MFA_WRONG);
	assert_int_equal(state_of("carol").failures, 0);
	assert_int_equal(state_of("carol").locked_until, T0 + 300);
	assert_true(log_has("MFA locked user=carol until="));
}

/* Locked: even the right code is not looked at, nothing is counted; unlock clears it. */
static void test_lockout_and_unlock(void **state)
{
	struct hostiam_totp_params p = default_params();
	struct hostiam_user_state st;
	char c[9];

	(void)state;
	enrol("dave", KEY_A, p, NULL, 0);
	code_for(KEY_A, &p, T0 + 100, c);
	assert_int_equal(check("dave", "000000", T0 + 100), HOSTIAM_MFA_WRONG);
	assert_int_equal(check("dave", "111111", T0 + 100), HOSTIAM_MFA_WRONG);
	assert_int_equal(check("dave", "222222", T0 + 100), HOSTIAM_MFA_WRONG);
	st = state_of("dave");
	assert_int_equal(st.locked_until, T0 + 400);
	assert_int_equal(check("dave", c, T0 + 101), HOSTIAM_MFA_LOCKED);
	assert_int_equal(check("dave", "999999", T0 + 102), HOSTIAM_MFA_LOCKED);
	st = state_of("dave");
	assert_int_equal(st.failures, 0);
	assert_int_equal(st.locked_until, T0 + 400);
	assert_true(st.last_totp_step == 0);
	assert_int_equal(hostiam_mfa_unlock(tcfg, "dave"), 0);
	st = state_of("dave");
	assert_int_equal(st.locked_until, 0);
	assert_int_equal(st.failures, 0);
	assert_int_equal(check("dave", c, T0 + 103), HOSTIAM_MFA_OK);
}

/* max_failures (3) wrong codes at t; the lock that follows, as the record says. */
static time_t lock_at(const char *user, time_t t)
{
	int i;

	for (i = 0; i < 3; i++)
		assert_int_equal(check(user, "000000", t), HOSTIAM_MFA_WRONG);
	assert_int_equal(check(user, "000000", t), HOSTIAM_MFA_LOCKED);
	return state_of(user).locked_until - t;
}

/*
 * Lockouts in a row double (300, 600, 1200, ...) up to lockout_max; the log says how long.
 * A success, and an unlock, start over at 300.
 */
static void test_escalation(void **state)
{
	struct hostiam_totp_params p = default_params();
	time_t t = T0;
	char c[9];

	(void)state;
	tcfg->mfa.lockout_max = 1000;
	enrol("kim", KEY_A, p, NULL, 0);
	assert_int_equal(lock_at("kim", t), 300);
	assert_int_equal(state_of("kim").lockouts, 1);
	assert_true(log_has("MFA locked user=kim until="));
	assert_true(log_has(" seconds=300 lockouts=1"));
	t += 300;
	assert_int_equal(lock_at("kim", t), 600);
	assert_true(log_has(" seconds=600 lockouts=2"));
	t += 600;
	assert_int_equal(lock_at("kim", t), 1000);
	t += 1000;
	assert_int_equal(lock_at("kim", t), 1000);
	assert_int_equal(state_of("kim").lockouts, 4);
	/* A right code once the lock is over: the next lockout is a first one again. */
	t += 1000;
	code_for(KEY_A, &p, t, c);
	assert_int_equal(check("kim", c, t), HOSTIAM_MFA_OK);
	assert_int_equal(state_of("kim").lockouts, 0);
	t += 30;
	assert_int_equal(lock_at("kim", t), 300);
	t += 300;
	assert_int_equal(lock_at("kim", t), 600);
	/* hostiam unlock: the same. */
	assert_int_equal(hostiam_mfa_unlock(tcfg, "kim"), 0);
	assert_int_equal(state_of("kim").lockouts, 0);
	assert_int_equal(lock_at("kim", t + 1), 300);
}

/* No cap below the first lockout, and no overflow however many lockouts came before. */
static void test_escalation_bounds(void **state)
{
	struct hostiam_user_state st;
	time_t t = T0;
	int i;

	(void)state;
	enrol("lou", KEY_B, default_params(), NULL, 0);
	tcfg->mfa.lockout_max = 86400;
	tcfg->mfa.lockout = INT32_MAX;
	assert_int_equal(lock_at("lou", t), INT32_MAX);
	assert_int_equal(hostiam_mfa_unlock(tcfg, "lou"), 0);
	tcfg->mfa.lockout = 300;
	/* 40 lockouts in a row: 300 * 2^39 would not fit in 32 bits; the cap holds. */
	for (i = 0; i < 40; i++) {
		assert_true(lock_at("lou", t) <= 86400);
		t += 86400;
	}
	st = state_of("lou");
	assert_int_equal(st.lockouts, 40);
	assert_int_equal(st.locked_until - (t - 86400), 86400);
}

/* lockout = 0: the lock lasts until hostiam unlock (a century), never "no lock at all". */
static void test_lockout_zero(void **state)
{
	struct hostiam_totp_params p = default_params();
	time_t t = T0;
	char c[9];

	(void)state;
	tcfg->mfa.lockout = 0;
	enrol("ned", KEY_A, p, NULL, 0);
	assert_true(lock_at("ned", t) >= (time_t)99 * 365 * 86400);
	/* A year later the right code is still refused. */
	t += 365 * 86400;
	code_for(KEY_A, &p, t, c);
	assert_int_equal(check("ned", c, t), HOSTIAM_MFA_LOCKED);
	assert_int_equal(hostiam_mfa_unlock(tcfg, "ned"), 0);
	t += 30;
	code_for(KEY_A, &p, t, c);
	assert_int_equal(check("ned", c, t), HOSTIAM_MFA_OK);
	tcfg->mfa.lockout = 300;
}

/* A lock ends by itself at locked_until; failures before it do not carry over. */
static void test_lock_expiry(void **state)
{
	struct hostiam_totp_params p = default_params();
	char c[9];
	int i;

	(void)state;
	enrol("erin", KEY_B, p, NULL, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(check("erin", "123123", T0), HOSTIAM_MFA_WRONG);
	code_for(KEY_B, &p, T0 + 299, c);
	assert_int_equal(check("erin", c, T0 + 299), HOSTIAM_MFA_LOCKED);
	code_for(KEY_B, &p, T0 + 300, c);
	assert_int_equal(check("erin", c, T0 + 300), HOSTIAM_MFA_OK);
	/* After expiry, one wrong code is one failure, not a new lock. */
	assert_int_equal(check("erin", "123123", T0 + 330), HOSTIAM_MFA_WRONG);
	assert_int_equal(state_of("erin").failures, 1);
	assert_int_equal(state_of("erin").locked_until, 0);
}

/* Recovery codes: accepted once each, in any reasonable typing; the step floor untouched. */
static void test_recovery(void **state)
{
	struct hostiam_totp_params p = default_params();
	char r1[HOSTIAM_RECOVERY_CODE_SIZE], r2[HOSTIAM_RECOVERY_CODE_SIZE], typed[32];
	const char *codes[2] = { r1, r2 };
	struct hostiam_mfa_enrolment e;
	size_t i;

	(void)state;
	assert_int_equal(hostiam_recovery_generate(r1, sizeof(r1)), 0);
	assert_int_equal(hostiam_recovery_generate(r2, sizeof(r2)), 0);
	enrol("frank", KEY_A, p, codes, 2);
	assert_int_equal(check("frank", r1, T0), HOSTIAM_MFA_RECOVERY_OK);
	assert_true(state_of("frank").last_totp_step == 0);
	assert_int_equal(state_of("frank").last_mfa, T0);
	assert_int_equal(hostiam_mfa_load(tcfg, "frank", &e), 0);
	assert_int_equal(e.n_recovery, 1);
	hostiam_mfa_enrolment_wipe(&e);
	assert_int_equal(check("frank", r1, T0 + 1), HOSTIAM_MFA_WRONG);
	/* Upper case, no dash, spaces: the same code. */
	for (i = 0; r2[i]; i++)
		typed[i] = r2[i] >= 'a' && r2[i] <= 'z' ? (char)(r2[i] - 32) : r2[i];
	typed[i] = '\0';
	typed[5] = ' ';
	assert_int_equal(check("frank", typed, T0 + 2), HOSTIAM_MFA_RECOVERY_OK);
	assert_int_equal(check("frank", r2, T0 + 3), HOSTIAM_MFA_WRONG);
	assert_true(log_has("MFA recovery code used user=frank remaining=0"));
}

/* Re-enrolling starts a new replay floor: a longer period must not refuse every code. */
static void test_reenrol_resets_floor(void **state)
{
	struct hostiam_totp_params p = default_params(), slow = { HOSTIAM_TOTP_SHA1, 6, 60 };
	char c[9];

	(void)state;
	enrol("gina", KEY_A, p, NULL, 0);
	code_for(KEY_A, &p, T0 + 3, c);
	assert_int_equal(check("gina", c, T0 + 3), HOSTIAM_MFA_OK);
	assert_int_equal(check("gina", "000000", T0 + 4), HOSTIAM_MFA_WRONG);
	enrol("gina", KEY_B, slow, NULL, 0);
	assert_true(state_of("gina").last_totp_step == 0);
	assert_int_equal(state_of("gina").failures, 0);
	code_for(KEY_B, &slow, T0 + 5, c);
	assert_int_equal(check("gina", c, T0 + 5), HOSTIAM_MFA_OK);
}

/* Re-enrolling (an admin act, like unlock) also starts the lockouts in a row over. */
static void test_reenrol_resets_lockouts(void **state)
{
	(void)state;
	enrol("hal", KEY_A, default_params(), NULL, 0);
	assert_int_equal(lock_at("hal", T0), 300);
	assert_int_equal(state_of("hal").lockouts, 1);
	enrol("hal", KEY_B, default_params(), NULL, 0);
	assert_int_equal(state_of("hal").lockouts, 0);
	assert_int_equal(state_of("hal").locked_until, 0);
}

/* The code that confirmed an enrolment is spent: it cannot open a login afterwards. */
static void test_confirm_code_spent(void **state)
{
	struct hostiam_totp_params p = default_params();
	struct hostiam_mfa_enrolment e = { HOSTIAM_MFA_LOCAL, NULL, 20, p, NULL, 0, 0 };
	uint64_t step;
	char c[9], next[9];

	(void)state;
	code_for(KEY_A, &p, T0, c);
	assert_int_equal(hostiam_totp_verify((const uint8_t *)KEY_A, 20, &p, c, T0, 1, 0, &step),
			 0);
	e.secret = (uint8_t *)KEY_A;
	e.used_step = step;
	assert_int_equal(hostiam_mfa_store_local(tcfg, "hank", &e), 0);
	assert_int_equal(check("hank", c, T0 + 1), HOSTIAM_MFA_REPLAYED);
	code_for(KEY_A, &p, T0 + 30, next);
	assert_int_equal(check("hank", next, T0 + 30), HOSTIAM_MFA_OK);
}

/* Eight-digit google-authenticator scratch codes, imported as recovery codes, work once. */
static void test_scratch_codes(void **state)
{
	static const char *const codes[] = { "12345678", "90817263" };

	(void)state;
	enrol("ivan", KEY_A, default_params(), codes, 2);
	assert_int_equal(check("ivan", "12345678", T0), HOSTIAM_MFA_RECOVERY_OK);
	assert_int_equal(check("ivan", "12345678", T0 + 1), HOSTIAM_MFA_WRONG);
	assert_int_equal(check("ivan", " 90817263 ", T0 + 2), HOSTIAM_MFA_RECOVERY_OK);
	assert_int_equal(check("ivan", "1234567", T0 + 3), HOSTIAM_MFA_WRONG);
}

/* The recovery code generator: format, alphabet, no repeats in a small sample. */
static void test_recovery_generate(void **state)
{
	static const char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
	char codes[50][HOSTIAM_RECOVERY_CODE_SIZE], *hash = NULL;
	size_t i, j;

	(void)state;
	assert_int_equal(hostiam_recovery_generate(codes[0], 11), HOSTIAM_ERR_TOO_SMALL);
	for (i = 0; i < 50; i++) {
		assert_int_equal(hostiam_recovery_generate(codes[i], sizeof(codes[i])), 0);
		assert_int_equal(strlen(codes[i]), 11);
		assert_int_equal(codes[i][5], '-');
		for (j = 0; j < 11; j++)
			if (j != 5)
				assert_non_null(strchr(alphabet, codes[i][j]));
		for (j = 0; j < i; j++)
			assert_string_not_equal(codes[i], codes[j]);
	}
	assert_int_equal(hostiam_recovery_hash(codes[0], &hash), 0);
	assert_true(strncmp(hash, "$y$", 3) == 0 || strncmp(hash, "$6$", 3) == 0);
	assert_null(strstr(hash, codes[0]));
	free(hash);
	assert_int_equal(hostiam_recovery_hash("too-short", &hash), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_recovery_hash("abcde-fghi1", &hash), HOSTIAM_ERR_INVALID_ARG);
}

/* No enrolment: NOT_ENROLLED, and nothing is counted. */
static void test_not_enrolled(void **state)
{
	(void)state;
	assert_int_equal(check("gina", "123456", T0), HOSTIAM_MFA_NOT_ENROLLED);
	assert_int_equal(state_of("gina").failures, 0);
	assert_int_equal(hostiam_mfa_enrolled(tcfg, "gina"), HOSTIAM_FALSE);
}

/* A directory secret from auth.cache works; a local enrolment takes precedence over it. */
static void test_directory_and_precedence(void **state)
{
	struct hostiam_totp_params p = default_params();
	struct hostiam_auth_entry entries[] = {
		{ "henry", "R4QVVQBTOEHNFG2EDGVALZ3MHVIBF7UB", NULL }, /* KEY_A */
		{ "iris", "CCOE455TAJMODLZW3FVSBDOFCR76UA4Z", NULL },  /* KEY_B */
	};
	struct hostiam_mfa_enrolment e;
	char a[9], b[9];

	(void)state;
	assert_int_equal(hostiam_auth_cache_write(tcfg->cache.auth_path, entries, 2), 0);
	assert_int_equal(hostiam_mfa_load(tcfg, "henry", &e), 0);
	assert_int_equal(e.source, HOSTIAM_MFA_DIRECTORY);
	assert_memory_equal(e.secret, KEY_A, 20);
	hostiam_mfa_enrolment_wipe(&e);
	assert_int_equal(hostiam_mfa_enrolled(tcfg, "henry"), HOSTIAM_TRUE);
	code_for(KEY_A, &p, T0, a);
	code_for(KEY_B, &p, T0, b);
	assert_int_equal(check("henry", a, T0), HOSTIAM_MFA_OK);
	/* iris enrols locally with KEY_A: the directory's KEY_B no longer counts. */
	enrol("iris", KEY_A, p, NULL, 0);
	assert_int_equal(check("iris", b, T0), HOSTIAM_MFA_WRONG);
	assert_int_equal(check("iris", a, T0), HOSTIAM_MFA_OK);
	assert_int_equal(hostiam_mfa_remove_local(tcfg, "iris"), 0);
	assert_int_equal(hostiam_mfa_remove_local(tcfg, "iris"), HOSTIAM_ERR_NOT_FOUND);
	code_for(KEY_B, &p, T0 + 30, b);
	assert_int_equal(check("iris", b, T0 + 30), HOSTIAM_MFA_OK);
}

/* One child: wait for the barrier, check, exit with the result. */
static void race_child(int barrier, const char *code)
{
	enum hostiam_mfa_result res;
	char go;

	if (read(barrier, &go, 1) != 0)
		_exit(100);
	if (hostiam_mfa_check(tcfg, "racer", code, T0 + 5, &res) != 0)
		_exit(101);
	_exit((int)res);
}

/*
 * N processes released at once with one valid code: exactly one OK, the rest REPLAYED, and
 * none of them counted as a failure (16 logins racing with one code once locked the user).
 */
static void test_race(void **state)
{
	enum {
		N = 16
	};
	struct hostiam_totp_params p = default_params();
	int fds[2], ok = 0, wrong = 0, i, status;
	pid_t pids[N];
	char c[9];

	(void)state;
	enrol("racer", KEY_B, p, NULL, 0);
	code_for(KEY_B, &p, T0 + 5, c);
	assert_int_equal(pipe(fds), 0);
	for (i = 0; i < N; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			close(fds[1]);
			race_child(fds[0], c);
		}
	}
	/* Closing the write end is the starting gun: every read returns 0 at once. */
	close(fds[0]);
	close(fds[1]);
	for (i = 0; i < N; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == HOSTIAM_MFA_OK)
			ok++;
		else if (WEXITSTATUS(status) == HOSTIAM_MFA_REPLAYED)
			wrong++;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(wrong, N - 1);
	assert_int_equal(state_of("racer").failures, 0);
	assert_int_equal(state_of("racer").locked_until, 0);
	assert_true(state_of("racer").last_totp_step == (uint64_t)T0 / 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ok_then_replay, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_own_params, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_malformed_counted, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_lockout_and_unlock, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_lock_expiry, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_escalation, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_lockout_zero, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_escalation_bounds, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_replay_not_counted, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_recovery, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_recovery_generate, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_not_enrolled, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_directory_and_precedence, mfa_setup,
						mfa_teardown),
		cmocka_unit_test_setup_teardown(test_race, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_reenrol_resets_floor, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_reenrol_resets_lockouts, mfa_setup,
						mfa_teardown),
		cmocka_unit_test_setup_teardown(test_confirm_code_spent, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_scratch_codes, mfa_setup, mfa_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
