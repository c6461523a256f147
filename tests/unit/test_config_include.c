/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * @include is refused at its line, before libconfig could read a file nobody checked,
 * resolve a name against the working directory, or exit inside the application.
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
#include <unistd.h>

#include <cmocka.h>

#include "config_internal.h"
#include "configuration.h"
#include "errors.h"

#define REFUSED "@include is not supported"
/* What an included file would turn the policy into, were it read. */
#define ALLOW_ALL "access = { mode = \"report\"; default = \"allow\"; };\n"

/* A fixture under tests/unit/configs/include/. */
static void fixture(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/unit/configs/include/%s", TESTS_SRCDIR, name);
}

/* Write text to path with mode (set after creation, so the umask does not matter). */
static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) < 0, 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* Load path; it must fail with exactly the errors at lines[0..n), each an @include refusal. */
static void expect_refused(const char *path, const int *lines, size_t n)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	char text[1024];
	size_t i;

	assert_int_equal(hostiam_config_load(path, &cfg, &errs), HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	for (i = 0; i < errs.n; i++) {
		hostiam_config_error_format(&errs.items[i], text, sizeof(text));
		print_message("%s\n", text);
	}
	assert_int_equal(errs.n, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(errs.items[i].file, path);
		assert_int_equal(errs.items[i].line, lines[i]);
		assert_string_equal(errs.items[i].key, "");
		assert_non_null(strstr(errs.items[i].message, REFUSED));
	}
}

/* A fresh private directory under TMPDIR; the caller removes it. */
static void make_tmpdir(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, len, "%s/hostiam-include.XXXXXX", t ? t : "/tmp");
	assert_non_null(mkdtemp(buf));
}

/*
 * A relative include, run from a directory holding a readable x.conf that would make the
 * policy allow everyone: refused at its line, x.conf never read.
 */
static void test_relative_include(void **state)
{
	char dir[256], inc[300], path[512], cwd[4096];
	const int lines[] = { 7 };

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	snprintf(inc, sizeof(inc), "%s/x.conf", dir);
	write_file(inc, ALLOW_ALL, 0644);
	fixture(path, sizeof(path), "relative.conf");
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	expect_refused(path, lines, 1);
	assert_int_equal(chdir(cwd), 0);
	unlink(inc);
	rmdir(dir);
}

/* An absolute include of a world-writable file (owned by nobody when we may chown). */
static void test_absolute_untrusted_include(void **state)
{
	char dir[256], inc[300], main_conf[300], text[512];
	const int lines[] = { 3 };

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(inc, sizeof(inc), "%s/x.conf", dir);
	write_file(inc, ALLOW_ALL, 0666);
	if (geteuid() == 0)
		assert_int_equal(chown(inc, 65534, 65534), 0);
	snprintf(main_conf, sizeof(main_conf), "%s/hostiam.conf", dir);
	snprintf(text, sizeof(text),
		 "directory = { uri = \"ldaps://ldap.example.com\";\n"
		 "  base = \"dc=example,dc=com\"; };\n@include \"%s\"\n",
		 inc);
	write_file(main_conf, text, 0644);
	expect_refused(main_conf, lines, 1);
	unlink(inc);
	unlink(main_conf);
	rmdir(dir);
}

/* An include of a directory is a clean error: the test process carries on after it. */
static void test_directory_include(void **state)
{
	char path[512];
	const int lines[] = { 6 };

	(void)state;
	fixture(path, sizeof(path), "directory.conf");
	expect_refused(path, lines, 1);
}

/* Every include is reported, from a string too (the name stands for the file). */
static void test_every_include_reported(void **state)
{
	static const char text[] = "@include \"/nonexistent/a.conf\"\n"
				   "cache = { max_age = 60; };\n"
				   "\t @include\t\"b.conf\"\n";
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;

	(void)state;
	assert_int_equal(hostiam_config_load_string(text, "inline", &cfg, &errs),
			 HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.items[0].file, "inline");
	assert_int_equal(errs.items[0].line, 1);
	assert_int_equal(errs.items[1].line, 3);
	assert_non_null(strstr(errs.items[1].message, REFUSED));
}

/* "@include" inside comments and strings is only text: the file loads, the message intact. */
static void test_text_is_not_a_directive(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	char path[512];

	(void)state;
	fixture(path, sizeof(path), "text-only.conf");
	assert_int_equal(hostiam_config_load(path, &cfg, &errs), 0);
	assert_non_null(cfg);
	assert_int_equal(cfg->access.n_rules, 1);
	assert_string_equal(cfg->access.rules[0].message, "see\n@include \"x.conf\" in the docs");
	hostiam_config_free(cfg);
}

/*
 * The second line of defence: were an @include to get past the search, libconfig itself
 * could open nothing, neither relative to the working directory nor a directory.
 */
static void test_libconfig_cannot_include(void **state)
{
	static const char *const texts[] = { "@include \"x.conf\"\n", "@include \"/etc\"\n",
					     "@include \"../../../../etc/hostname\"\n" };
	char dir[256], inc[300], cwd[4096];
	config_t lc;
	size_t i;

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	snprintf(inc, sizeof(inc), "%s/x.conf", dir);
	write_file(inc, ALLOW_ALL, 0644);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		config_init(&lc);
		assert_int_equal(cfg_disable_includes(&lc), 0);
		assert_int_equal(config_read_string(&lc, texts[i]), CONFIG_FALSE);
		assert_int_equal(config_error_line(&lc), 1);
		assert_null(config_lookup(&lc, "access"));
		config_destroy(&lc);
	}
	assert_int_equal(chdir(cwd), 0);
	unlink(inc);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative_include),
		cmocka_unit_test(test_absolute_untrusted_include),
		cmocka_unit_test(test_directory_include),
		cmocka_unit_test(test_every_include_reported),
		cmocka_unit_test(test_text_is_not_a_directive),
		cmocka_unit_test(test_libconfig_cannot_include),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
