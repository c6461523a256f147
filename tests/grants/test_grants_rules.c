/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The rules of the grant store on their own, at chosen times: a request lapses after a
 * day, a grant is active inside its window only, decided and finished grants cannot be
 * decided again, revocation by whom, the max checked again at approval.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "configuration.h"
#include "errors.h"
#include "grants.h"

#define T0 1800000000

static struct hostiam_config *cfg;
static const char *const ops[] = { "ops" }, *const leads[] = { "leads" }, *const none[] = { "x" };
static const struct hostiam_grant_caller alice = { "alice", ops, 1, false };
static const struct hostiam_grant_caller bob = { "bob", leads, 1, false };
static const struct hostiam_grant_caller carol = { "carol", none, 1, false };
static const struct hostiam_grant_caller root = { "root", none, 1, true };

static int setup(void **state)
{
	struct hostiam_config_errors errs;

	(void)state;
	return hostiam_config_load_string(
		"elevation = ( { role = \"admins\"; eligible = \"ops\"; approvers = \"leads\";"
		" max = \"4h\"; } );",
		"t.conf", &cfg, &errs);
}

static int teardown(void **state)
{
	(void)state;
	hostiam_config_free(cfg);
	return 0;
}

/* A list with alice's request 1 for 2h, made at T0. */
static void requested(struct hostiam_grant_list *l)
{
	unsigned long id = 0;
	char why[256];

	memset(l, 0, sizeof(*l));
	l->next_id = 1;
	assert_int_equal(hostiam_grant_request(cfg, l, &alice, "admins", 7200, "INC-1", T0, &id,
					       why, sizeof(why)),
			 0);
	assert_int_equal(id, 1);
}

static void test_lapse(void **state)
{
	struct hostiam_grant_list l;
	char why[256];

	(void)state;
	requested(&l);
	assert_string_equal(hostiam_grant_state(&l.items[0], T0 + HOSTIAM_GRANT_PENDING_TTL - 1),
			    "pending");
	assert_int_equal(hostiam_grant_decide(cfg, &l, &bob, 1, true, 2001,
					      T0 + HOSTIAM_GRANT_PENDING_TTL, why, sizeof(why)),
			 HOSTIAM_ERR_INVALID_ARG);
	assert_string_equal(why, "grant 1 is lapsed, not pending");
	/* A lapsed request no longer blocks a new one. */
	unsigned long id = 0;
	assert_int_equal(hostiam_grant_request(cfg, &l, &alice, "admins", 60, "again",
					       T0 + HOSTIAM_GRANT_PENDING_TTL, &id, why,
					       sizeof(why)),
			 0);
	assert_int_equal(id, 2);
	hostiam_grant_list_free(&l);
}

static void test_window(void **state)
{
	struct hostiam_grant_list l;
	char why[256];

	(void)state;
	requested(&l);
	assert_int_equal(
		hostiam_grant_decide(cfg, &l, &bob, 1, true, 2001, T0 + 10, why, sizeof(why)), 0);
	assert_false(hostiam_grant_active(&l.items[0], T0 + 9));
	assert_true(hostiam_grant_active(&l.items[0], T0 + 10));
	assert_true(hostiam_grant_active(&l.items[0], T0 + 10 + 7199));
	assert_false(hostiam_grant_active(&l.items[0], T0 + 10 + 7200));
	assert_string_equal(hostiam_grant_state(&l.items[0], T0 + 10 + 7200), "expired");
	assert_int_equal(
		hostiam_grant_decide(cfg, &l, &bob, 1, false, 0, T0 + 20, why, sizeof(why)),
		HOSTIAM_ERR_INVALID_ARG);
	assert_string_equal(why, "grant 1 is active, not pending");
	/* Expired: nothing left to revoke. */
	assert_int_equal(hostiam_grant_revoke(cfg, &l, &root, 1, T0 + 10 + 7200, why, sizeof(why)),
			 HOSTIAM_ERR_INVALID_ARG);
	assert_string_equal(why, "grant 1 is expired already");
	hostiam_grant_list_free(&l);
}

static void test_revoke_by_whom(void **state)
{
	struct hostiam_grant_list l;
	char why[256];

	(void)state;
	requested(&l);
	assert_int_equal(hostiam_grant_decide(cfg, &l, &bob, 1, true, 2001, T0, why, sizeof(why)),
			 0);
	assert_int_equal(hostiam_grant_revoke(cfg, &l, &carol, 1, T0 + 1, why, sizeof(why)),
			 HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_grant_revoke(cfg, &l, &root, 1, T0 + 1, why, sizeof(why)), 0);
	assert_false(hostiam_grant_active(&l.items[0], T0 + 2));
	assert_string_equal(hostiam_grant_state(&l.items[0], T0 + 2), "revoked");
	assert_string_equal(l.items[0].decider, "root");
	assert_string_equal(l.items[0].approver, "bob");
	hostiam_grant_list_free(&l);
}

/* The max is checked again at approval: a configuration lowered meanwhile wins. */
static void test_max_at_approval(void **state)
{
	struct hostiam_grant_list l;
	char why[256];
	long was = cfg->elevation[0].max;

	(void)state;
	requested(&l);
	cfg->elevation[0].max = 3600;
	assert_int_equal(hostiam_grant_decide(cfg, &l, &bob, 1, true, 2001, T0, why, sizeof(why)),
			 HOSTIAM_ERR_INVALID_ARG);
	assert_string_equal(why, "grant 1 asks for longer than admins now allows");
	cfg->elevation[0].max = was;
	assert_int_equal(hostiam_grant_decide(cfg, &l, &alice, 9, true, 2001, T0, why, sizeof(why)),
			 HOSTIAM_ERR_NOT_FOUND);
	hostiam_grant_list_free(&l);
}

/* A reason with a control character is refused; an empty one too when required. */
static void test_reason(void **state)
{
	struct hostiam_grant_list l = { 0 };
	unsigned long id;
	char why[256];

	(void)state;
	l.next_id = 1;
	assert_int_equal(hostiam_grant_request(cfg, &l, &alice, "admins", 60, "a\nb", T0, &id, why,
					       sizeof(why)),
			 HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(
		hostiam_grant_request(cfg, &l, &alice, "admins", 60, "", T0, &id, why, sizeof(why)),
		HOSTIAM_ERR_INVALID_ARG);
	assert_string_equal(why, "a reason is required for admins (--reason)");
	assert_int_equal(l.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lapse),          cmocka_unit_test(test_window),
		cmocka_unit_test(test_revoke_by_whom), cmocka_unit_test(test_max_at_approval),
		cmocka_unit_test(test_reason),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
