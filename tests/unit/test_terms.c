/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Terms of use in the state store and on disk: acceptances recorded, replaced, revoked and
 * kept beside the other fields of the record; hostile service and host values kept to one
 * line; a full record of the longest values still written; the reaccept window to the
 * second; and the text file refused unless a regular file only its owner may write.
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

#include "errors.h"
#include "log.h"
#include "terms.h"

static char base[64];
static char dir[128];

/* Log lines are not what these tests look at. */
static void drop_log(int priority, const char *line, void *ctx)
{
	(void)priority, (void)line, (void)ctx;
}

/* A fresh base directory; the state directory inside it is created on first use. */
static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "/tmp/hostiam-terms.XXXXXX");
	if (mkdtemp(base) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/state", base);
	hostiam_log_set_sink(drop_log, NULL);
	return 0;
}

/* Remove everything the test made. */
static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

/* Bump the failure count (another writer of the same record). */
static int bump(struct hostiam_user_state *st, void *ctx)
{
	(void)ctx;
	st->failures++;
	return 0;
}

static struct hostiam_terms aup = { "prod-aup", "2026-12", "/nonexistent", 365, 1 };

/* Record, read back, replace with a new version, keep the other fields, revoke. */
static void test_record_revoke(void **state)
{
	struct hostiam_terms v2 = aup;
	struct hostiam_user_state st;

	(void)state;
	assert_int_equal(hostiam_terms_record(dir, "alice", &aup, 1000, "sshd", "192.0.2.1"), 0);
	assert_int_equal(hostiam_state_update(dir, "alice", bump, NULL), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &st), 0);
	assert_int_equal(st.n_terms, 1);
	assert_int_equal(st.failures, 1);
	assert_string_equal(st.terms[0].name, "prod-aup");
	assert_string_equal(st.terms[0].version, "2026-12");
	assert_int_equal(st.terms[0].when, 1000);
	assert_string_equal(st.terms[0].service, "sshd");
	assert_string_equal(st.terms[0].host, "192.0.2.1");

	v2.version = "2027-01";
	assert_int_equal(hostiam_terms_record(dir, "alice", &v2, 2000, "login", NULL), 0);
	assert_int_equal(hostiam_state_load(dir, "alice", &st), 0);
	assert_int_equal(st.n_terms, 1);
	assert_string_equal(st.terms[0].version, "2027-01");
	assert_string_equal(st.terms[0].host, "-");
	assert_int_equal(st.failures, 1);

	assert_int_equal(hostiam_terms_revoke(dir, "alice", "prod-aup"), 0);
	assert_int_equal(hostiam_terms_revoke(dir, "alice", "prod-aup"), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_state_load(dir, "alice", &st), 0);
	assert_int_equal(st.n_terms, 0);
	assert_int_equal(st.failures, 1);
}

/* A service and host with spaces, quotes and newlines stay one line of five fields. */
static void test_hostile_values(void **state)
{
	struct hostiam_user_state st;

	(void)state;
	assert_int_equal(hostiam_terms_record(dir, "bob", &aup, 5, "ss hd\nfailures=0",
					      "evil\"\nterms=prod-aup 2026-12 9 x y"),
			 0);
	assert_int_equal(hostiam_state_load(dir, "bob", &st), 0);
	assert_int_equal(st.n_terms, 1);
	assert_int_equal(st.terms[0].when, 5);
	assert_string_equal(st.terms[0].service, "ss?hd?failures=0");
	assert_string_equal(st.terms[0].host, "evil\"?terms=prod-aup?2026-12?9?x?y");
}

/* Nine names: the oldest makes room; the longest values of every field still fit. */
static void test_full_record(void **state)
{
	struct hostiam_terms t = aup;
	struct hostiam_user_state st;
	char name[40], host[300];

	(void)state;
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	t.version = "12345678901234567890123456789012";
	for (int i = 0; i < HOSTIAM_TERMS_KEPT + 1; i++) {
		snprintf(name, sizeof(name), "terms-%026d", i);
		t.name = name;
		assert_int_equal(hostiam_terms_record(dir, "carol", &t, 100 + i,
						      "a-service-name-of-32-bytes-long!", host),
				 0);
	}
	assert_int_equal(hostiam_state_load(dir, "carol", &st), 0);
	assert_int_equal(st.n_terms, HOSTIAM_TERMS_KEPT);
	for (uint32_t i = 0; i < st.n_terms; i++)
		assert_true(st.terms[i].when > 100);
	assert_int_equal(strlen(st.terms[0].host), sizeof(st.terms[0].host) - 1);
}

/* The window: this version, at most reaccept_days old, never dated after now. */
static void test_find(void **state)
{
	struct hostiam_terms_acceptance a = { "prod-aup", "2026-12", 1000000, "sshd", "-" };
	struct hostiam_terms other = aup, forever = aup;
	time_t limit = 1000000 + 365L * 86400;

	(void)state;
	assert_non_null(hostiam_terms_find(&aup, &a, 1, 1000000));
	assert_non_null(hostiam_terms_find(&aup, &a, 1, limit));
	assert_null(hostiam_terms_find(&aup, &a, 1, limit + 1));
	assert_null(hostiam_terms_find(&aup, &a, 1, 999999));
	other.version = "2027-01";
	assert_null(hostiam_terms_find(&other, &a, 1, 1000000));
	forever.reaccept_days = 0;
	assert_non_null(hostiam_terms_find(&forever, &a, 1, limit * 10));
}

/* Write text to base/name with mode. */
static const char *make_file(const char *name, const char *text, mode_t mode)
{
	static char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", base, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

/* The text: read when only its owner may write it; else, or through a symlink, refused. */
static void test_read(void **state)
{
	struct hostiam_terms t = aup;
	char why[160], *text = NULL, link[256];

	(void)state;
	t.file = (char *)make_file("ok.txt", "Be good.\n", 0644);
	assert_int_equal(hostiam_terms_read(&t, &text, why, sizeof(why)), 0);
	assert_string_equal(text, "Be good.\n");
	free(text);
	t.file = (char *)make_file("gw.txt", "x", 0664);
	assert_int_equal(hostiam_terms_read(&t, &text, why, sizeof(why)),
			 HOSTIAM_ERR_INSECURE_FILE);
	assert_non_null(strstr(why, "mode 0664"));
	t.file = (char *)make_file("ww.txt", "x", 0646);
	assert_int_equal(hostiam_terms_read(&t, &text, why, sizeof(why)),
			 HOSTIAM_ERR_INSECURE_FILE);
	snprintf(link, sizeof(link), "%s/link.txt", base);
	assert_int_equal(symlink("ok.txt", link), 0);
	t.file = link;
	assert_int_equal(hostiam_terms_read(&t, &text, why, sizeof(why)),
			 HOSTIAM_ERR_INSECURE_FILE);
	t.file = base;
	assert_int_equal(hostiam_terms_read(&t, &text, why, sizeof(why)),
			 HOSTIAM_ERR_INSECURE_FILE);
}

/* Longer than HOSTIAM_TERMS_TEXT_MAX: refused, not cut. */
static void test_read_too_big(void **state)
{
	struct hostiam_terms t = aup;
	char why[160], *text = NULL, *big = malloc(HOSTIAM_TERMS_TEXT_MAX + 2);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', HOSTIAM_TERMS_TEXT_MAX + 1);
	big[HOSTIAM_TERMS_TEXT_MAX + 1] = '\0';
	t.file = (char *)make_file("big.txt", big, 0644);
	free(big);
	assert_int_equal(hostiam_terms_read(&t, &text, why, sizeof(why)), HOSTIAM_ERR_INVALID_ARG);
	assert_null(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_too_big, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
