/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Access recertification in the stores: a campaign written and read back with notes of
 * every byte value (never more lines than entries); damaged campaign files refused; close
 * writes keep and revoke into the users' state records beside their other fields, leaves
 * undecided users alone and keeps the campaign as closed-ID; the certify line of a record
 * with a hostile reviewer stays one line; a malformed certify line reads as never certified.
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

#include "certify.h"
#include "errors.h"
#include "log.h"
#include "state_internal.h"

static char base[64];
static char dir[128];

/* Log lines are not what these tests look at. */
static void drop_log(int priority, const char *line, void *ctx)
{
	(void)priority, (void)line, (void)ctx;
}

static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "/tmp/hostiam-certify.XXXXXX");
	if (mkdtemp(base) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/state", base);
	hostiam_log_set_sink(drop_log, NULL);
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

/* A campaign of three: alice kept with a note of every byte, bob revoked, carol undecided. */
static void make_campaign(struct hostiam_campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = 7;
	c->started = 1000;
	snprintf(c->reviewer, sizeof(c->reviewer), "rita");
	snprintf(c->services, sizeof(c->services), "sshd,sudo");
	c->entries = calloc(3, sizeof(*c->entries));
	assert_non_null(c->entries);
	c->n = 3;
	snprintf(c->entries[0].user, sizeof(c->entries[0].user), "alice");
	c->entries[0].choice = HOSTIAM_CERTIFY_KEEP;
	c->entries[0].decided = 1100;
	for (int i = 0; i < HOSTIAM_CERTIFY_NOTE_MAX && i < 255; i++)
		c->entries[0].note[i] = (char)(i + 1);
	snprintf(c->entries[1].user, sizeof(c->entries[1].user), "bob");
	c->entries[1].choice = HOSTIAM_CERTIFY_REVOKE;
	c->entries[1].decided = 1200;
	snprintf(c->entries[1].note, sizeof(c->entries[1].note), "left\nuser=carol keep \\x41");
	snprintf(c->entries[2].user, sizeof(c->entries[2].user), "carol");
}

/* Format and parse back: the same campaign, one line per field and entry. */
static void test_text_round_trip(void **state)
{
	struct hostiam_campaign c, back;
	char *text = NULL;
	size_t len, lines = 0;

	(void)state;
	make_campaign(&c);
	len = hostiam_certify_format(&c, &text);
	assert_non_null(text);
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	assert_int_equal(lines, 4 + 3);
	assert_int_equal(hostiam_certify_parse(text, len, &back), 0);
	assert_int_equal(back.id, 7);
	assert_string_equal(back.reviewer, "rita");
	assert_string_equal(back.services, "sshd,sudo");
	assert_int_equal(back.n, 3);
	assert_string_equal(back.entries[0].note, c.entries[0].note);
	assert_string_equal(back.entries[1].note, c.entries[1].note);
	assert_int_equal(back.entries[1].choice, HOSTIAM_CERTIFY_REVOKE);
	assert_int_equal(back.entries[2].choice, HOSTIAM_CERTIFY_UNDECIDED);
	assert_int_equal(back.entries[1].decided, 1200);
	free(text);
	hostiam_certify_free(&back);
	hostiam_certify_free(&c);
}

/* Damaged files are refused whole. */
static void test_damaged(void **state)
{
	static const char *const bad[] = {
		"reviewer=rita\nuser=alice keep 1 x\n",                /* no id */
		"campaign=1\nreviewer=rita\nuser=alice maybe 1 x\n",   /* choice */
		"campaign=1\nreviewer=rita\nuser=alice keep 1 \\x4\n", /* short escape */
		"campaign=1\nreviewer=rita\nuser=alice keep 1 \\q41\n",
		"campaign=1\nreviewer=rita\nuser=al/ce keep 1 x\n", /* not a user name */
		"campaign=1\nreviewer=rita\nuser=alice keep\n",     /* fields missing */
		"campaign=x\nreviewer=rita\n",
	};
	struct hostiam_campaign c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hostiam_certify_parse(bad[i], strlen(bad[i]), &c),
				 HOSTIAM_ERR_INVALID_ARG);
}

/* Bump the failure count: a field beside the certification that must survive. */
static int bump(struct hostiam_user_state *st, void *ctx)
{
	(void)ctx;
	st->failures++;
	return 0;
}

/* Save, reload, close: records written, campaign kept as closed-7, open gone. */
static void test_close(void **state)
{
	struct hostiam_campaign c, back;
	struct hostiam_user_state st;
	unsigned long id;
	char path[256];
	struct stat sb;
	int fd;

	(void)state;
	make_campaign(&c);
	assert_int_equal(hostiam_state_update(dir, "alice", bump, NULL), 0);
	assert_int_equal(hostiam_certify_store_open(dir, true, &fd), 0);
	assert_int_equal(hostiam_certify_load(fd, 0, &back), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_certify_save(fd, &c), 0);
	assert_int_equal(hostiam_certify_next_id(fd, &id), 0);
	assert_int_equal(id, 8);
	assert_int_equal(hostiam_certify_load(fd, 0, &back), 0);
	assert_int_equal(hostiam_certify_close(fd, dir, &back, 5000), 0);
	hostiam_certify_free(&back);
	assert_int_equal(hostiam_certify_load(fd, 0, &back), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_certify_load(fd, 7, &back), 0);
	assert_int_equal(back.closed, 5000);
	hostiam_certify_free(&back);
	hostiam_certify_store_close(fd);
	snprintf(path, sizeof(path), "%s/certify/closed-7", dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	assert_int_equal(hostiam_state_load(dir, "alice", &st), 0);
	assert_int_equal(st.failures, 1);
	assert_int_equal(st.cert.campaign, 7);
	assert_int_equal(st.cert.when, 5000);
	assert_false(st.cert.revoked);
	assert_string_equal(st.cert.reviewer, "rita");
	assert_int_equal(hostiam_state_load(dir, "bob", &st), 0);
	assert_true(st.cert.revoked);
	assert_int_equal(hostiam_state_load(dir, "carol", &st), 0);
	assert_int_equal(st.cert.campaign, 0);
	hostiam_certify_free(&c);
}

/* A hostile reviewer is written as a token; malformed lines read as never certified. */
static void test_record_line(void **state)
{
	static const char *const bad[] = {
		"certify=0 5 keep rita\n", "certify=1 5 maybe rita\n",  "certify=1 5 keep\n",
		"certify=1 x keep rita\n", "certify=1 5 keep rita x\n",
	};
	struct hostiam_user_state st, back;
	char buf[STATE_RECORD_MAX];
	size_t len;

	(void)state;
	memset(&st, 0, sizeof(st));
	st.cert.campaign = 3;
	st.cert.when = 99;
	st.cert.revoked = true;
	snprintf(st.cert.reviewer, sizeof(st.cert.reviewer), "r i\nta");
	len = state_record_format(&st, buf, sizeof(buf));
	assert_true(len > 0);
	assert_non_null(strstr(buf, "\ncertify=3 99 revoke r?i?ta\n"));
	assert_true(state_record_parse(buf, len, &back));
	assert_int_equal(back.cert.campaign, 3);
	assert_true(back.cert.revoked);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(state_record_parse(bad[i], strlen(bad[i]), &back));
		assert_int_equal(back.cert.campaign, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_round_trip),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test_setup_teardown(test_close, setup, teardown),
		cmocka_unit_test(test_record_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
