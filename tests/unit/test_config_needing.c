/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam_config_load_needing: a command that reads only some keys (authorized-keys: the
 * cache and directory.min_uid) still gets them when the mistakes lie elsewhere, and never
 * when a mistake touches them or the file as a whole.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "configuration.h"
#include "errors.h"

static const char *const need[] = { "cache", "directory.min_uid", NULL };

/* Write text to a new file of mode, load it needing need; the result, *cfg and errs. */
static int load_text(const char *text, mode_t mode, struct hostiam_config **cfg,
		     struct hostiam_config_errors *errs)
{
	char path[] = "/tmp/hostiam-need-XXXXXX";
	int fd = mkstemp(path), r;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	*cfg = NULL;
	r = hostiam_config_load_needing(path, need, cfg, errs);
	unlink(path);
	return r;
}

/* A typo in an access rule: the cache and min_uid are there, the mistake is reported. */
static void test_mistake_elsewhere(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg;

	(void)state;
	assert_int_equal(
		load_text("directory = { uri = \"ldap://x\"; base = \"dc=x\"; "
			  "min_uid = 5000; };\n"
			  "cache = { dir = \"/srv/c\"; };\n"
			  "access = { rules = ( { name = \"a\"; acton = \"allow\"; } ); };\n",
			  0644, &cfg, &errs),
		0);
	assert_non_null(cfg);
	assert_string_equal(cfg->cache.nss_path, "/srv/c/nss.cache");
	assert_int_equal(cfg->directory.min_uid, 5000);
	assert_int_equal(errs.n, 2); /* the unknown key, and the missing action */
	assert_int_equal(errs.items[0].line, 3);
	assert_string_equal(errs.items[0].key, "access.rules.[0].acton");
	hostiam_config_free(cfg);
}

/* A mistake in a key the caller needs, or in its section as a whole: no configuration. */
static void test_mistake_needed(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg;

	(void)state;
	assert_int_equal(load_text("cache = { dir = \"relative\"; };\n", 0644, &cfg, &errs),
			 HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	assert_string_equal(errs.items[0].key, "cache.dir");
	assert_int_equal(load_text("directory = { uri = \"ldap://x\"; base = \"dc=x\"; "
				   "min_uid = 0; };\n",
				   0644, &cfg, &errs),
			 HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	assert_int_equal(load_text("directory = 5;\n", 0644, &cfg, &errs), HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
}

/* The file as a whole: a syntax error, or a file anyone may write, spares nothing. */
static void test_mistake_whole_file(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg;

	(void)state;
	assert_int_equal(load_text("access = { default = \"deny\" \n", 0644, &cfg, &errs),
			 HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	assert_int_equal(load_text("access = { defualt = \"deny\"; };\n", 0646, &cfg, &errs),
			 HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	assert_non_null(strstr(errs.items[0].message, "world-writable"));
}

/* Without need, any mistake refuses the file: hostiam_config_load is unchanged. */
static void test_strict(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;

	(void)state;
	assert_int_equal(
		hostiam_config_load_string("access = { defualt = \"deny\"; };\n", "t", &cfg, &errs),
		HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	assert_int_equal(errs.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mistake_elsewhere),
		cmocka_unit_test(test_mistake_needed),
		cmocka_unit_test(test_mistake_whole_file),
		cmocka_unit_test(test_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
