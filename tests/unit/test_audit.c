/* SPDX-License-Identifier: BSD-2-Clause */
/* The audit trail's core: JSON escaping, the event line, the section, the file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"
#include "configuration.h"
#include "errors.h"

/* s quoted, checked against want, and the length returned is the length written. */
static void quoted(const char *s, const char *want)
{
	char buf[256];
	size_t n = hostiam_json_quote(buf, sizeof(buf), s, 128);

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_quote_plain(void **state)
{
	(void)state;
	quoted("alice", "\"alice\"");
	quoted("", "\"\"");
	quoted(NULL, "\"\"");
	quoted("a b-c.d@e", "\"a b-c.d@e\"");
}

static void test_quote_specials(void **state)
{
	(void)state;
	quoted("a\"b", "\"a\\\"b\"");
	quoted("a\\b", "\"a\\\\b\"");
	quoted("a\nb\rc\td", "\"a\\u000ab\\u000dc\\u0009d\"");
	quoted("\x1b[31mred", "\"\\u001b[31mred\"");
	quoted("del\x7f", "\"del\\u007f\"");
	/* C1 controls in UTF-8 (U+0085, U+009B) and the JavaScript line separators */
	quoted("a\xc2\x85"
	       "b\xc2\x9b",
	       "\"a\\u0085b\\u009b\"");
	quoted("x\xe2\x80\xa8y\xe2\x80\xa9", "\"x\\u2028y\\u2029\"");
}

static void test_quote_utf8_kept(void **state)
{
	(void)state;
	quoted("jos\xc3\xa9", "\"jos\xc3\xa9\"");
	quoted("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	quoted("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
}

static void test_quote_invalid_utf8(void **state)
{
	(void)state;
	quoted("ev\xffil", "\"ev\\u00ffil\"");
	quoted("\x80", "\"\\u0080\"");
	/* an overlong '/', a surrogate, beyond U+10FFFF, a cut sequence: byte by byte */
	quoted("\xc0\xaf", "\"\\u00c0\\u00af\"");
	quoted("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");
	quoted("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"");
	quoted("\xe2\x82", "\"\\u00e2\\u0082\"");
	quoted("\xe2\x82x", "\"\\u00e2\\u0082x\"");
}

static void test_quote_bounds(void **state)
{
	char small[8];
	size_t n;

	(void)state;
	n = hostiam_json_quote(small, sizeof(small), "abcdefghij", 100);
	assert_int_equal(n, 12);
	assert_string_equal(small, "\"abcdef");
	n = hostiam_json_quote(small, sizeof(small), "abcdefghij", 3);
	assert_int_equal(n, 5);
	assert_string_equal(small, "\"abc\"");
}

static void test_format_line(void **state)
{
	struct hostiam_audit_event ev = { .kind = HOSTIAM_AUDIT_MFA, .time = 86400 * 366 };
	char line[HOSTIAM_AUDIT_LINE_MAX];
	size_t n;

	(void)state;
	ev.user = "ev\nil\"";
	ev.service = "sshd";
	ev.decision = "mfa";
	ev.factors = "password,totp";
	ev.result = "ok";
	ev.grant = 7;
	n = hostiam_audit_format(&ev, "host1", line, sizeof(line));
	assert_true(n > 0);
	assert_int_equal(n, strlen(line));
	assert_int_equal(line[n - 1], '\n');
	assert_null(memchr(line, '\n', n - 1));
	assert_non_null(strstr(line,
			       "{\"time\":\"1971-01-02T00:00:00Z\",\"event\":\"mfa\","
			       "\"host\":\"host1\",\"service\":\"sshd\","
			       "\"user\":\"ev\\u000ail\\\"\",\"rhost\":null,"));
	assert_non_null(strstr(line,
			       "\"factors\":[\"password\",\"totp\"],\"result\":\"ok\","
			       "\"grant\":7}\n"));
	assert_null(strstr(line, "campaign"));
	/* too small a buffer: nothing, never a cut line */
	assert_int_equal(hostiam_audit_format(&ev, "host1", line, 40), 0);
}

static void test_format_longest(void **state)
{
	struct hostiam_audit_event ev = { .kind = HOSTIAM_AUDIT_CERTIFY, .time = 1 };
	char *line = malloc(HOSTIAM_AUDIT_LINE_MAX), big[4096];

	(void)state;
	assert_non_null(line);
	memset(big, 0x01, sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ev.user = ev.service = ev.rhost = ev.tty = ev.rule = ev.decision = ev.mode = big;
	ev.reason = ev.result = ev.reviewer = ev.note = ev.terms = ev.version = big;
	ev.factors = big;
	assert_true(hostiam_audit_format(&ev, big, line, HOSTIAM_AUDIT_LINE_MAX) > 0);
	free(line);
}

static void test_kinds(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < HOSTIAM_AUDIT_KINDS; k++) {
		assert_int_equal(hostiam_audit_kind_lookup(hostiam_audit_kind_name(k)), k);
		assert_int_equal(strlen(hostiam_audit_message_id(k)), 32);
	}
	assert_int_equal(hostiam_audit_kind_lookup("login"), -1);
	assert_null(hostiam_audit_kind_name(HOSTIAM_AUDIT_KINDS));
}

static void test_config_section(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(hostiam_config_load_string("access = { default = \"allow\"; };", "t.conf",
						    &cfg, &errs),
			 0);
	assert_true(cfg->audit.file);
	assert_true(cfg->audit.journal);
	assert_int_equal(cfg->audit.max_size, 16L * 1024 * 1024);
	assert_int_equal(cfg->audit.keep, 4);
	hostiam_config_free(cfg);
	assert_int_equal(hostiam_config_load_string("audit = { max_size = \"512K\"; keep = 9; "
						    "journal = false; file = false; };",
						    "t.conf", &cfg, &errs),
			 0);
	assert_int_equal(cfg->audit.max_size, 512L * 1024);
	assert_int_equal(cfg->audit.keep, 9);
	assert_false(cfg->audit.journal);
	assert_false(cfg->audit.file);
	hostiam_config_free(cfg);
	assert_int_equal(hostiam_config_load_string("audit = { max_size = \"2048\"; };", "t.conf",
						    &cfg, &errs),
			 0);
	assert_int_equal(cfg->audit.max_size, 2048);
	hostiam_config_free(cfg);
}

/* A fresh 0700 directory under TMPDIR. */
static char *temp_dir(void)
{
	const char *t = getenv("TMPDIR");
	char *d;

	assert_true(asprintf(&d, "%s/audit-unit-XXXXXX", t ? t : "/tmp") > 0);
	assert_non_null(mkdtemp(d));
	return d;
}

static char *path_in(const char *dir, const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static off_t size_of(const char *dir, const char *name)
{
	char *p = path_in(dir, name);
	struct stat st;
	off_t r = stat(p, &st) == 0 ? st.st_size : -1;

	free(p);
	return r;
}

static void test_file_rotation(void **state)
{
	struct hostiam_audit_config ac = { true, false, 1024, 3 };
	char line[101], *dir = temp_dir();
	int i;

	(void)state;
	memset(line, 'x', 99);
	line[99] = '\n';
	line[100] = '\0';
	for (i = 0; i < 50; i++)
		assert_int_equal(hostiam_audit_file_append(dir, &ac, line, 100), 0);
	/* 10 lines a file: the current one, .1 .. .3 full, nothing beyond keep */
	assert_true(size_of(dir, "audit.jsonl") > 0);
	assert_int_equal(size_of(dir, "audit.jsonl.1"), 1000);
	assert_int_equal(size_of(dir, "audit.jsonl.3"), 1000);
	assert_int_equal(size_of(dir, "audit.jsonl.4"), -1);
	assert_int_equal(size_of(dir, "audit.jsonl") % 100, 0);
	{
		char *p = path_in(dir, "audit.jsonl");
		struct stat st;

		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
		free(p);
	}
	{
		char *cmd;

		assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	free(dir);
}

static void test_file_refused(void **state)
{
	struct hostiam_audit_config ac = { true, false, 1 << 20, 2 };
	char *dir = temp_dir(), *file = path_in(dir, "audit.jsonl"), *other = path_in(dir, "x");
	int fd;

	(void)state;
	/* a symlink at the path is never followed */
	fd = open(other, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(symlink(other, file), 0);
	assert_int_equal(hostiam_audit_file_append(dir, &ac, "a\n", 2), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(size_of(dir, "x"), 0);
	/* a file others may read */
	assert_int_equal(unlink(file), 0);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
	assert_int_equal(hostiam_audit_file_append(dir, &ac, "a\n", 2), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(size_of(dir, "audit.jsonl"), 0);
	/* a directory others may enter */
	assert_int_equal(chmod(file, 0600), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(hostiam_audit_file_append(dir, &ac, "a\n", 2), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(hostiam_audit_file_append(dir, &ac, "a\n", 2), 0);
	assert_int_equal(size_of(dir, "audit.jsonl"), 2);
	unlink(file);
	unlink(other);
	rmdir(dir);
	free(file);
	free(other);
	free(dir);
}

/* A writer that holds the lock and never lets go costs an event, never a hung login. */
static void test_file_lock_bounded(void **state)
{
	struct hostiam_audit_config ac = { true, false, 1 << 20, 2 };
	char *dir = temp_dir(), *file = path_in(dir, "audit.jsonl");
	int fd;

	(void)state;
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(hostiam_audit_file_append(dir, &ac, "a\n", 2), HOSTIAM_ERR_SYSTEM);
	assert_int_equal(errno, EWOULDBLOCK);
	assert_int_equal(size_of(dir, "audit.jsonl"), 0);
	close(fd);
	assert_int_equal(hostiam_audit_file_append(dir, &ac, "a\n", 2), 0);
	assert_int_equal(size_of(dir, "audit.jsonl"), 2);
	unlink(file);
	rmdir(dir);
	free(file);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_plain),     cmocka_unit_test(test_quote_specials),
		cmocka_unit_test(test_quote_utf8_kept), cmocka_unit_test(test_quote_invalid_utf8),
		cmocka_unit_test(test_quote_bounds),    cmocka_unit_test(test_format_line),
		cmocka_unit_test(test_format_longest),  cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_config_section),  cmocka_unit_test(test_file_rotation),
		cmocka_unit_test(test_file_refused),    cmocka_unit_test(test_file_lock_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
