/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Local enrolment files: stored 0600 in a 0700 directory and read back; loose modes,
 * foreign owners and symlinks (of the file, of mfa/, of the state directory) refused with
 * a log line and without falling back to the directory; malformed files (fixtures in
 * tests/unit/mfa/) refused; and no secret, code or recovery code ever in a log line.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>

#include "mfa_testutil.h"

#define KEY_A_B32 "R4QVVQBTOEHNFG2EDGVALZ3MHVIBF7UB"
#define KEY_B_B32 "CCOE455TAJMODLZW3FVSBDOFCR76UA4Z"

/* What loading user's enrolment gives (the enrolment itself is wiped). */
static int load(const char *user)
{
	struct hostiam_mfa_enrolment e;
	int r = hostiam_mfa_load(tcfg, user, &e);

	if (r == 0)
		hostiam_mfa_enrolment_wipe(&e);
	return r;
}

/* How many entries (other than . and ..) directory p holds. */
static int entries_in(const char *p)
{
	struct dirent *d;
	DIR *dir = opendir(p);
	int n = 0;

	assert_non_null(dir);
	while ((d = readdir(dir)) != NULL)
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			n++;
	closedir(dir);
	return n;
}

/* The whole of small file p, NUL-terminated, in buf. */
static void slurp(const char *p, char *buf, size_t len)
{
	FILE *f = fopen(p, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Move p to aside and put a symlink to it where p was: same content, one link away. */
static void symlink_in_place(const char *p, const char *aside)
{
	assert_int_equal(rename(p, aside), 0);
	assert_int_equal(symlink(aside, p), 0);
}

/* Stored and read back field by field; modes 0700/0600; removal. */
static void test_store_load(void **state)
{
	struct hostiam_totp_params p = { HOSTIAM_TOTP_SHA256, 7, 45 };
	const char *codes[] = { "abcde-fghjk", "23456-789ab" };
	struct hostiam_mfa_enrolment e;
	struct stat st;
	size_t i;

	(void)state;
	enrol("alice", KEY_A, p, codes, 2);
	assert_int_equal(stat(tpath(0, "state/mfa"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(lstat(tpath(0, "state/mfa/alice"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(hostiam_mfa_load(tcfg, "alice", &e), 0);
	assert_int_equal(e.source, HOSTIAM_MFA_LOCAL);
	assert_int_equal(e.secret_len, 20);
	assert_memory_equal(e.secret, KEY_A, 20);
	assert_int_equal(e.params.algorithm, HOSTIAM_TOTP_SHA256);
	assert_int_equal(e.params.digits, 7);
	assert_int_equal(e.params.period, 45);
	assert_int_equal(e.n_recovery, 2);
	for (i = 0; i < 2; i++)
		assert_int_equal(e.recovery[i][0], '$');
	hostiam_mfa_enrolment_wipe(&e);
	assert_null(e.secret);
	assert_int_equal(hostiam_mfa_enrolled(tcfg, "alice"), HOSTIAM_TRUE);
	assert_int_equal(hostiam_mfa_remove_local(tcfg, "alice"), 0);
	assert_int_equal(hostiam_mfa_enrolled(tcfg, "alice"), HOSTIAM_FALSE);
	assert_int_equal(load("alice"), HOSTIAM_ERR_NOT_FOUND);
	/* Nothing is left behind in mfa/: no temp files. */
	assert_int_equal(entries_in(tpath(0, "state/mfa")), 0);
}

/* Enrolments the store must refuse: short keys, bad parameters, bad hashes, bad names. */
static void test_store_refuses(void **state)
{
	struct hostiam_mfa_enrolment e = {
		HOSTIAM_MFA_LOCAL, (uint8_t *)KEY_A, 20, { HOSTIAM_TOTP_SHA1, 6, 30 }, NULL, 0, 0
	};
	char *bad_hash[] = { (char *)"plain text" };

	(void)state;
	e.secret_len = 9;
	assert_int_equal(hostiam_mfa_store_local(tcfg, "alice", &e), HOSTIAM_ERR_INVALID_ARG);
	e.secret_len = 20;
	e.params.digits = 9;
	assert_int_equal(hostiam_mfa_store_local(tcfg, "alice", &e), HOSTIAM_ERR_INVALID_ARG);
	e.params.digits = 6;
	e.params.period = 0;
	assert_int_equal(hostiam_mfa_store_local(tcfg, "alice", &e), HOSTIAM_ERR_INVALID_ARG);
	e.params.period = 30;
	e.recovery = bad_hash;
	e.n_recovery = 1;
	assert_int_equal(hostiam_mfa_store_local(tcfg, "alice", &e), HOSTIAM_ERR_INVALID_ARG);
	e.n_recovery = 0;
	assert_int_equal(hostiam_mfa_store_local(tcfg, "../alice", &e), HOSTIAM_ERR_INVALID_NAME);
	assert_int_equal(hostiam_mfa_store_local(tcfg, "alice", &e), 0);
}

/* Each insecure shape of the enrolment file: refused, logged, no fallback, check fails. */
static void expect_refused(const char *user, const char *log_part)
{
	enum hostiam_mfa_result res;

	assert_int_equal(load(user), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(hostiam_mfa_enrolled(tcfg, user), HOSTIAM_UNSET);
	assert_int_equal(hostiam_mfa_check(tcfg, user, "123456", T0, &res),
			 HOSTIAM_ERR_INSECURE_FILE);
	if (!log_has(log_part))
		fail_msg("no log line with \"%s\" in:\n%s", log_part, tlog);
	tlog[0] = '\0';
	tlog_len = 0;
}

/* Loose modes, a foreign owner, symlinks, non-files: the file itself. */
static void test_insecure_file(void **state)
{
	const struct hostiam_auth_entry dir_entry[] = { { "alice", KEY_B_B32, NULL } };
	struct hostiam_totp_params p = default_params();
	const char *f = tpath(0, "state/mfa/alice");
	static const mode_t modes[] = { 0640, 0604, 0660, 0644, 0606 };
	char text[512];
	struct stat st;
	size_t i;

	(void)state;
	/* The directory has a secret for alice too: it must never be used instead. */
	assert_int_equal(hostiam_auth_cache_write(tcfg->cache.auth_path, dir_entry, 1), 0);
	enrol("alice", KEY_A, p, NULL, 0);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(chmod(f, modes[i]), 0);
		expect_refused("alice", "MFA enrolment refused: mode");
	}
	assert_int_equal(chmod(f, 0600), 0);
	assert_int_equal(chown(f, 65534, 65534), 0);
	expect_refused("alice", "MFA enrolment refused: owned by uid 65534");
	/* A symlink to a good enrolment elsewhere (the CVE-2024-47191 shape). */
	assert_int_equal(chown(f, 0, 0), 0);
	symlink_in_place(f, tpath(1, "elsewhere"));
	expect_refused("alice", "MFA enrolment refused: a symlink");
	assert_int_equal(unlink(f), 0);
	assert_int_equal(mkfifo(f, 0600), 0);
	expect_refused("alice", "not a regular file");
	assert_int_equal(unlink(f), 0);
	/* Storing over a symlink replaces the link, never writes through it. */
	assert_int_equal(symlink(tpath(1, "elsewhere"), f), 0);
	enrol("alice", KEY_B, p, NULL, 0);
	assert_int_equal(lstat(f, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	slurp(tpath(1, "elsewhere"), text, sizeof(text));
	assert_non_null(strstr(text, "secret=" KEY_A_B32 "\n"));
	slurp(f, text, sizeof(text));
	assert_non_null(strstr(text, "secret=" KEY_B_B32 "\n"));
	assert_int_equal(load("alice"), 0);
}

/* The directories above it: mfa/ and the state directory. */
static void test_insecure_dirs(void **state)
{
	struct hostiam_totp_params p = default_params();
	const char *mfa = tpath(0, "state/mfa"), *sd = tpath(1, "state");
	struct hostiam_mfa_enrolment e = { HOSTIAM_MFA_LOCAL, (uint8_t *)KEY_A, 20, p, NULL, 0, 0 };

	(void)state;
	enrol("alice", KEY_A, p, NULL, 0);
	assert_int_equal(chmod(mfa, 0755), 0);
	expect_refused("alice", "MFA enrolment directory refused: mode 0755");
	assert_int_equal(hostiam_mfa_store_local(tcfg, "alice", &e), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(mfa, 0700), 0);
	assert_int_equal(chown(mfa, 65534, 0), 0);
	expect_refused("alice", "owned by uid 65534");
	assert_int_equal(chown(mfa, 0, 0), 0);
	/* mfa/ replaced by a symlink to a good directory. */
	symlink_in_place(mfa, tpath(2, "other"));
	expect_refused("alice", "a symlink");
	assert_int_equal(unlink(mfa), 0);
	assert_int_equal(rename(tpath(2, "other"), mfa), 0);
	assert_int_equal(load("alice"), 0);
	assert_int_equal(chmod(sd, 0711), 0);
	assert_int_equal(load("alice"), HOSTIAM_ERR_INSECURE_FILE);
	assert_true(log_has("MFA state directory refused: mode 0711"));
	assert_int_equal(chmod(sd, 0700), 0);
	assert_int_equal(load("alice"), 0);
}

/* Install fixture name as alice's enrolment (0600) and load it. */
static int load_fixture(const char *name, struct hostiam_mfa_enrolment *e)
{
	char src[512], cmd[2048];
	int r;

	snprintf(src, sizeof(src), "%s/unit/mfa/%s", TESTS_SRCDIR, name);
	snprintf(cmd, sizeof(cmd), "mkdir -p -m 0700 '%s' && cp '%s' '%s' && chmod 0600 '%s'",
		 tpath(0, "state/mfa"), src, tpath(1, "state/mfa/alice"),
		 tpath(1, "state/mfa/alice"));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(chmod(tpath(0, "state"), 0700), 0);
	r = hostiam_mfa_load(tcfg, "alice", e);
	return r;
}

/* Malformed files are refused whole; good ones take defaults for what they leave out. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"enrolment-unknown-key.txt",     "enrolment-repeated-secret.txt",
		"enrolment-repeated-digits.txt", "enrolment-digits-9.txt",
		"enrolment-digits-sign.txt",     "enrolment-period-0.txt",
		"enrolment-algorithm-md5.txt",   "enrolment-bad-base32.txt",
		"enrolment-short-secret.txt",    "enrolment-no-secret.txt",
		"enrolment-no-equals.txt",       "enrolment-bad-recovery.txt",
		"enrolment-leading-space.txt",   "enrolment-algorithm-case.txt",
	};
	struct hostiam_mfa_enrolment e;
	size_t i;

	(void)state;
	assert_int_equal(mkdir(tpath(0, "state"), 0700), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (load_fixture(bad[i], &e) != HOSTIAM_ERR_BAD_ENROLMENT)
			fail_msg("%s was not refused", bad[i]);
	assert_true(log_has("MFA enrolment refused: malformed line="));
	assert_int_equal(load_fixture("enrolment-good-minimal.txt", &e), 0);
	assert_int_equal(e.params.algorithm, HOSTIAM_TOTP_SHA1);
	assert_int_equal(e.params.digits, 6);
	assert_int_equal(e.params.period, 30);
	assert_int_equal(e.n_recovery, 0);
	hostiam_mfa_enrolment_wipe(&e);
	assert_int_equal(load_fixture("enrolment-good-full.txt", &e), 0);
	assert_memory_equal(e.secret, "12345678901234567890", 20);
	assert_int_equal(e.params.algorithm, HOSTIAM_TOTP_SHA256);
	assert_int_equal(e.params.digits, 8);
	assert_int_equal(e.params.period, 60);
	assert_int_equal(e.n_recovery, 1);
	hostiam_mfa_enrolment_wipe(&e);
}

/* Every path that touches a secret, then: none of it in any log line. */
static void test_no_secrets_in_logs(void **state)
{
	const struct hostiam_auth_entry dir_entry[] = { { "bob", KEY_B_B32, NULL } };
	struct hostiam_totp_params p = default_params();
	char r1[HOSTIAM_RECOVERY_CODE_SIZE], c[9], wrong[9];
	const char *codes[] = { r1 };
	enum hostiam_mfa_result res;
	int i;

	(void)state;
	assert_int_equal(hostiam_recovery_generate(r1, sizeof(r1)), 0);
	enrol("alice", KEY_A, p, codes, 1);
	assert_int_equal(hostiam_auth_cache_write(tcfg->cache.auth_path, dir_entry, 1), 0);
	code_for(KEY_A, &p, T0, c);
	assert_int_equal(check("alice", c, T0), HOSTIAM_MFA_OK);
	assert_int_equal(check("alice", c, T0), HOSTIAM_MFA_REPLAYED);
	code_for(KEY_A, &p, T0 + 90, wrong);
	for (i = 0; i < 3; i++)
		check("alice", wrong, T0 + 30);
	assert_int_equal(hostiam_mfa_unlock(tcfg, "alice"), 0);
	assert_int_equal(check("alice", r1, T0 + 31), HOSTIAM_MFA_RECOVERY_OK);
	code_for(KEY_B, &p, T0, c);
	assert_int_equal(check("bob", c, T0), HOSTIAM_MFA_OK);
	/* Refusals log too: a loose file, a damaged cache. */
	assert_int_equal(chmod(tpath(0, "state/mfa/alice"), 0644), 0);
	assert_int_equal(hostiam_mfa_check(tcfg, "alice", c, T0, &res), HOSTIAM_ERR_INSECURE_FILE);
	put_file(tcfg->cache.auth_path, "hostiam-auth-cache 1\nbob\t" KEY_B_B32 "\nx", 0600);
	assert_int_equal(hostiam_mfa_check(tcfg, "bob", c, T0, &res), HOSTIAM_ERR_CACHE_CORRUPT);
	assert_true(tlog_len > 0);
	assert_false(log_has(KEY_A_B32));
	assert_false(log_has(KEY_B_B32));
	assert_false(log_has("R4QVVQ"));
	assert_false(log_has("CCOE45"));
	assert_false(log_has(c));
	assert_false(log_has(wrong));
	assert_false(log_has(r1));
	assert_false(log_has(r1 + 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_load, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_store_refuses, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_insecure_file, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_insecure_dirs, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_no_secrets_in_logs, mfa_setup, mfa_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
