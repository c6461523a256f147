/* SPDX-License-Identifier: BSD-2-Clause */
/* Every kind of mistake in hostiam.conf, one fixture each: the exact line and key reported. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "configuration.h"
#include "errors.h"
#include "tz.h"

#define ZONEDIR HOSTIAM_TZ_DIR

struct bad_case {
	const char *file;    /* under tests/unit/configs/bad/ */
	int line;            /* 0: no line (the mistake is an absence) */
	const char *key;     /* "" for syntax errors */
	const char *message; /* a fragment the message must contain */
};

static const struct bad_case cases[] = {
	{ "unknown-key-top.conf", 6, "colour", "unknown key" },
	{ "unknown-key-section.conf", 5, "directory.hostname", "unknown key" },
	{ "unknown-key-subgroup.conf", 5, "directory.users.scope", "unknown key" },
	{ "unknown-key-rule.conf", 8, "access.rules.[0].users", "unknown key" },
	{ "unknown-section.conf", 6, "ldap", "unknown key" },
	{ "wrong-type-string-for-int.conf", 5, "directory.timeout",
	  "expected an integer, got a string" },
	{ "wrong-type-int-for-string.conf", 7, "mfa.issuer", "expected a string, got an integer" },
	{ "wrong-type-string-for-bool.conf", 5, "directory.starttls", "expected true or false" },
	{ "wrong-type-float.conf", 7, "mfa.period", "got a floating-point number" },
	{ "wrong-type-section.conf", 6, "cache", "expected a group" },
	{ "wrong-type-list-item.conf", 5, "directory.groups.members",
	  "item 1: expected a non-empty string" },
	{ "wrong-type-rules.conf", 7, "access.rules", "expected a list of groups" },
	{ "rule-not-group.conf", 7, "access.rules.[0]", "expected a rule" },
	{ "out-of-range-timeout.conf", 5, "directory.timeout", "0 is out of range (1 to 300)" },
	{ "out-of-range-page-size.conf", 5, "directory.page_size", "out of range" },
	{ "out-of-range-refresh.conf", 5, "directory.refresh", "out of range" },
	{ "out-of-range-min-uid.conf", 5, "directory.min_uid", "5000000000 is out of range" },
	{ "int-needs-l-suffix.conf", 5, "directory.min_gid", "write 3000000000L" },
	{ "out-of-range-digits.conf", 7, "mfa.digits", "out of range (6 to 8)" },
	{ "out-of-range-window.conf", 7, "mfa.window", "out of range" },
	{ "out-of-range-max-failures.conf", 7, "mfa.max_failures", "out of range" },
	{ "out-of-range-offline-days.conf", 7, "password.offline_days",
	  "3651 is out of range (0 to 3650)" },
	{ "wrong-type-non-interactive.conf", 7, "access.non_interactive", "item 0" },
	{ "lockout-max-below-lockout.conf", 8, "mfa.lockout_max",
	  "must be at least lockout (600)" },
	{ "out-of-range-max-age.conf", 7, "cache.max_age", "out of range" },
	{ "bad-uri-scheme.conf", 3, "directory.uri", "must start with ldap://" },
	{ "bad-uri-port.conf", 4, "directory.uri", "host[:port]" },
	{ "bad-uri-dn.conf", 3, "directory.uri", "nothing may follow the host" },
	{ "bad-uri-empty-list.conf", 3, "directory.uri", "must not be empty" },
	{ "missing-base.conf", 2, "directory.base", "missing required key" },
	{ "sudo-missing-base.conf", 5, "directory.sudo.base", "missing required key" },
	{ "sudo-whole-tree.conf", 5, "directory.sudo.base", "is directory.base, the whole tree" },
	{ "sudo-file-dot.conf", 5, "directory.sudo.file", "sudo ignores a file in sudoers.d" },
	{ "sudo-file-tilde.conf", 5, "directory.sudo.file", "contains '.' or ends in '~'" },
	{ "sudo-file-relative.conf", 5, "directory.sudo.file", "absolute path" },
	{ "sudo-unknown-key.conf", 5, "directory.sudo.filter", "unknown key" },
	{ "missing-uri.conf", 2, "directory.uri", "missing required key" },
	{ "empty-base.conf", 4, "directory.base", "must not be empty" },
	{ "cleartext-bind.conf", 5, "directory.uri", "would cross the network in clear text" },
	{ "min-uid-zero.conf", 5, "directory.min_uid", "0 is out of range (1 to" },
	{ "bind-dn-without-password-file.conf", 5, "directory.bind_password_file",
	  "required when bind_dn is set" },
	{ "password-file-without-bind-dn.conf", 5, "directory.bind_password_file",
	  "only meaningful with bind_dn" },
	{ "relative-path.conf", 7, "cache.dir", "absolute path" },
	{ "bad-filter-unparenthesised.conf", 5, "directory.users.filter",
	  "not a parenthesised LDAP filter" },
	{ "bad-filter-unbalanced.conf", 5, "directory.groups.filter",
	  "not a parenthesised LDAP filter" },
	{ "bad-enum-algorithm.conf", 7, "mfa.algorithm",
	  "\"md5\" is not one of: sha1, sha256, sha512" },
	{ "bad-enum-mode.conf", 7, "access.mode", "is not one of: enforce, report" },
	{ "bad-enum-default.conf", 7, "access.default", "is not one of: allow, deny, mfa" },
	{ "bad-cidr-garbage.conf", 8, "access.rules.[0].from", "is not an IP address or network" },
	{ "bad-cidr-octet.conf", 8, "access.rules.[0].from", "is not an IP address or network" },
	{ "bad-cidr-prefix-v4.conf", 8, "access.rules.[0].from",
	  "prefix length must be a number from 0 to 32" },
	{ "bad-cidr-prefix-v6.conf", 8, "access.rules.[0].from", "from 0 to 128" },
	{ "bad-cidr-empty-prefix.conf", 8, "access.rules.[0].from", "prefix length" },
	{ "bad-cidr-negative-prefix.conf", 8, "access.rules.[0].from", "prefix length" },
	{ "cidr-host-bits-v4.conf", 10, "access.rules.[0].from",
	  "host bits set beyond the /24 prefix (network is 192.168.1.0/24)" },
	{ "cidr-host-bits-v6.conf", 8, "access.rules.[0].from",
	  "host bits set beyond the /32 prefix (network is 2001:db8::/32)" },
	{ "bad-time-format.conf", 8, "access.rules.[0].time", "hours must be HH:MM-HH:MM" },
	{ "bad-time-hour.conf", 8, "access.rules.[0].time", "hours must be HH:MM-HH:MM" },
	{ "bad-time-minute.conf", 8, "access.rules.[0].time", "hours must be HH:MM-HH:MM" },
	{ "bad-time-24-start.conf", 8, "access.rules.[0].time", "24:00 only" },
	{ "bad-time-equal.conf", 8, "access.rules.[0].time", "start and end are the same time" },
	{ "bad-time-no-days.conf", 8, "access.rules.[0].time", "is not \"DAYS HH:MM-HH:MM\"" },
	{ "bad-day.conf", 8, "access.rules.[0].time", "\"Mon-Fry\" is not a day list" },
	{ "bad-day-list.conf", 8, "access.rules.[0].time", "is not a day list" },
	{ "duplicate-rule-name.conf", 9, "access.rules.[1].name",
	  "duplicate rule name \"office\" (first used on line 8)" },
	{ "unknown-action.conf", 8, "access.rules.[0].action",
	  "\"permit\" is not one of: allow, deny, mfa" },
	{ "missing-action.conf", 8, "access.rules.[0].action", "missing required key" },
	{ "missing-name.conf", 8, "access.rules.[0].name", "missing required key" },
	{ "mfa-max-age-on-allow.conf", 8, "access.rules.[0].mfa_max_age",
	  "only allowed with action = \"mfa\"" },
	{ "enrol-by-on-deny.conf", 8, "access.rules.[0].enrol_by",
	  "only allowed with action = \"mfa\"" },
	{ "terms-on-deny.conf", 9, "access.rules.[0].terms",
	  "only allowed with action = \"allow\" or \"mfa\"" },
	{ "terms-unknown.conf", 10, "access.rules.[0].terms",
	  "no terms named \"dev-aup\" in the terms list" },
	{ "terms-bad-name.conf", 6, "terms.[0].name", "must be 1 to 32 of A-Z a-z 0-9 . _ -" },
	{ "terms-missing-file.conf", 7, "terms.[0].file", "missing required key" },
	{ "terms-relative-file.conf", 6, "terms.[0].file", "absolute path" },
	{ "terms-duplicate.conf", 7, "terms.[1].name", "are already listed (line 6)" },
	{ "terms-reaccept-range.conf", 7, "terms.[0].reaccept_days", "-1 is out of range (0 to" },
	{ "terms-unknown-key.conf", 7, "terms.[0].reaccept", "unknown key" },
	{ "bad-enrol-by-format.conf", 8, "access.rules.[0].enrol_by", "is not a date YYYY-MM-DD" },
	{ "bad-enrol-by-month.conf", 8, "access.rules.[0].enrol_by", "is not a date" },
	{ "bad-enrol-by-feb29.conf", 8, "access.rules.[0].enrol_by", "is not a date" },
	{ "bad-inactive-days.conf", 8, "access.rules.[0].inactive_days", "out of range" },
	{ "bad-certified-within-range.conf", 8, "access.rules.[0].certified_within",
	  "36501 is out of range (1 to 36500)" },
	{ "bad-certified-within-type.conf", 8, "access.rules.[0].certified_within",
	  "expected an integer, got a string" },
	{ "bad-timezone-unknown.conf", 7, "access.timezone",
	  "unknown time zone \"Mars/Olympus_Mons\": " ZONEDIR
	  "/Mars/Olympus_Mons: no such zone file" },
	{ "bad-timezone-absolute.conf", 7, "access.timezone",
	  "\"/etc/localtime\" is not a time zone name" },
	{ "bad-timezone-dotdot.conf", 7, "access.timezone",
	  "is not a time zone name such as \"Europe/Madrid\"" },
	{ "bad-timezone-directory.conf", 7, "access.timezone",
	  "unknown time zone \"Europe\": " ZONEDIR "/Europe: not a valid zone file" },
	{ "bad-timezone-type.conf", 7, "access.timezone", "expected a string, got an integer" },
	{ "empty-condition-list.conf", 8, "access.rules.[0].group", "must not be empty" },
	{ "empty-string-in-list.conf", 8, "access.rules.[0].user",
	  "item 1: expected a non-empty string" },
	{ "wrong-type-enrolled.conf", 8, "access.rules.[0].enrolled", "expected true or false" },
	{ "audit-size-unit.conf", 6, "audit.max_size",
	  "\"16X\" is not a size such as \"16M\", \"512K\" or \"1G\" (from 1K to 1G)" },
	{ "audit-size-small.conf", 6, "audit.max_size", "\"100\" is not a size" },
	{ "audit-keep-range.conf", 6, "audit.keep", "0 is out of range (1 to 99)" },
	{ "audit-unknown-key.conf", 6, "audit.rotate", "unknown key" },
	{ "audit-journal-type.conf", 6, "audit.journal", "expected true or false" },
	{ "syntax-error.conf", 5, "", "syntax error" },
	{ "syntax-unclosed.conf", 5, "", "syntax error" },
	{ "duplicate-key.conf", 6, "", "duplicate setting name" },
};

/* One fixture: fails with HOSTIAM_ERR_CONFIG and exactly one error, where the table says. */
static void check_case(const struct bad_case *c)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	char path[512], line[1024];
	const struct hostiam_config_error *e;
	size_t i;

	snprintf(path, sizeof(path), "%s/unit/configs/bad/%s", TESTS_SRCDIR, c->file);
	assert_int_equal(hostiam_config_load(path, &cfg, &errs), HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	for (i = 0; i < errs.n; i++) {
		hostiam_config_error_format(&errs.items[i], line, sizeof(line));
		print_message("%s\n", line);
	}
	assert_int_equal(errs.n, 1);
	e = &errs.items[0];
	assert_string_equal(e->file, path);
	assert_int_equal(e->line, c->line);
	assert_string_equal(e->key, c->key);
	if (strstr(e->message, c->message) == NULL)
		fail_msg("%s: message \"%s\" lacks \"%s\"", c->file, e->message, c->message);
}

/* The whole table, so a new mistake is one row and one fixture. */
static void test_bad_fixtures(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
