/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The policy engine with the directory's account state and the services that cannot
 * prompt, table-driven: a disabled, locked or expired account is denied before any rule
 * (an allow rule included), exempt and local accounts are never affected, report mode
 * does not soften it; an `mfa` decision is let through cron, or su run by root, with prompt=none in
 * the log line, while a deny rule and the account state still deny there.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"
#include "policy_testutil.h"

#define NOW AT(MON, 12, 0)

static const char *const config_text = TEST_DIRECTORY
	"access = {\n"
	"  exempt = [ \"root\", \"breakglass\" ];\n"
	"  rules = (\n"
	"    { name = \"night\"; user = [ \"nina\" ]; action = \"deny\"; },\n"
	"    { name = \"trusted\"; user = [ \"tom\" ]; action = \"allow\"; },\n"
	"    { name = \"everyone\"; action = \"mfa\"; }\n"
	"  );\n"
	"};\n";

enum state {
	NONE,     /* no account state (a local user, or nothing in the directory) */
	LOCKED,   /* pwdAccountLockedTime 000001010000Z */
	DISABLED, /* nsAccountLock TRUE */
	EXPIRED,  /* shadowExpire yesterday */
	AGED,     /* shadowLastChange + shadowMax before today */
};

struct row {
	const char *user, *service;
	enum state state;
	bool root;
	enum hostiam_action want;
	const char *rule;
	const char *log_part; /* must be in the decision line */
};

static const struct row rows[] = {
	{ "alice", "sshd", NONE, false, HOSTIAM_ACTION_MFA, "everyone", "decision=mfa user" },
	{ "alice", "sshd", LOCKED, false, HOSTIAM_ACTION_DENY, "account",
	  "reason=\"locked in the directory by an administrator (pwdAccountLockedTime)\"" },
	{ "tom", "sshd", DISABLED, false, HOSTIAM_ACTION_DENY, "account",
	  "rule=account reason=\"disabled in the directory (nsAccountLock)\"" },
	{ "tom", "sshd", EXPIRED, false, HOSTIAM_ACTION_DENY, "account",
	  "reason=\"expired in the directory (shadowExpire)\"" },
	{ "tom", "sshd", AGED, false, HOSTIAM_ACTION_ALLOW, "trusted", "decision=allow user" },
	{ "breakglass", "sshd", LOCKED, false, HOSTIAM_ACTION_ALLOW, "exempt", "rule=exempt" },
	/* services that cannot prompt */
	{ "alice", "cron", NONE, false, HOSTIAM_ACTION_ALLOW, "everyone",
	  "decision=allow prompt=none user=alice service=cron" },
	{ "alice", "cron", DISABLED, false, HOSTIAM_ACTION_DENY, "account", "decision=deny user" },
	{ "nina", "cron", NONE, false, HOSTIAM_ACTION_DENY, "night", "decision=deny user" },
	{ "alice", "su", NONE, true, HOSTIAM_ACTION_ALLOW, "everyone",
	  "service su run by root: mfa not asked" },
	{ "alice", "su", NONE, false, HOSTIAM_ACTION_MFA, "everyone", "decision=mfa user" },
	{ "alice", "su", LOCKED, true, HOSTIAM_ACTION_DENY, "account", "rule=account" },
	{ "alice", "sshd", NONE, true, HOSTIAM_ACTION_MFA, "everyone", "decision=mfa user" },
};

/* The attributes of state s. */
static const struct hostiam_account_attrs *attrs_of(enum state s, struct hostiam_account_attrs *a)
{
	hostiam_account_attrs_clear(a);
	if (s == LOCKED)
		a->v[HOSTIAM_ACCT_LOCKED_TIME] = HOSTIAM_LOCK_PERMANENT;
	else if (s == DISABLED)
		a->v[HOSTIAM_ACCT_ACCOUNT_LOCK] = 1;
	else if (s == EXPIRED)
		a->v[HOSTIAM_ACCT_SHADOW_EXPIRE] = NOW / 86400 - 1;
	else if (s == AGED) {
		a->v[HOSTIAM_ACCT_SHADOW_LAST_CHANGE] = NOW / 86400 - 100;
		a->v[HOSTIAM_ACCT_SHADOW_MAX] = 90;
	}
	return s == NONE ? NULL : a;
}

static void test_rows(void **state)
{
	struct hostiam_config *cfg = load_cfg(config_text);
	struct hostiam_account_attrs a;
	struct hostiam_decision d;
	char line[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hostiam_request req = { .user = rows[i].user,
					       .service = rows[i].service,
					       .now = NOW,
					       .directory_user = true,
					       .caller_root = rows[i].root };

		req.account = attrs_of(rows[i].state, &a);
		assert_int_equal(hostiam_policy_evaluate(cfg, &req, &d), 0);
		hostiam_decision_format_log(&d, &req, line, sizeof(line));
		if (d.action != rows[i].want || strcmp(d.rule_name, rows[i].rule) != 0 ||
		    strstr(line, rows[i].log_part) == NULL)
			fail_msg("row %zu: %s by %s: %s", i, hostiam_action_name(d.action),
				 d.rule_name, line);
		if (rows[i].state == AGED)
			assert_int_equal(d.account.status, HOSTIAM_ACCOUNT_PASSWORD_EXPIRED);
		if (strcmp(rows[i].rule, "account") == 0) {
			assert_int_equal(d.by, HOSTIAM_BY_ACCOUNT);
			assert_non_null(d.message);
			assert_false(d.trace[0].evaluated);
		}
		hostiam_decision_free(&d);
	}
	hostiam_config_free(cfg);
}

/* Report mode lets a rule's deny through, never the directory's account state. */
static void test_report_mode(void **state)
{
	struct hostiam_config *cfg;
	struct hostiam_account_attrs a;
	struct hostiam_decision d;
	struct hostiam_request req = { .user = "alice", .service = "sshd", .now = NOW };
	char line[1024];

	(void)state;
	cfg = load_cfg(TEST_DIRECTORY "access = { mode = \"report\"; rules = ( { name = \"x\";"
				      " action = \"deny\"; } ); };\n");
	assert_int_equal(hostiam_policy_evaluate(cfg, &req, &d), 0);
	assert_int_equal(d.action, HOSTIAM_ACTION_ALLOW);
	hostiam_decision_free(&d);
	req.account = attrs_of(LOCKED, &a);
	assert_int_equal(hostiam_policy_evaluate(cfg, &req, &d), 0);
	assert_int_equal(d.action, HOSTIAM_ACTION_DENY);
	assert_false(d.report_only);
	hostiam_decision_format_log(&d, &req, line, sizeof(line));
	assert_non_null(strstr(line, "decision=deny user=alice service=sshd rhost=- rule=account"));
	hostiam_decision_free(&d);
	hostiam_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_report_mode),
	};

	use_utc();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
