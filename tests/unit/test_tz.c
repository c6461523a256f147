/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TZif reader (common/tz.c) against glibc on the real files of /usr/share/zoneinfo:
 * every field of the broken-down time, over centuries and densely after 2037 (where the
 * footer's rule takes over); local time back to instants, with the documented choices for
 * skipped and repeated times; the footer rule's every form against glibc's TZ parser; and
 * damaged files (every truncation, flipped bytes) that must be refused or read in bounds.
 * Setting TZ here only computes glibc's expected answers: the reader never looks at it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "errors.h"
#include "tz.h"

#define ZONEINFO "/usr/share/zoneinfo/"

static const char *const zones[] = {
	"Europe/Madrid", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Etc/UTC",
};

/* glibc's answer for t in the zone TZ names. */
static void glibc_localtime(const char *tz, time_t t, struct tm *tm)
{
	setenv("TZ", tz, 1);
	tzset();
	assert_non_null(localtime_r(&t, tm));
}

/* Both answers field by field, the zone's designation included. */
static void same_tm(const char *zone, time_t t, const struct tm *want, const struct tm *got)
{
	if (want->tm_year == got->tm_year && want->tm_mon == got->tm_mon &&
	    want->tm_mday == got->tm_mday && want->tm_hour == got->tm_hour &&
	    want->tm_min == got->tm_min && want->tm_sec == got->tm_sec &&
	    want->tm_wday == got->tm_wday && want->tm_yday == got->tm_yday &&
	    want->tm_isdst == got->tm_isdst && want->tm_gmtoff == got->tm_gmtoff &&
	    strcmp(want->tm_zone, got->tm_zone) == 0)
		return;
	fail_msg("%s at %lld: glibc %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d dst %d %+ld %s, "
		 "ours %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d dst %d %+ld %s",
		 zone, (long long)t, want->tm_year + 1900, want->tm_mon + 1, want->tm_mday,
		 want->tm_hour, want->tm_min, want->tm_sec, want->tm_wday, want->tm_yday,
		 want->tm_isdst, want->tm_gmtoff, want->tm_zone, got->tm_year + 1900,
		 got->tm_mon + 1, got->tm_mday, got->tm_hour, got->tm_min, got->tm_sec,
		 got->tm_wday, got->tm_yday, got->tm_isdst, got->tm_gmtoff, got->tm_zone);
}

/* t back from its own local time: itself, or the earlier instant of a repeated time. */
static void round_trip(const char *zone, const struct hostiam_tz *z, time_t t,
		       const struct tm *local)
{
	struct tm again;
	bool skipped = true;
	time_t back;

	assert_int_equal(hostiam_tz_mktime(z, local, &back, &skipped), 0);
	assert_false(skipped);
	if (back == t)
		return;
	assert_int_equal(hostiam_tz_localtime(z, back, &again), 0);
	if (back > t || again.tm_hour != local->tm_hour || again.tm_min != local->tm_min ||
	    again.tm_mday != local->tm_mday)
		fail_msg("%s: %lld came back as %lld", zone, (long long)t, (long long)back);
}

/* Compare ours with glibc's at every step from..to. */
static void compare_range(const char *zone, const struct hostiam_tz *z, time_t from, time_t to,
			  time_t step)
{
	char tz[128];
	struct tm want, got;
	time_t t;

	snprintf(tz, sizeof(tz), ":" ZONEINFO "%s", zone);
	for (t = from; t < to; t += step) {
		glibc_localtime(tz, t, &want);
		assert_int_equal(hostiam_tz_localtime(z, t, &got), 0);
		same_tm(zone, t, &want, &got);
		round_trip(zone, z, t, &got);
	}
}

/* 1850 to 2150 every day and a bit; 2037 to 2047 every hour less a bit. */
static void test_against_glibc(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		struct hostiam_tz *z = NULL;
		char path[128];

		snprintf(path, sizeof(path), ZONEINFO "%s", zones[i]);
		assert_int_equal(hostiam_tz_load_file(path, zones[i], &z), 0);
		assert_string_equal(hostiam_tz_name(z), zones[i]);
		compare_range(zones[i], z, -3786825600LL, 5680281600LL, 86413);
		compare_range(zones[i], z, 2114380800LL, 2429913600LL, 3593);
		hostiam_tz_free(z);
	}
}

/* The instant at which a zone's clock shows y-m-d h:mi. */
static time_t at_local(const struct hostiam_tz *z, int y, int m, int d, int h, int mi,
		       bool *skipped)
{
	struct tm tm = { .tm_year = y - 1900,
			 .tm_mon = m - 1,
			 .tm_mday = d,
			 .tm_hour = h,
			 .tm_min = mi,
			 .tm_isdst = -1 };
	time_t t;

	assert_int_equal(hostiam_tz_mktime(z, &tm, &t, skipped), 0);
	return t;
}

/* The instant of y-m-d h:mi UTC. */
static time_t utc(int y, int m, int d, int h, int mi)
{
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi
	};

	return timegm(&tm);
}

/* A skipped time is the jump itself; a repeated one is the earlier. 2041 is footer time. */
static void test_gap_and_overlap(void **state)
{
	static const struct {
		const char *zone;
		int local[5];
		int want_utc[5];
		bool skipped;
	} cases[] = {
		{ "Europe/Madrid", { 2041, 3, 31, 2, 30 }, { 2041, 3, 31, 1, 0 }, true },
		{ "Europe/Madrid", { 2041, 10, 27, 2, 30 }, { 2041, 10, 27, 0, 30 }, false },
		{ "Europe/Madrid", { 2024, 3, 31, 2, 0 }, { 2024, 3, 31, 1, 0 }, true },
		{ "Europe/Madrid", { 2024, 7, 1, 12, 0 }, { 2024, 7, 1, 10, 0 }, false },
		{ "America/New_York", { 2041, 3, 10, 2, 30 }, { 2041, 3, 10, 7, 0 }, true },
		{ "America/New_York", { 2041, 11, 3, 1, 30 }, { 2041, 11, 3, 5, 30 }, false },
		{ "Australia/Lord_Howe", { 2041, 10, 6, 2, 15 }, { 2041, 10, 5, 15, 30 }, true },
		{ "Australia/Lord_Howe", { 2041, 4, 7, 1, 45 }, { 2041, 4, 6, 14, 45 }, false },
		{ "Asia/Kathmandu", { 2050, 1, 1, 0, 0 }, { 2049, 12, 31, 18, 15 }, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const int *l = cases[i].local, *u = cases[i].want_utc;
		struct hostiam_tz *z = NULL;
		bool skipped = !cases[i].skipped;

		assert_int_equal(hostiam_tz_load_named(cases[i].zone, &z), 0);
		assert_int_equal(at_local(z, l[0], l[1], l[2], l[3], l[4], &skipped),
				 utc(u[0], u[1], u[2], u[3], u[4]));
		assert_int_equal(skipped, cases[i].skipped);
		hostiam_tz_free(z);
	}
}

/* Fields out of range are refused, not normalised. */
static void test_mktime_range(void **state)
{
	struct tm bad[] = {
		{ .tm_year = 123, .tm_mon = 1, .tm_mday = 29 },
		{ .tm_year = 123, .tm_mon = 12, .tm_mday = 1 },
		{ .tm_year = 123, .tm_mon = 0, .tm_mday = 0 },
		{ .tm_year = 123, .tm_mon = 0, .tm_mday = 1, .tm_hour = 24 },
		{ .tm_year = 123, .tm_mon = 0, .tm_mday = 1, .tm_min = -1 },
	};
	struct hostiam_tz *z = NULL;
	size_t i;
	time_t t;

	assert_int_equal(hostiam_tz_utc(&z), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hostiam_tz_mktime(z, &bad[i], &t, NULL), HOSTIAM_ERR_INVALID_ARG);
	hostiam_tz_free(z);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A header, then one type ("XXX", offset 0) and no transitions. */
static size_t put_block(unsigned char *p, char version)
{
	memset(p, 0, 44);
	memcpy(p, "TZif", 4);
	p[4] = (unsigned char)version;
	put32(p + 36, 1);     /* typecnt */
	put32(p + 40, 4);     /* charcnt */
	memset(p + 44, 0, 6); /* utoff 0, isdst 0, desigidx 0 */
	memcpy(p + 50, "XXX", 4);
	return 54;
}

/* A version 2 file with no transitions and footer as its TZ rule. */
static size_t make_tzif(unsigned char *buf, size_t size, const char *footer)
{
	size_t n = put_block(buf, '2');

	n += put_block(buf + n, '2');
	n += (size_t)snprintf((char *)buf + n, size - n, "\n%s\n", footer);
	return n;
}

/* The footer's rule alone gives every local time, compared with glibc reading TZ=rule. */
static void test_rule_forms(void **state)
{
	static const char *const rules[] = {
		"CET-1CEST,M3.5.0,M10.5.0/3",
		"EST5EDT,M3.2.0,M11.1.0",
		"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
		"NZST-12NZDT,M9.5.0,M4.1.0/3",
		"AAA3BBB,J60/2,J300/2",
		"AAA3BBB,59,300/1:30",
		"IST-2IDT,M3.4.4/26,M10.5.0",
		"<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
		"<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
		"<+0545>-5:45",
		"ABC+3:30:15DEF+2:15,M4.1.6/23:59:59,M9.5.6",
	};
	unsigned char buf[512];
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct hostiam_tz *z = NULL;
		struct tm want, got;
		time_t t;

		assert_int_equal(
			hostiam_tz_parse(buf, make_tzif(buf, sizeof(buf), rules[i]), rules[i], &z),
			0);
		for (t = 946684800; t < 2556144000LL; t += 3001) {
			glibc_localtime(rules[i], t, &want);
			assert_int_equal(hostiam_tz_localtime(z, t, &got), 0);
			same_tm(rules[i], t, &want, &got);
		}
		hostiam_tz_free(z);
	}
}

/*
 * RFC 8536's own example of DST all year. glibc picks the rule's year from UTC, and so
 * sees standard time in the last hours of each local year; the RFC means EDT throughout.
 */
static void test_rule_all_year_dst(void **state)
{
	const char *rule = "EST5EDT,0/0,J365/25";
	unsigned char buf[512];
	struct hostiam_tz *z = NULL;
	struct tm got;
	time_t t;

	assert_int_equal(hostiam_tz_parse(buf, make_tzif(buf, sizeof(buf), rule), rule, &z), 0);
	for (t = 946684800; t < 2556144000LL; t += 3001) {
		assert_int_equal(hostiam_tz_localtime(z, t, &got), 0);
		assert_int_equal(got.tm_gmtoff, -4 * 3600);
		assert_string_equal(got.tm_zone, "EDT");
	}
	hostiam_tz_free(z);
}

/* TZ rules that are not, or that a zic-written file never holds, refuse the file. */
static void test_bad_rules(void **state)
{
	static const char *const rules[] = {
		"C-1",
		"CET",
		"CET-1CEST",
		"CET-1CEST,M3.5.0",
		"CET-1CEST,M13.5.0,M10.5.0",
		"CET-1CEST,M3.6.0,M10.5.0",
		"CET-1CEST,M3.5.7,M10.5.0",
		"CET-1CEST,J0,J100",
		"CET-1CEST,366,100",
		"CET-1CEST,M3.5.0/168,M10.5.0",
		"CET-25",
		"<AB>-1",
		"<CET-1",
		"CET-1 ",
		"CET-1CEST,M3.5.0,M10.5.0,",
		"CET-1:60",
		"CET-1CEST-2:00:60,1,2",
		"ABCDEFGHIJKLMNOPQ-1",
	};
	unsigned char buf[512];
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct hostiam_tz *z = NULL;
		int r = hostiam_tz_parse(buf, make_tzif(buf, sizeof(buf), rules[i]), "x", &z);

		if (r != HOSTIAM_ERR_INVALID_ARG)
			fail_msg("rule \"%s\" accepted", rules[i]);
	}
}

/* Version 1 files (32-bit data, no footer) still load. */
static void test_version1(void **state)
{
	unsigned char buf[64];
	struct hostiam_tz *z = NULL;
	struct tm tm;

	assert_int_equal(hostiam_tz_parse(buf, put_block(buf, '\0'), "v1", &z), 0);
	assert_int_equal(hostiam_tz_localtime(z, 0, &tm), 0);
	assert_string_equal(tm.tm_zone, "XXX");
	assert_int_equal(tm.tm_year, 70);
	hostiam_tz_free(z);
}

/* The whole of a file into a new buffer. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = malloc(1 << 16);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	assert_true(*len > 44 && *len < (1 << 16));
	return buf;
}

/* A damaged image: refused, or read without leaving it (ASan watches the copy's bounds). */
static void try_damaged(const unsigned char *img, size_t len)
{
	unsigned char *copy = malloc(len ? len : 1);
	struct hostiam_tz *z = NULL;
	struct tm tm;
	time_t t, back;

	assert_non_null(copy);
	memcpy(copy, img, len);
	if (hostiam_tz_parse(copy, len, "damaged", &z) == 0) {
		for (t = -4000000000LL; t < 4000000000LL; t += 86400 * 1009 + 3607) {
			assert_int_equal(hostiam_tz_localtime(z, t, &tm), 0);
			assert_int_equal(hostiam_tz_mktime(z, &tm, &back, NULL), 0);
		}
		hostiam_tz_free(z);
	}
	free(copy);
}

/* Every truncation of real files is refused; flipped bytes never crash. */
static void test_damaged_files(void **state)
{
	static const char *const files[] = { "Europe/Madrid", "Australia/Lord_Howe" };
	static const unsigned char flips[] = { 0x01, 0x80, 0xff, 0x2d };
	unsigned int seed = 8;
	size_t f, i, k, len;

	for (f = 0; f < 2; f++) {
		char path[128];
		unsigned char *img, *copy;
		struct hostiam_tz *z = NULL;

		snprintf(path, sizeof(path), ZONEINFO "%s", files[f]);
		img = slurp(path, &len);
		for (i = 0; i < len; i++) {
			copy = malloc(i ? i : 1);
			assert_non_null(copy);
			memcpy(copy, img, i);
			assert_int_equal(hostiam_tz_parse(copy, i, "cut", &z),
					 HOSTIAM_ERR_INVALID_ARG);
			free(copy);
		}
		for (i = 0; i < len; i++)
			for (k = 0; k < sizeof(flips); k++) {
				img[i] ^= flips[k];
				try_damaged(img, len);
				img[i] ^= flips[k];
			}
		for (i = 0; i < 2000; i++) {
			unsigned char *d = malloc(len);

			assert_non_null(d);
			memcpy(d, img, len);
			for (k = 0; k < 4; k++)
				d[(size_t)rand_r(&seed) % len] = (unsigned char)rand_r(&seed);
			try_damaged(d, len);
			free(d);
		}
		free(img);
	}
}

/* Names stay under the zone directory; unknown ones are not found. */
static void test_names(void **state)
{
	static const char *const bad[] = {
		"",
		"/etc/localtime",
		"../etc/passwd",
		"Europe/../../etc/passwd",
		"Europe//Madrid",
		"Europe/",
		"./UTC",
		"Europe/Madrid ",
		"Europe\\Madrid",
		"Europe/Ma.drid",
	};
	struct hostiam_tz *z = NULL;
	size_t i;

	assert_true(hostiam_tz_name_ok("Europe/Madrid"));
	assert_true(hostiam_tz_name_ok("Etc/GMT+5"));
	assert_true(hostiam_tz_name_ok("America/Port-au-Prince"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(hostiam_tz_name_ok(bad[i]));
		assert_int_equal(hostiam_tz_load_named(bad[i], &z), HOSTIAM_ERR_INVALID_ARG);
	}
	assert_int_equal(hostiam_tz_load_named("Mars/Olympus_Mons", &z), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_tz_load_named("Europe", &z), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_tz_load_named("UTC", &z), 0);
	assert_string_equal(hostiam_tz_name(z), "UTC");
	hostiam_tz_free(z);
}

/* A zone file someone other than root owns or may write is not trusted. */
static void test_insecure_file(void **state)
{
	char path[] = "/tmp/hostiam-tz.XXXXXX";
	unsigned char buf[64];
	struct hostiam_tz *z = NULL;
	size_t n = put_block(buf, '\0');
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	close(fd);
	assert_int_equal(chmod(path, 0644), 0);
	if (geteuid() == 0) {
		assert_int_equal(hostiam_tz_load_file(path, "t", &z), 0);
		hostiam_tz_free(z);
		assert_int_equal(chmod(path, 0664), 0);
		assert_int_equal(hostiam_tz_load_file(path, "t", &z), HOSTIAM_ERR_INSECURE_FILE);
		assert_int_equal(chmod(path, 0644), 0);
		assert_int_equal(chown(path, 65534, 0), 0);
	}
	/* Not root: the file is the test user's, which is just as untrusted. */
	assert_int_equal(hostiam_tz_load_file(path, "t", &z), HOSTIAM_ERR_INSECURE_FILE);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_glibc),
		cmocka_unit_test(test_gap_and_overlap),
		cmocka_unit_test(test_mktime_range),
		cmocka_unit_test(test_rule_forms),
		cmocka_unit_test(test_rule_all_year_dst),
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_version1),
		cmocka_unit_test(test_damaged_files),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_insecure_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
