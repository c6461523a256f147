/* SPDX-License-Identifier: BSD-2-Clause */
/* The small parsers the loader and the policy engine share: CIDRs, time windows, numbers, URIs. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "cidr.h"
#include "errors.h"
#include "ldap_uri.h"
#include "parse_num.h"
#include "time_window.h"

struct cidr_case {
	const char *in;
	int ok;
	int family;
	const char *addr; /* expected network, as inet_pton would read it */
	int prefix;
	const char *why; /* fragment of the reason when !ok */
};

static const struct cidr_case cidr_cases[] = {
	{ "10.0.0.0/8", 1, AF_INET, "10.0.0.0", 8, NULL },
	{ "192.0.2.7", 1, AF_INET, "192.0.2.7", 32, NULL },
	{ "192.0.2.7/32", 1, AF_INET, "192.0.2.7", 32, NULL },
	{ "0.0.0.0/0", 1, AF_INET, "0.0.0.0", 0, NULL },
	{ "fd00::/8", 1, AF_INET6, "fd00::", 8, NULL },
	{ "2001:db8::1", 1, AF_INET6, "2001:db8::1", 128, NULL },
	{ "2001:db8::1/128", 1, AF_INET6, "2001:db8::1", 128, NULL },
	{ "::/0", 1, AF_INET6, "::", 0, NULL },
	{ "::ffff:192.0.2.0/120", 1, AF_INET, "192.0.2.0", 24, NULL },
	{ "::ffff:192.0.2.9", 1, AF_INET, "192.0.2.9", 32, NULL },
	{ "::ffff:0:0/96", 1, AF_INET, "0.0.0.0", 0, NULL },
	{ "::ffff:0:0/95", 0, 0, NULL, 0, "host bits" },
	{ "::/95", 1, AF_INET6, "::", 95, NULL },
	{ "10.1.0.0/8", 0, 0, NULL, 0,
	  "host bits set beyond the /8 prefix (network is 10.0.0.0/8)" },
	{ "0.0.0.1/0", 0, 0, NULL, 0, "host bits" },
	{ "fe80::1/64", 0, 0, NULL, 0, "network is fe80::/64" },
	{ "10.0.0.0/33", 0, 0, NULL, 0, "from 0 to 32" },
	{ "::/129", 0, 0, NULL, 0, "from 0 to 128" },
	{ "10.0.0.0/", 0, 0, NULL, 0, "prefix length" },
	{ "10.0.0.0/+8", 0, 0, NULL, 0, "prefix length" },
	{ "10.0.0.0/ 8", 0, 0, NULL, 0, "prefix length" },
	{ "10.0.0.0/8/8", 0, 0, NULL, 0, "prefix length" },
	{ "10.0.0/8", 0, 0, NULL, 0, "not an IP address" },
	{ "10.0.0.256", 0, 0, NULL, 0, "not an IP address" },
	{ " 10.0.0.0/8", 0, 0, NULL, 0, "not an IP address" },
	{ "/8", 0, 0, NULL, 0, "not an IP address" },
	{ "", 0, 0, NULL, 0, "not an IP address" },
	{ "local", 0, 0, NULL, 0, "not an IP address" },
	{ "gggg::/16", 0, 0, NULL, 0, "not an IP address" },
	{ "1111:2222:3333:4444:5555:6666:7777:8888:9999/64", 0, 0, NULL, 0, "not an IP address" },
};

/* Each row parses to the right network, or fails with the right reason. */
static void test_cidr_table(void **state)
{
	struct hostiam_cidr c;
	uint8_t want[16];
	char why[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cidr_cases) / sizeof(cidr_cases[0]); i++) {
		const struct cidr_case *t = &cidr_cases[i];
		int r = hostiam_cidr_parse_msg(t->in, &c, why, sizeof(why));

		print_message("%s -> %d %s\n", t->in, r, r ? why : "");
		assert_int_equal(r == 0, t->ok);
		assert_int_equal(hostiam_cidr_parse(t->in, &c) == 0, t->ok);
		if (!t->ok) {
			assert_non_null(strstr(why, t->why));
			continue;
		}
		memset(want, 0, sizeof(want));
		assert_int_equal(inet_pton(t->family, t->addr, want), 1);
		assert_int_equal(c.family, t->family);
		assert_int_equal(c.prefix, t->prefix);
		assert_memory_equal(c.addr, want, 16);
	}
}

/* Whether the address b lies in network a. */
static bool in(const char *a, const char *b)
{
	struct hostiam_cidr net, addr;

	assert_int_equal(hostiam_cidr_parse(a, &net), 0);
	assert_int_equal(hostiam_cidr_parse(b, &addr), 0);
	return hostiam_cidr_contains(&net, &addr);
}

/* Matching: prefix boundaries, families, mapped peers, /0. */
static void test_cidr_contains(void **state)
{
	(void)state;
	assert_true(in("10.0.0.0/8", "10.255.255.255"));
	assert_false(in("10.0.0.0/8", "11.0.0.0"));
	assert_true(in("192.0.2.0/25", "192.0.2.127"));
	assert_false(in("192.0.2.0/25", "192.0.2.128"));
	assert_true(in("0.0.0.0/0", "203.0.113.9"));
	assert_false(in("0.0.0.0/0", "2001:db8::1"));
	assert_true(in("::/0", "2001:db8::1"));
	assert_true(in("10.0.0.0/8", "::ffff:10.1.2.3"));
	assert_true(in("fd00::/8", "fdff::1"));
	assert_false(in("fd00::/8", "fe00::1"));
	assert_true(in("192.0.2.7", "192.0.2.7"));
	assert_false(in("192.0.2.7", "192.0.2.6"));
	assert_false(in("192.0.2.7/32", "192.0.2.0/24"));
}

struct tw_case {
	const char *in;
	int ok;
	uint8_t days;
	int start, end;
	const char *why;
};

static const struct tw_case tw_cases[] = {
	{ "Mon 08:00-18:00", 1, 0x01, 480, 1080, NULL },
	{ "Mon-Fri 08:00-18:00", 1, 0x1f, 480, 1080, NULL },
	{ "Sat,Sun 00:00-24:00", 1, 0x60, 0, 1440, NULL },
	{ "Fri-Mon 22:00-06:00", 1, 0x71, 1320, 360, NULL },
	{ "* 00:00-23:59", 1, 0x7f, 0, 1439, NULL },
	{ "Mon-Sun 12:30-13:45", 1, 0x7f, 750, 825, NULL },
	{ "mon,wed-thu 09:05-09:06", 1, 0x0d, 545, 546, NULL },
	{ "Sun-Sun 01:00-02:00", 1, 0x40, 60, 120, NULL },
	{ "Mon 08:00-08:00", 0, 0, 0, 0, "same time" },
	{ "Mon 24:00-08:00", 0, 0, 0, 0, "24:00 only" },
	{ "Mon 23:00-24:01", 0, 0, 0, 0, "HH:MM" },
	{ "Mon 8:00-18:00", 0, 0, 0, 0, "HH:MM" },
	{ "Mon 08:00-18:00 ", 0, 0, 0, 0, "HH:MM" },
	{ "Mon 08:00 - 18:00", 0, 0, 0, 0, "HH:MM" },
	{ "Mon  08:00-18:00", 0, 0, 0, 0, "HH:MM" },
	{ "Mon 08:0a-18:00", 0, 0, 0, 0, "HH:MM" },
	{ "Mon 08:00", 0, 0, 0, 0, "HH:MM" },
	{ "Monday 08:00-18:00", 0, 0, 0, 0, "day list" },
	{ "Mon-08:00-18:00", 0, 0, 0, 0, "DAYS HH:MM-HH:MM" },
	{ "Mon- 08:00-18:00", 0, 0, 0, 0, "day list" },
	{ ",Mon 08:00-18:00", 0, 0, 0, 0, "day list" },
	{ "** 08:00-18:00", 0, 0, 0, 0, "day list" },
	{ "08:00-18:00", 0, 0, 0, 0, "DAYS HH:MM-HH:MM" },
	{ " Mon 08:00-18:00", 0, 0, 0, 0, "DAYS HH:MM-HH:MM" },
	{ "", 0, 0, 0, 0, "DAYS HH:MM-HH:MM" },
};

/* Each row parses to the right days and minutes, or fails with the right reason. */
static void test_time_window_table(void **state)
{
	struct hostiam_time_window w;
	char why[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tw_cases) / sizeof(tw_cases[0]); i++) {
		const struct tw_case *t = &tw_cases[i];
		int r = hostiam_time_window_parse_msg(t->in, &w, why, sizeof(why));

		print_message("\"%s\" -> %d %s\n", t->in, r, r ? why : "");
		assert_int_equal(r == 0, t->ok);
		assert_int_equal(hostiam_time_window_parse(t->in, &w) == 0, t->ok);
		if (!t->ok) {
			assert_non_null(strstr(why, t->why));
			continue;
		}
		assert_int_equal(w.days, t->days);
		assert_int_equal(w.start_min, t->start);
		assert_int_equal(w.end_min, t->end);
	}
}

/* Whether weekday wday (0 = Sunday, as struct tm) at hh:mm falls inside window s. */
static bool at(const char *s, int wday, int hh, int mm)
{
	struct hostiam_time_window w;
	struct tm tm = { .tm_wday = wday, .tm_hour = hh, .tm_min = mm };

	assert_int_equal(hostiam_time_window_parse(s, &w), 0);
	return hostiam_time_window_contains(&w, &tm);
}

/* Matching, including windows that cross midnight and wrap the week. */
static void test_time_window_contains(void **state)
{
	(void)state;
	assert_true(at("Mon-Fri 08:00-18:00", 1, 8, 0));
	assert_false(at("Mon-Fri 08:00-18:00", 1, 18, 0));
	assert_false(at("Mon-Fri 08:00-18:00", 6, 12, 0));
	assert_true(at("Fri 22:00-06:00", 5, 23, 0));
	assert_true(at("Fri 22:00-06:00", 6, 5, 59)); /* Saturday morning */
	assert_false(at("Fri 22:00-06:00", 5, 5, 0)); /* Friday morning */
	assert_true(at("Sun 22:00-06:00", 1, 1, 0));  /* Monday, after Sunday's start */
	assert_true(at("* 00:00-24:00", 3, 23, 59));
}

/* The checked number parser refuses everything strtoul would quietly accept. */
static void test_parse_num(void **state)
{
	unsigned long v = 7;

	(void)state;
	assert_int_equal(hostiam_parse_ulong("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(hostiam_parse_ulong("18446744073709551615", 0, (unsigned long)-1, &v), 0);
	assert_int_equal(hostiam_parse_ulong("18446744073709551616", 0, (unsigned long)-1, &v),
			 HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong("101", 0, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong("4", 5, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong("", 0, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong("-1", 0, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong("+1", 0, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong(" 1", 0, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong("1 ", 0, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong("0x1", 0, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong(NULL, 0, 100, &v), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_parse_ulong_n("12:", 2, 0, 100, &v), 0);
	assert_int_equal(v, 12);
}

/* Directory URIs: the forms the sync can use, and the mistakes admins make. */
static void test_ldap_uri(void **state)
{
	static const char *const good[] = {
		"ldap://ldap.example.com",
		"ldaps://ldap.example.com:636",
		"LDAPS://h/",
		"ldap:///",
		"ldap://[::1]:389",
		"ldap://192.0.2.1",
		"ldapi:///",
		"ldapi://%2Fvar%2Frun%2Fslapd%2Fldapi",
	};
	static const char *const bad[] = {
		"ldap.example.com", "http://h",      "ldap://h:0",    "ldap://h:65536",
		"ldap://h:",        "ldap://h/dc=x", "ldap://h h",    "ldap://[::1",
		"ldap://[zz::1]",   "ldapi://%2",    "ldapi://h:389", "",
	};
	char why[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(hostiam_ldap_uri_check(good[i], why, sizeof(why)), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i]);
		assert_int_equal(hostiam_ldap_uri_check(bad[i], why, sizeof(why)),
				 HOSTIAM_ERR_INVALID_ARG);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_table),
		cmocka_unit_test(test_cidr_contains),
		cmocka_unit_test(test_time_window_table),
		cmocka_unit_test(test_time_window_contains),
		cmocka_unit_test(test_parse_num),
		cmocka_unit_test(test_ldap_uri),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
