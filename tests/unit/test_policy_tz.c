/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The policy's clock follows the configuration, never the process's TZ: the caller of a
 * setuid sudo or su chooses TZ (glibc honours a POSIX rule such as "XXX-5" even there).
 * Time windows and enrol_by dates must come out the same whatever TZ says; they follow
 * access.timezone when it is set and the host's /etc/localtime when it is not.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "policy.h"
#include "policy_testutil.h"

/* What a caller may put in TZ: UTC, five hours east, and a zone name. */
static const char *const caller_tz[] = { "UTC", "XXX-5", "YYY+7", ":America/Los_Angeles" };
#define N_CALLER_TZ (sizeof(caller_tz) / sizeof(caller_tz[0]))

static void set_caller_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* A policy with one window rule; zone is the access.timezone line, or "". */
static struct hostiam_config *window_cfg(const char *zone_line, const char *enrol_by)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 TEST_DIRECTORY
		 "access = { default = \"deny\"; exempt = [ ]; %s\n"
		 " rules = ( { name = \"office-hours\"; time = [ \"Mon-Fri 09:00-17:00\" ];\n"
		 "   action = \"mfa\"; enrol_by = \"%s\"; } ); };\n",
		 zone_line, enrol_by);
	return load_cfg(text);
}

/* The rule's decision at now: true when the window held. */
static bool in_window(const struct hostiam_config *cfg, time_t now)
{
	struct hostiam_request req = {
		.user = "carol", .service = "sshd", .now = now, .enrolled = HOSTIAM_TRUE
	};
	struct hostiam_decision d;
	bool matched;

	assert_int_equal(hostiam_policy_evaluate(cfg, &req, &d), 0);
	matched = d.by == HOSTIAM_BY_RULE;
	hostiam_decision_free(&d);
	return matched;
}

/* The instant y-m-d h:mi in UTC. */
static time_t utc(int y, int m, int d, int h, int mi)
{
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi
	};

	return timegm(&tm);
}

/*
 * access.timezone = "Asia/Kathmandu" (+05:45): 09:00-17:00 there is 03:15-11:15 UTC on a
 * Monday, whatever TZ the process has; the windows' edges are in Kathmandu time.
 */
static void test_window_follows_configured_zone(void **state)
{
	const time_t mon = utc(2027, 3, 1, 0, 0); /* a Monday */
	struct hostiam_config *cfg;
	size_t i;

	for (i = 0; i < N_CALLER_TZ; i++) {
		set_caller_tz(caller_tz[i]);
		cfg = window_cfg("timezone = \"Asia/Kathmandu\";", "2030-01-31");
		assert_string_equal(cfg->access.timezone, "Asia/Kathmandu");
		assert_false(in_window(cfg, mon + 3 * 3600 + 14 * 60));
		assert_true(in_window(cfg, mon + 3 * 3600 + 15 * 60));
		assert_true(in_window(cfg, mon + 11 * 3600 + 14 * 60));
		assert_false(in_window(cfg, mon + 11 * 3600 + 15 * 60));
		assert_false(in_window(cfg, mon + 14 * 3600));
		/* 2030-01-31 ends at midnight in Kathmandu: 18:15 UTC. */
		assert_int_equal(cfg->access.rules[0].enrol_by, utc(2030, 1, 31, 18, 15));
		hostiam_config_free(cfg);
	}
}

/* Without access.timezone: the host's zone, read from /etc/localtime, again whatever TZ. */
static void test_window_follows_host_zone(void **state)
{
	struct hostiam_config *cfg;
	struct tm want;
	time_t t, want_enrol;
	size_t i;

	/* glibc's answers for the host's own zone file, the reference. */
	set_caller_tz(":/etc/localtime");
	want = (struct tm){ .tm_year = 130, .tm_mon = 1, .tm_mday = 1, .tm_isdst = -1 };
	want_enrol = mktime(&want);
	for (i = 0; i < N_CALLER_TZ; i++) {
		set_caller_tz(caller_tz[i]);
		cfg = window_cfg("", "2030-01-31");
		assert_null(cfg->access.timezone);
		assert_int_equal(cfg->access.rules[0].enrol_by, want_enrol);
		for (t = utc(2027, 2, 26, 0, 7); t < utc(2027, 3, 10, 0, 0); t += 1800) {
			struct tm host;

			set_caller_tz(":/etc/localtime");
			assert_non_null(localtime_r(&t, &host));
			set_caller_tz(caller_tz[i]);
			assert_int_equal(in_window(cfg, t),
					 host.tm_wday >= 1 && host.tm_wday <= 5 &&
						 host.tm_hour >= 9 && host.tm_hour < 17);
		}
		hostiam_config_free(cfg);
	}
}

/* The rules may come before the timezone key: enrol_by still uses the configured zone. */
static void test_enrol_by_zone_after_rules(void **state)
{
	struct hostiam_config *cfg;

	set_caller_tz("XXX-5");
	cfg = load_cfg(TEST_DIRECTORY "access = { rules = ( { name = \"r\"; action = \"mfa\"; "
				      "enrol_by = \"2030-01-31\"; } );\n"
				      "  timezone = \"Europe/Madrid\"; };\n");
	/* Midnight in Madrid (CET, +01:00) on 2030-02-01. */
	assert_int_equal(cfg->access.rules[0].enrol_by, utc(2030, 1, 31, 23, 0));
	hostiam_config_free(cfg);
}

/* A midnight the clocks skip (Sao Paulo, 2018-11-04 00:00 -> 01:00) is the jump itself. */
static void test_enrol_by_midnight_in_gap(void **state)
{
	struct hostiam_config *cfg;

	set_caller_tz("UTC");
	cfg = load_cfg(TEST_DIRECTORY "access = { timezone = \"America/Sao_Paulo\";\n"
				      "  rules = ( { name = \"r\"; action = \"mfa\"; enrol_by = "
				      "\"2018-11-03\"; } ); };\n");
	assert_int_equal(cfg->access.rules[0].enrol_by, utc(2018, 11, 4, 3, 0));
	hostiam_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_follows_configured_zone),
		cmocka_unit_test(test_window_follows_host_zone),
		cmocka_unit_test(test_enrol_by_zone_after_rules),
		cmocka_unit_test(test_enrol_by_midnight_in_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
