/* SPDX-License-Identifier: BSD-2-Clause */
/* The `elevation` list: a good entry read whole; each mistake named by file, line and key. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "configuration.h"
#include "duration.h"
#include "errors.h"

/* Load text as "t.conf"; returns the loader's result. */
static int load(const char *text, struct hostiam_config **cfg, struct hostiam_config_errors *errs)
{
	*cfg = NULL;
	return hostiam_config_load_string(text, "t.conf", cfg, errs);
}

static void test_good(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg;

	(void)state;
	assert_int_equal(load("elevation = ( { role = \"admins\"; eligible = [ \"ops\" ];\n"
			      "  approvers = [ \"leads\", \"cto\" ]; max = \"4h\"; mfa = true;\n"
			      "  reason = \"required\"; },\n"
			      "  { role = \"dba\"; eligible = \"ops\"; approvers = \"leads\";\n"
			      "    max = \"1h30m\"; reason = \"optional\"; } );\n",
			      &cfg, &errs),
			 0);
	assert_int_equal(cfg->n_elevation, 2);
	assert_string_equal(cfg->elevation[0].role, "admins");
	assert_int_equal(cfg->elevation[0].eligible.n, 1);
	assert_int_equal(cfg->elevation[0].approvers.n, 2);
	assert_string_equal(cfg->elevation[0].approvers.items[1], "cto");
	assert_int_equal(cfg->elevation[0].max, 4 * 3600);
	assert_true(cfg->elevation[0].mfa);
	assert_int_equal(cfg->elevation[0].reason, HOSTIAM_REASON_REQUIRED);
	assert_int_equal(cfg->elevation[0].line, 1);
	assert_int_equal(cfg->elevation[1].max, 5400);
	assert_false(cfg->elevation[1].mfa);
	assert_int_equal(cfg->elevation[1].reason, HOSTIAM_REASON_OPTIONAL);
	assert_int_equal(cfg->elevation[1].line, 4);
	hostiam_config_free(cfg);
}

/* directory.grants.base: read. */
static void test_directory_grants(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg;

	(void)state;
	assert_int_equal(load("directory = { uri = \"ldap://l\"; base = \"dc=x\";\n"
			      " grants = { base = \"ou=grants,dc=x\"; }; };\n",
			      &cfg, &errs),
			 0);
	assert_string_equal(cfg->directory.grants_base, "ou=grants,dc=x");
	hostiam_config_free(cfg);
	assert_int_equal(load("elevation = ( );\n", &cfg, &errs), 0);
	assert_null(cfg->directory.grants_base);
	hostiam_config_free(cfg);
}

/* No reason key: required (every grant should say why). */
static void test_reason_default(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg;

	(void)state;
	assert_int_equal(load("elevation = ( { role = \"a\"; eligible = \"b\"; approvers = \"c\";"
			      " max = \"1d\"; } );\n",
			      &cfg, &errs),
			 0);
	assert_int_equal(cfg->elevation[0].reason, HOSTIAM_REASON_REQUIRED);
	hostiam_config_free(cfg);
}

struct bad {
	const char *text;
	int line;
	const char *key;
	const char *message;
};

static const struct bad bads[] = {
	{ "elevation = ( { role = \"a\"; eligible = \"b\"; approvers = \"c\";\n max = \"4x\"; } );",
	  2, "elevation.[0].max", "is not a duration" },
	{ "elevation = ( { role = \"a\"; eligible = \"b\"; approvers = \"c\";\n max = \"367d\"; } "
	  ");",
	  2, "elevation.[0].max", "at most 366d" },
	{ "elevation = ( { role = \"a\"; eligible = \"b\"; approvers = \"c\"; } );", 1,
	  "elevation.[0].max", "missing required key" },
	{ "elevation = ( { role = \"a\"; approvers = \"c\"; max = \"1h\"; } );", 1,
	  "elevation.[0].eligible", "missing required key" },
	{ "elevation = ( { role = \"a\"; eligible = \"c\"; max = \"1h\"; } );", 1,
	  "elevation.[0].approvers", "missing required key" },
	{ "elevation = ( { eligible = \"b\"; approvers = \"c\"; max = \"1h\"; } );", 1,
	  "elevation.[0].role", "missing required key" },
	{ "elevation = ( { role = \"a\"; eligible = [ ]; approvers = \"c\"; max = \"1h\"; } );", 1,
	  "elevation.[0].eligible", "must not be empty" },
	{ "elevation = ( { role = \"a b\"; eligible = \"b\"; approvers = \"c\"; max = \"1h\"; } );",
	  1, "elevation.[0].role", "not a valid group name" },
	{ "elevation = ( { role = \"a\"; eligible = \"b\"; approvers = \"c\"; max = \"1h\";\n"
	  " reason = \"maybe\"; } );",
	  2, "elevation.[0].reason", "is not one of: required, optional" },
	{ "elevation = ( { role = \"a\"; eligible = \"b\"; approvers = \"c\"; max = \"1h\";\n"
	  " mfa = \"yes\"; } );",
	  2, "elevation.[0].mfa", "expected true or false" },
	{ "elevation = ( { role = \"a\"; eligible = \"b\"; approvers = \"c\"; max = \"1h\";\n"
	  " ttl = 3; } );",
	  2, "elevation.[0].ttl", "unknown key" },
	{ "elevation = ( { role = \"a\"; eligible = \"b\"; approvers = \"c\"; max = \"1h\"; },\n"
	  " { role = \"a\"; eligible = \"b\"; approvers = \"c\"; max = \"2h\"; } );",
	  2, "elevation.[1].role", "already listed (line 1)" },
	{ "elevation = { role = \"a\"; };", 1, "elevation", "expected a list of groups" },
	{ "elevation = ( \"admins\" );", 1, "elevation.[0]", "expected { role" },
	{ "directory = { uri = \"ldap://l\"; base = \"dc=x\";\n grants = { }; };", 2,
	  "directory.grants.base", "missing required key" },
	{ "directory = { uri = \"ldap://l\"; base = \"dc=x\";\n grants = { base = \"DC=x\"; }; };",
	  2, "directory.grants.base", "the whole tree" },
	{ "directory = { uri = \"ldap://l\"; base = \"dc=x\";\n grants = { base = \"ou=g,dc=x\"; "
	  "file = \"/x\"; }; };",
	  2, "directory.grants.file", "unknown key" },
};

/* Each mistake: the load fails and its first error names t.conf, the line and the key. */
static void test_bad(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg;
	char line[600];

	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		assert_int_equal(load(bads[i].text, &cfg, &errs), HOSTIAM_ERR_CONFIG);
		hostiam_config_error_format(&errs.items[0], line, sizeof(line));
		print_message("%s\n", line);
		assert_string_equal(errs.items[0].file, "t.conf");
		assert_int_equal(errs.items[0].line, bads[i].line);
		assert_string_equal(errs.items[0].key, bads[i].key);
		assert_non_null(strstr(errs.items[0].message, bads[i].message));
	}
}

static void test_duration(void **state)
{
	static const struct {
		const char *text;
		long secs; /* -1: refused */
	} cases[] = {
		{ "1m30s", 90 },       { "45s", 45 },
		{ "30m", 1800 },       { "4h", 14400 },
		{ "1d", 86400 },       { "1h30m", 5400 },
		{ "1d2h3m4s", 93784 }, { "366d", 366L * 86400 },
		{ "0s", -1 },          { "", -1 },
		{ "4", -1 },           { "h", -1 },
		{ "30m1h", -1 },       { "1h1h", -1 },
		{ "-1h", -1 },         { "1 h", -1 },
		{ "99999999s", -1 },   { "367d", -1 },
		{ "4H", -1 },
	};
	char buf[32];
	long v;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = -1;
		if (cases[i].secs < 0) {
			assert_int_equal(hostiam_duration_parse(cases[i].text, &v),
					 HOSTIAM_ERR_INVALID_ARG);
			continue;
		}
		assert_int_equal(hostiam_duration_parse(cases[i].text, &v), 0);
		assert_int_equal(v, cases[i].secs);
		hostiam_duration_format(v, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_reason_default),
		cmocka_unit_test(test_directory_grants),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
