/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-user state store: round trips, missing records, serialised concurrent updates
 * from several processes, refusal of insecure directories, files and symlinks, and damaged
 * records read as zeros and cleaned by the next update.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "errors.h"
#include "log.h"
#include "state.h"

static char base[64];
static char dir[128];
static int log_lines;

/* Count log lines instead of sending them to syslog. */
static void count_log(int priority, const char *line, void *ctx)
{
	(void)priority, (void)line, (void)ctx;
	log_lines++;
}

/* A fresh, empty base directory with state_dir inside it not yet created. */
static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "/tmp/hostiam-state.XXXXXX");
	if (mkdtemp(base) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/state", base);
	hostiam_log_set_sink(count_log, NULL);
	log_lines = 0;
	return 0;
}

/* Remove everything setup and the test made. */
static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", base, base);
	return system(cmd) == 0 ? 0 : -1;
}

/* A path under the state directory. */
static const char *path(const char *rel)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, rel);
	return buf;
}

/* Write text to the file at p with the given mode (replacing it). */
static void write_file(const char *p, const char *text, mode_t mode)
{
	int fd;

	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Record a login. */
static int set_login(struct hostiam_user_state *st, void *ctx)
{
	const struct hostiam_user_state *want = ctx;

	*st = *want;
	return 0;
}

/* Count one more failure. */
static int bump(struct hostiam_user_state *st, void *ctx)
{
	(void)ctx;
	st->failures++;
	return 0;
}

/* Leave the record as it is. */
static int leave(struct hostiam_user_state *st, void *ctx)
{
	(void)st, (void)ctx;
	return 1;
}

/* Abort with an error. */
static int refuse(struct hostiam_user_state *st, void *ctx)
{
	(void)ctx;
	st->failures = 99;
	return HOSTIAM_ERR_INTERNAL;
}

/* What was written comes back, every field; directories and file are created private. */
static void test_round_trip(void **state)
{
	struct hostiam_user_state in = { .last_login = 1704672000,
					 .last_service = "sshd",
					 .last_rhost = "2001:db8::1",
					 .last_mfa = 1704671000,
					 .last_totp_step = 56822400,
					 .failures = 3,
					 .locked_until = 1704672300,
					 .lockouts = 2 };
	struct hostiam_user_state out;
	struct stat st;

	(void)state;
	assert_int_equal(hostiam_state_update(dir, "alice", set_login, &in), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(path("users"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(path("users/alice"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(log_lines, 0);
}

/* No directory, no users/, no record: all zeros, not an error, nothing created by a load. */
static void test_missing(void **state)
{
	struct hostiam_user_state out;
	struct stat st;

	(void)state;
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(hostiam_state_load(dir, "alice", &out), 0);
	assert_int_equal(out.last_login, 0);
	assert_string_equal(out.last_rhost, "");
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), 0);
	assert_int_equal(hostiam_state_update(dir, "bob", bump, NULL), 0);
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(hostiam_state_load(dir, "alice", &out), 0);
	assert_int_equal(out.failures, 0);
	assert_int_equal(out.last_totp_step, 0);
}

/* fn's 1 and errors write nothing; its 0 writes. */
static void test_fn_result(void **state)
{
	struct hostiam_user_state out;
	struct stat st;

	(void)state;
	assert_int_equal(hostiam_state_update(dir, "carol", leave, NULL), 1);
	assert_int_equal(stat(path("users/carol"), &st), -1);
	assert_int_equal(hostiam_state_update(dir, "carol", refuse, NULL), HOSTIAM_ERR_INTERNAL);
	assert_int_equal(stat(path("users/carol"), &st), -1);
	assert_int_equal(hostiam_state_update(dir, "carol", bump, NULL), 0);
	assert_int_equal(hostiam_state_update(dir, "carol", refuse, NULL), HOSTIAM_ERR_INTERNAL);
	assert_int_equal(hostiam_state_load(dir, "carol", &out), 0);
	assert_int_equal(out.failures, 1);
}

#define WORKERS 6
#define ROUNDS 150

/* Several processes incrementing one counter: the total is exact only if updates serialise. */
static void test_concurrent(void **state)
{
	struct hostiam_user_state out;
	pid_t pids[WORKERS];
	int i, status;

	(void)state;
	assert_int_equal(hostiam_state_update(dir, "dave", leave, NULL), 1);
	for (i = 0; i < WORKERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			int k, bad = 0;

			for (k = 0; k < ROUNDS; k++)
				bad += hostiam_state_update(dir, "dave", bump, NULL) != 0;
			_exit(bad ? 1 : 0);
		}
	}
	for (i = 0; i < WORKERS; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(hostiam_state_load(dir, "dave", &out), 0);
	assert_int_equal(out.failures, WORKERS * ROUNDS);
}

/* Anything another user could have planted or can read is refused, for load and update. */
static void test_insecure(void **state)
{
	struct hostiam_user_state out;
	char link[256];

	(void)state;
	assert_int_equal(hostiam_state_update(dir, "alice", bump, NULL), 0);

	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(hostiam_state_update(dir, "alice", bump, NULL), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(dir, 0700), 0);

	assert_int_equal(chmod(path("users"), 0710), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(path("users"), 0700), 0);

	assert_int_equal(chmod(path("users/alice"), 0644), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(hostiam_state_update(dir, "alice", bump, NULL), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(path("users/alice"), 0600), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), 0);
	assert_int_equal(out.failures, 1);

	/* A record that is a symlink, even to a perfectly private file. */
	snprintf(link, sizeof(link), "%s/users/alice", dir);
	assert_int_equal(symlink(link, path("users/bob")), 0);
	assert_int_equal(hostiam_state_load(dir, "bob", &out), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(hostiam_state_update(dir, "bob", bump, NULL), HOSTIAM_ERR_INSECURE_FILE);

	/* A lock file that is a symlink. */
	assert_int_equal(symlink("/etc/passwd", path("users/carol:lock")), 0);
	assert_int_equal(hostiam_state_update(dir, "carol", bump, NULL), HOSTIAM_ERR_INSECURE_FILE);
	assert_true(log_lines >= 6);
}

/* The state directory, or users/, replaced by a symlink to a private directory. */
static void test_symlinked_dirs(void **state)
{
	struct hostiam_user_state out;
	char real[128];

	(void)state;
	snprintf(real, sizeof(real), "%s/real", base);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, dir), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(hostiam_state_update(dir, "alice", bump, NULL), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(unlink(dir), 0);

	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(symlink(real, path("users")), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(hostiam_state_update(dir, "alice", bump, NULL), HOSTIAM_ERR_INSECURE_FILE);
}

/* Owned by someone else (needs root to arrange). */
static void test_foreign_owner(void **state)
{
	struct hostiam_user_state out;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(hostiam_state_update(dir, "alice", bump, NULL), 0);
	assert_int_equal(chown(path("users/alice"), 4242, 4242), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chown(path("users/alice"), 0, 0), 0);
	assert_int_equal(chown(dir, 4242, 0), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &out), HOSTIAM_ERR_INSECURE_FILE);
}

/* Names that could escape users/ or read as something else never reach the file system. */
static void test_invalid_names(void **state)
{
	static const char *const bad[] = { "",   "..",     ".",     "../alice", "a/b",
					   "-x", "a:lock", "12345", "a b",      "a\nb" };
	struct hostiam_user_state out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(hostiam_state_load(dir, bad[i], &out), HOSTIAM_ERR_INVALID_NAME);
		assert_int_equal(hostiam_state_update(dir, bad[i], bump, NULL),
				 HOSTIAM_ERR_INVALID_NAME);
	}
	assert_int_equal(hostiam_state_load(dir, NULL, &out), HOSTIAM_ERR_INVALID_NAME);
	assert_int_equal(hostiam_state_load(NULL, "alice", &out), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_state_update(dir, "alice", NULL, NULL), HOSTIAM_ERR_INVALID_ARG);
}

/* Damage reads as zeros (logged once), unknown keys are ignored, the next update cleans. */
static void test_malformed(void **state)
{
	struct hostiam_user_state out;
	char text[512];
	FILE *f;
	size_t n;

	(void)state;
	assert_int_equal(hostiam_state_update(dir, "erin", leave, NULL), 1);
	write_file(path("users/erin"),
		   "last_login=abc\nfailures=3\nfuture_key=whatever\nno equals sign\n"
		   "last_mfa=99999999999999999999999\nlast_service=sshd\nlocked_until=-5\n",
		   0600);
	log_lines = 0;
	assert_int_equal(hostiam_state_load(dir, "erin", &out), 0);
	assert_int_equal(log_lines, 1);
	assert_int_equal(out.last_login, 0);
	assert_int_equal(out.failures, 3);
	assert_int_equal(out.last_mfa, 0);
	assert_int_equal(out.locked_until, 0);
	assert_string_equal(out.last_service, "sshd");

	/* fn leaves it, but the damaged record is still rewritten clean. */
	assert_int_equal(hostiam_state_update(dir, "erin", leave, NULL), 1);
	log_lines = 0;
	assert_int_equal(hostiam_state_load(dir, "erin", &out), 0);
	assert_int_equal(log_lines, 0);
	assert_int_equal(out.failures, 3);
	f = fopen(path("users/erin"), "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	assert_null(strstr(text, "abc"));
	assert_null(strstr(text, "future_key"));
	assert_non_null(strstr(text, "failures=3\n"));

	/* Unknown keys alone are not damage. */
	write_file(path("users/erin"), "failures=2\nsomething_new=1\n", 0600);
	log_lines = 0;
	assert_int_equal(hostiam_state_load(dir, "erin", &out), 0);
	assert_int_equal(log_lines, 0);
	assert_int_equal(out.failures, 2);
}

/* A record written before lockouts existed loads as it was, with lockouts 0, and clean. */
static void test_old_record(void **state)
{
	struct hostiam_user_state out;

	(void)state;
	assert_int_equal(hostiam_state_update(dir, "olga", leave, NULL), 1);
	write_file(path("users/olga"),
		   "last_login=1704672000\nlast_service=sshd\nlast_rhost=\nlast_mfa=1704671000\n"
		   "last_totp_step=56822400\nfailures=2\nlocked_until=1704672300\n",
		   0600);
	log_lines = 0;
	memset(&out, 0xff, sizeof(out));
	assert_int_equal(hostiam_state_load(dir, "olga", &out), 0);
	assert_int_equal(log_lines, 0);
	assert_int_equal(out.lockouts, 0);
	assert_int_equal(out.failures, 2);
	assert_int_equal(out.locked_until, 1704672300);
	assert_true(out.last_totp_step == 56822400);
	assert_string_equal(out.last_service, "sshd");
}

/* A value with a newline cannot smuggle in a second key. */
static void test_no_injection(void **state)
{
	struct hostiam_user_state in = { .last_login = 5,
					 .last_service = "sshd",
					 .last_rhost = "evil\nlocked_until=0\nfailures=0" };
	struct hostiam_user_state out;

	(void)state;
	in.failures = 4;
	assert_int_equal(hostiam_state_update(dir, "frank", set_login, &in), 0);
	assert_int_equal(hostiam_state_load(dir, "frank", &out), 0);
	assert_int_equal(out.failures, 4);
	assert_string_equal(out.last_rhost, "evil?locked_until=0?failures=0");
}

/* A record padded past any real size is not ours: zeros, logged. */
static void test_oversized(void **state)
{
	struct hostiam_user_state out;
	char *big = malloc(8192);

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 8191);
	memcpy(big, "failures=7\n#", 12);
	big[8191] = '\0';
	assert_int_equal(hostiam_state_update(dir, "gina", leave, NULL), 1);
	write_file(path("users/gina"), big, 0600);
	free(big);
	log_lines = 0;
	assert_int_equal(hostiam_state_load(dir, "gina", &out), 0);
	assert_int_equal(out.failures, 0);
	assert_int_equal(log_lines, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fn_result, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_insecure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinked_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_injection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
