/* SPDX-License-Identifier: BSD-2-Clause */
/* Name validation: a table of names and whether users and groups may carry them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "names.h"

static const struct {
	const char *name;
	bool valid;
} cases[] = {
	{ "alice", true },     { "a", true },
	{ "_svc", true },      { "user.name", true },
	{ "user-name", true }, { "jdoe$", true },
	{ "a1", true },        { "1a", true },
	{ "Admins", true },    { "\xc3\xa9lise", true },
	{ "..a", true },       { "a.", true },
	{ "", false },         { "-rf", false },
	{ ".", false },        { "..", false },
	{ "1000", false },     { "0", false },
	{ "a:b", false },      { "a,b", false },
	{ "a b", false },      { "a\tb", false },
	{ "a\nb", false },     { "a/b", false },
	{ "a\x7f", false },    { "\x01x", false },
	{ " alice", false },
};

/* Every row holds for both user and group names. */
static void test_table(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (hostiam_valid_user_name(cases[i].name) != cases[i].valid)
			fail_msg("user name \"%s\": expected %d", cases[i].name, cases[i].valid);
		if (hostiam_valid_group_name(cases[i].name) != cases[i].valid)
			fail_msg("group name \"%s\": expected %d", cases[i].name, cases[i].valid);
	}
	assert_false(hostiam_valid_user_name(NULL));
	assert_false(hostiam_valid_group_name(NULL));
}

/* 256 bytes is the limit; 257 is refused. */
static void test_length(void **state)
{
	char name[300];

	memset(name, 'a', sizeof(name));
	name[HOSTIAM_NAME_MAX] = '\0';
	assert_true(hostiam_valid_user_name(name));
	name[HOSTIAM_NAME_MAX] = 'a';
	name[HOSTIAM_NAME_MAX + 1] = '\0';
	assert_false(hostiam_valid_user_name(name));
	assert_false(hostiam_valid_group_name(name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
